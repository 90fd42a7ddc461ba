/**
 * Custom DL4J layers and vertices for mb2-ssd-lite where DL4J's generic ones waste time: BatchNorm fused with
 * ReLU6, 1x1 convolution as a matrix product, the 3x3 depthwise convolution's backward pass in Java, and a vertex
 * that lets a fused layer's former activation keep its name without a copy.
 */
package org.ssdspark.nn;
