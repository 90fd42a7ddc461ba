package org.ssdspark.nn;

import java.nio.FloatBuffer;

/**
 * A 3x3 depthwise convolution (padding 1, stride 1 or 2, one filter per channel, optional bias) over contiguous NCHW
 * float activations. Weights are laid out {@code k[(ky * 3 + kx) * C + c]} (DL4J's depthwise [kH, kW, C, 1]).
 */
abstract class Depthwise3x3Kernel {
    protected final int n;
    protected final int channels;
    protected final int h;
    protected final int w;
    protected final int stride;
    protected final int ho;
    protected final int wo;

    Depthwise3x3Kernel(long[] nchw, int stride) {
        this.n = (int) nchw[0];
        this.channels = (int) nchw[1];
        this.h = (int) nchw[2];
        this.w = (int) nchw[3];
        this.stride = stride;
        this.ho = outputSize(h, stride);
        this.wo = outputSize(w, stride);
    }

    /** The Vector API kernel where the JVM has it ({@link SimdKernels}), else the heap-array one. */
    static Depthwise3x3Kernel of(long[] nchw, int stride, boolean simd) {
        return simd ? new Depthwise3x3VectorKernel(nchw, stride) : new Depthwise3x3FloatKernel(nchw, stride);
    }

    final long[] outputShape() {
        return new long[]{n, channels, ho, wo};
    }

    /** PyTorch's (and DL4J Truncate's) floor((size + 2 - 3) / stride) + 1. */
    static int outputSize(int size, int stride) {
        if (stride != 1 && stride != 2) {
            throw new IllegalArgumentException("stride 1 or 2 only, not " + stride);
        }
        return (size - 1) / stride + 1;
    }

    /** Channel c's nine filter taps, row by row. */
    static float[] taps(float[] k, int channels, int c) {
        float[] t = new float[9];
        for (int j = 0; j < 9; j++) {
            t[j] = k[j * channels + c];
        }
        return t;
    }

    /** The filter turned by 180 degrees: the input gradient of a stride-1 convolution is its stencil over dy. */
    static float[] turned(float[] t) {
        float[] f = new float[9];
        for (int j = 0; j < 9; j++) {
            f[j] = t[8 - j];
        }
        return f;
    }

    /**
     * y = depthwise(x, k) + bias ({@code bias} may be null), clamped to [0, 6] when {@code relu6}: the ReLU6 of a
     * folded BatchNorm applied to each row while it is in cache, instead of one more pass over the output.
     */
    abstract void forward(FloatBuffer x, float[] k, float[] bias, FloatBuffer y, boolean relu6);

    /** out[from .. from + count) clamped to [0, 6]. */
    static void relu6(float[] out, int from, int count) {
        for (int j = from; j < from + count; j++) {
            out[j] = Math.min(Math.max(out[j], 0f), 6f);
        }
    }

    /**
     * Input gradient into dx, weight gradient into dk (the weights' layout) and, when not null, the bias gradient into
     * db, from the output gradient dy.
     */
    abstract void backward(FloatBuffer x, FloatBuffer dy, float[] k, FloatBuffer dx, double[] dk, double[] db);
}
