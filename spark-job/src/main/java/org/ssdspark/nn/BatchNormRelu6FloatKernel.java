package org.ssdspark.nn;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * {@link BatchNormRelu6Kernel} for float networks (every network but the gradient checks'): the same arithmetic on a
 * per-thread slab of floats, one channel at a time. Each image's plane of the channel is copied into the slab and,
 * while it is still in cache, reduced: the batch statistics (forward) or the two gradient sums (backward) in blocks
 * of eight independent float chains whose block totals are added in double. A single double chain per sum, as before,
 * ran at a few cycles per element (each addition waits for the one before); eight chains keep the core busy, and a
 * chain never adds more than 256 values, so the sums stay within a few float roundings of the exact ones. The
 * moments are taken about the channel's first value (shifted data), so the variance does not cancel when the mean is
 * large against the spread. The element-wise loops run vector-wide; the per-channel coefficients are rounded to
 * float once, and backward recomputes the ReLU6 mask in float with the forward's own coefficients, so it matches the
 * forward bit for bit.
 */
final class BatchNormRelu6FloatKernel {
    private static final float RELU6_CAP = 6f;
    /** 2^75: twice applied, it lifts the smallest positive float (2^-149) above 1. */
    private static final float LIFT = 0x1p75f;
    /** Values per block of eight float chains (256 per chain); block totals go to double. */
    private static final int BLOCK = 2048;

    /** Per thread: the channel's input and its gradient. Grows to the largest channel seen; lives with the pool. */
    private static final ThreadLocal<float[][]> SLABS = ThreadLocal.withInitial(() -> new float[][]{new float[0], new float[0]});

    private final int n;
    private final int channels;
    private final int plane;
    private final boolean relu6;

    BatchNormRelu6FloatKernel(long[] nchw, boolean relu6) {
        this.n = (int) nchw[0];
        this.channels = (int) nchw[1];
        this.plane = (int) (nchw[2] * nchw[3]);
        this.relu6 = relu6;
    }

    private static float[] slab(int which, int length) {
        float[][] slabs = SLABS.get();
        if (slabs[which].length < length) {
            slabs[which] = new float[length];
        }
        return slabs[which];
    }

    private int offset(int image, int c) {
        return (image * channels + c) * plane;
    }

    /** As {@link BatchNormRelu6Kernel#forward}. */
    void forward(FloatBuffer x, FloatBuffer y, double[] gamma, double[] beta, double eps, double[] mean, double[] var,
                 boolean training) {
        int count = n * plane;
        IntStream.range(0, channels).parallel().forEach(c -> {
            float[] s = slab(0, count);
            if (training) {
                float shift = x.get(offset(0, c));
                double[] acc = new double[2];
                for (int i = 0; i < n; i++) {
                    x.get(offset(i, c), s, i * plane, plane);
                    addShiftedMoments(s, i * plane, (i + 1) * plane, shift, acc);
                }
                double[] m = shiftedMoments(acc, shift, count);
                mean[c] = m[0];
                var[c] = m[1];
            }
            BatchNormChannel ch = new BatchNormChannel(gamma[c], beta[c], mean[c], var[c], eps);
            for (int i = 0; i < n; i++) {
                int from = i * plane;
                if (!training) {
                    x.get(offset(i, c), s, from, plane);
                }
                normalise(s, from, from + plane, ch.a, ch.b);
                y.put(offset(i, c), s, from, plane);
            }
        });
    }

    private void normalise(float[] s, int from, int to, float a, float b) {
        if (relu6) {
            for (int j = from; j < to; j++) {
                s[j] = Math.min(Math.max(a * s[j] + b, 0f), RELU6_CAP);
            }
        } else {
            for (int j = from; j < to; j++) {
                s[j] = a * s[j] + b;
            }
        }
    }

    /** As {@link BatchNormRelu6Kernel#backward}. */
    void backward(FloatBuffer x, FloatBuffer dy, FloatBuffer dx, double[] mean, double[] var, double eps, double[] gamma,
                  double[] beta, double[] dGamma, double[] dBeta) {
        int count = n * plane;
        IntStream.range(0, channels).parallel().forEach(c -> {
            float[] xs = slab(0, count);
            float[] gs = slab(1, count);
            BatchNormChannel ch = new BatchNormChannel(gamma[c], beta[c], mean[c], var[c], eps);
            float a = ch.a;
            float b = ch.b;
            double[] acc = new double[2];
            for (int i = 0; i < n; i++) {
                int from = i * plane;
                int to = from + plane;
                x.get(offset(i, c), xs, from, plane);
                dy.get(offset(i, c), gs, from, plane);
                if (relu6) {
                    for (int j = from; j < to; j++) {
                        gs[j] *= inside(a * xs[j] + b);
                    }
                }
                addGradientSums(gs, xs, from, to, ch.meanF, acc);
            }
            float[] k = ch.inputGradient(acc[0], acc[1], count, dGamma, dBeta, c);
            float kf = k[0];
            float c1 = k[1];
            float c0 = k[2];
            for (int i = 0; i < n; i++) {
                int from = i * plane;
                int to = from + plane;
                for (int j = from; j < to; j++) {
                    gs[j] = kf * gs[j] + c1 * xs[j] + c0;
                }
                dx.put(offset(i, c), gs, from, plane);
            }
        });
    }

    /**
     * 1 if 0 < out < 6, else 0, for every float but NaN, by two multiplications and one clamp: out (6 - out) is
     * positive exactly inside (0, 6), and at least 6 * 2^-149 there, which 2^150 lifts above 1 (half the work of
     * clamping each bound, and vectorised, where a comparison is not).
     */
    static float inside(float out) {
        return Math.min(Math.max(out * (RELU6_CAP - out) * LIFT * LIFT, 0f), 1f);
    }

    /** {mean, biased variance} of a[0..count), taken about a[0]. */
    static double[] moments(float[] a, int count) {
        double[] acc = new double[2];
        addShiftedMoments(a, 0, count, a[0], acc);
        return shiftedMoments(acc, a[0], count);
    }

    /** {mean, biased variance} from the sums of (a - shift) and (a - shift)^2 over {@code count} values. */
    static double[] shiftedMoments(double[] acc, float shift, int count) {
        double d = acc[0] / count;
        return new double[]{shift + d, Math.max(0.0, acc[1] / count - d * d)};
    }

    /** acc[0] += sum (a - shift), acc[1] += sum (a - shift)^2 over a[from..to), in blocks of eight float chains. */
    static void addShiftedMoments(float[] a, int from, int to, float shift, double[] acc) {
        int j = from;
        while (j + 8 <= to) {
            int end = Math.min(to - 7, j + BLOCK);
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
            float q0 = 0, q1 = 0, q2 = 0, q3 = 0, q4 = 0, q5 = 0, q6 = 0, q7 = 0;
            for (; j < end; j += 8) {
                float d0 = a[j] - shift, d1 = a[j + 1] - shift, d2 = a[j + 2] - shift, d3 = a[j + 3] - shift;
                float d4 = a[j + 4] - shift, d5 = a[j + 5] - shift, d6 = a[j + 6] - shift, d7 = a[j + 7] - shift;
                s0 += d0;
                s1 += d1;
                s2 += d2;
                s3 += d3;
                s4 += d4;
                s5 += d5;
                s6 += d6;
                s7 += d7;
                q0 += d0 * d0;
                q1 += d1 * d1;
                q2 += d2 * d2;
                q3 += d3 * d3;
                q4 += d4 * d4;
                q5 += d5 * d5;
                q6 += d6 * d6;
                q7 += d7 * d7;
            }
            acc[0] += ((double) s0 + s1 + s2 + s3) + ((double) s4 + s5 + s6 + s7);
            acc[1] += ((double) q0 + q1 + q2 + q3) + ((double) q4 + q5 + q6 + q7);
        }
        for (; j < to; j++) {
            double d = a[j] - shift;
            acc[0] += d;
            acc[1] += d * d;
        }
    }

    /** {sum g, sum g (x - m)} of g[0..count) and x[0..count). */
    static double[] gradientSums(float[] g, float[] x, int count, float m) {
        double[] acc = new double[2];
        addGradientSums(g, x, 0, count, m, acc);
        return acc;
    }

    /** acc[0] += sum g, acc[1] += sum g (x - m) over [from, to), in blocks of eight float chains. */
    static void addGradientSums(float[] g, float[] x, int from, int to, float m, double[] acc) {
        int j = from;
        while (j + 8 <= to) {
            int end = Math.min(to - 7, j + BLOCK);
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
            float d0 = 0, d1 = 0, d2 = 0, d3 = 0, d4 = 0, d5 = 0, d6 = 0, d7 = 0;
            for (; j < end; j += 8) {
                s0 += g[j];
                s1 += g[j + 1];
                s2 += g[j + 2];
                s3 += g[j + 3];
                s4 += g[j + 4];
                s5 += g[j + 5];
                s6 += g[j + 6];
                s7 += g[j + 7];
                d0 += g[j] * (x[j] - m);
                d1 += g[j + 1] * (x[j + 1] - m);
                d2 += g[j + 2] * (x[j + 2] - m);
                d3 += g[j + 3] * (x[j + 3] - m);
                d4 += g[j + 4] * (x[j + 4] - m);
                d5 += g[j + 5] * (x[j + 5] - m);
                d6 += g[j + 6] * (x[j + 6] - m);
                d7 += g[j + 7] * (x[j + 7] - m);
            }
            acc[0] += ((double) s0 + s1 + s2 + s3) + ((double) s4 + s5 + s6 + s7);
            acc[1] += ((double) d0 + d1 + d2 + d3) + ((double) d4 + d5 + d6 + d7);
        }
        for (; j < to; j++) {
            acc[0] += g[j];
            acc[1] += (double) g[j] * (x[j] - m);
        }
    }
}
