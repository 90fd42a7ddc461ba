/**
 * Custom DL4J layers and vertices for mb2-ssd-lite where DL4J's generic ones waste time: BatchNorm fused with
 * ReLU6, 1x1 convolution as a matrix product, the 3x3 depthwise convolution in Java, and a vertex that lets a fused
 * layer's former activation keep its name without a copy. The float kernels come in two kinds: Vector API ones
 * ({@code *VectorKernel}), used where the JVM has {@code jdk.incubator.vector} ({@link org.ssdspark.nn.SimdKernels}),
 * and heap-array ones ({@code *FloatKernel}) for JVMs without it.
 */
package org.ssdspark.nn;
