/**
 * Custom DL4J layers and vertices for mb2-ssd-lite where DL4J's generic ones waste time or differ from PyTorch:
 * BatchNorm fused with ReLU6, 1x1 convolution as a matrix product, the 3x3 depthwise convolution in Java, BatchNorm
 * whose gamma and beta take weight decay ({@link org.ssdspark.nn.WeightDecayedBatchNormalization}), and a vertex that
 * lets a fused layer's former activation keep its name without a copy ({@link org.ssdspark.nn.SingleInputVertex} is
 * the base of such vertices). The float kernels come in two kinds: Vector API ones ({@code *VectorKernel}), used
 * where the JVM has {@code jdk.incubator.vector} ({@link org.ssdspark.nn.SimdKernels}), and heap-array ones
 * ({@code *FloatKernel}) for JVMs without it. These layers work on ND4J's CPU backend only ({@link
 * org.ssdspark.nn.HostMemory}); {@link org.ssdspark.nn.StockBatchNormRelu6} is the BatchNorm of the networks built
 * for other backends: DL4J's own, with the PyTorch conventions of this package's, by ND4J ops.
 *
 * <p>The lowest of the project's network packages: it uses DL4J and ND4J only. Checkpoints name its layer and vertex
 * classes; a class moved here keeps its former name through {@link org.ssdspark.nn.MovedClassDeserializer}.
 */
package org.ssdspark.nn;
