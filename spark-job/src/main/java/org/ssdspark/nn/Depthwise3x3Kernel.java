package org.ssdspark.nn;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Backward pass of a 3x3 depthwise convolution (one filter per channel, padding 1, stride 1 or 2) over NCHW
 * activations, one channel at a time (channels run in parallel; a channel's weight gradient is summed over the batch by the one task that owns it,
 * so nothing is shared). Each plane is copied into a zero-bordered scratch plane of doubles, so the loops need no
 * bounds tests and, at stride 1, are element-wise over rows, which the JIT vectorises.
 */
final class Depthwise3x3Kernel {

    /** Per thread: padded input, padded input gradient, output gradient plane. */
    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[][]{new double[0], new double[0], new double[0]});

    private final int n;
    private final int channels;
    private final int h;
    private final int w;
    private final int stride;
    private final int ho;
    private final int wo;
    private final int pw;

    Depthwise3x3Kernel(long[] nchw, int stride) {
        this.n = (int) nchw[0];
        this.channels = (int) nchw[1];
        this.h = (int) nchw[2];
        this.w = (int) nchw[3];
        this.stride = stride;
        // PyTorch's (and DL4J Truncate's) floor((size + 2 * pad - 3) / stride) + 1 with pad 1
        this.ho = (h - 1) / stride + 1;
        this.wo = (w - 1) / stride + 1;
        this.pw = w + 2;
    }

    private static double[] scratch(int which, int length) {
        double[][] s = SCRATCH.get();
        if (s[which].length < length) {
            s[which] = new double[length];
        }
        return s[which];
    }

    private int inPlane(int image, int c) {
        return (image * channels + c) * h * w;
    }

    private int outPlane(int image, int c) {
        return (image * channels + c) * ho * wo;
    }

    /** The plane into the interior of {@code padded}, whose one-pixel border is zero. */
    private void loadPadded(PlaneIO x, int offset, double[] padded) {
        for (int y = 0; y < h; y++) {
            x.load(offset + y * w, padded, (y + 1) * pw + 1, w);
        }
    }

    /**
     * Input gradient into dx, weight gradient into dWeights (same layout as the weights) and, when not null, the bias
     * gradient into dBias.
     */
    void backward(PlaneIO x, PlaneIO dy, PlaneIO dx, double[] weights, double[] dWeights, double[] dBias) {
        IntStream.range(0, channels).parallel().forEach(c -> {
            int padded = (h + 2) * pw;
            double[] p = scratch(0, padded);
            double[] dp = scratch(1, padded);
            double[] g = scratch(2, h * pw);
            Arrays.fill(p, 0, padded, 0.0);
            // stride 1: the output gradient in rows of the padded width; the two extra columns stay zero
            Arrays.fill(g, 0, h * pw, 0.0);
            double[] k = new double[9];
            for (int j = 0; j < 9; j++) {
                k[j] = weights[j * channels + c];
            }
            double[] dk = new double[9];
            double db = 0;
            for (int i = 0; i < n; i++) {
                loadPadded(x, inPlane(i, c), p);
                Arrays.fill(dp, 0, padded, 0.0);
                if (stride == 1) {
                    for (int oy = 0; oy < ho; oy++) {
                        dy.load(outPlane(i, c) + oy * wo, g, oy * pw, wo);
                    }
                    backwardStride1(p, g, dp, k, dk);
                    if (dBias != null) {
                        db += BatchNormRelu6Kernel.sum(g, h * pw);
                    }
                    for (int yy = 0; yy < h; yy++) {
                        dx.store(inPlane(i, c) + yy * w, dp, (yy + 1) * pw + 1, w);
                    }
                    continue;
                }
                // stride 2: row by row
                dy.load(outPlane(i, c), g, 0, ho * wo);
                for (int oy = 0; oy < ho; oy++) {
                    int orow = oy * wo;
                    weightGradientRow(g, orow, p, oy * stride * pw, dk);
                    for (int ky = 0; ky < 3; ky++) {
                        int prow = (oy * stride + ky) * pw;
                        for (int kx = 0; kx < 3; kx++) {
                            double kv = k[ky * 3 + kx];
                            int base = prow + kx;
                            for (int ox = 0; ox < wo; ox++) {
                                dp[base + 2 * ox] += kv * g[orow + ox];
                            }
                        }
                    }
                }
                if (dBias != null) {
                    db += BatchNormRelu6Kernel.sum(g, ho * wo);
                }
                for (int yy = 0; yy < h; yy++) {
                    dx.store(inPlane(i, c) + yy * w, dp, (yy + 1) * pw + 1, w);
                }
            }
            for (int j = 0; j < 9; j++) {
                dWeights[j * channels + c] = dk[j];
            }
            if (dBias != null) {
                dBias[c] = db;
            }
        });
    }

    /*
     * Stride 1 works on whole planes in rows of the padded width pw: output element j = oy * pw + ox meets input
     * j + ky * pw + kx at tap (ky, kx), so each tap is one long element-wise loop (vectorised, no per-row overhead on
     * small planes). The two columns past each row's end are zero in the output gradient, so they add nothing.
     */

    /** Length of the stride-1 loops: up to the last real output, so that j + 2 pw + 2 stays inside the padded plane. */
    private int span() {
        return h * pw - 2;
    }

    private void backwardStride1(double[] p, double[] g, double[] dp, double[] k, double[] dk) {
        int len = span();
        for (int ky = 0; ky < 3; ky++) {
            for (int kx = 0; kx < 3; kx++) {
                double kv = k[ky * 3 + kx];
                int off = ky * pw + kx;
                for (int j = 0; j < len; j++) {
                    dp[j + off] += kv * g[j];
                }
            }
        }
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, a8 = 0;
        int r1 = pw;
        int r2 = 2 * pw;
        for (int j = 0; j < len; j++) {
            double gv = g[j];
            a0 += gv * p[j];
            a1 += gv * p[j + 1];
            a2 += gv * p[j + 2];
            a3 += gv * p[r1 + j];
            a4 += gv * p[r1 + j + 1];
            a5 += gv * p[r1 + j + 2];
            a6 += gv * p[r2 + j];
            a7 += gv * p[r2 + j + 1];
            a8 += gv * p[r2 + j + 2];
        }
        dk[0] += a0;
        dk[1] += a1;
        dk[2] += a2;
        dk[3] += a3;
        dk[4] += a4;
        dk[5] += a5;
        dk[6] += a6;
        dk[7] += a7;
        dk[8] += a8;
    }

    /** dk[ky*3+kx] += sum over ox of g[orow + ox] * p[prow + ky*pw + ox*s + kx]: nine independent sums in one sweep. */
    private void weightGradientRow(double[] g, int orow, double[] p, int prow, double[] dk) {
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, a8 = 0;
        int r0 = prow;
        int r1 = prow + pw;
        int r2 = prow + 2 * pw;
        for (int ox = 0; ox < wo; ox++) {
            double gv = g[orow + ox];
            int xi = ox * stride;
            a0 += gv * p[r0 + xi];
            a1 += gv * p[r0 + xi + 1];
            a2 += gv * p[r0 + xi + 2];
            a3 += gv * p[r1 + xi];
            a4 += gv * p[r1 + xi + 1];
            a5 += gv * p[r1 + xi + 2];
            a6 += gv * p[r2 + xi];
            a7 += gv * p[r2 + xi + 1];
            a8 += gv * p[r2 + xi + 2];
        }
        dk[0] += a0;
        dk[1] += a1;
        dk[2] += a2;
        dk[3] += a3;
        dk[4] += a4;
        dk[5] += a5;
        dk[6] += a6;
        dk[7] += a7;
        dk[8] += a8;
    }
}
