package org.ssdspark.nn;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * {@link BatchNormRelu6Kernel} for float networks (every network but the gradient checks'): the same arithmetic on a
 * per-thread slab of floats filled by bulk copies from the off-heap buffer, so a channel takes half the cache and no
 * conversion passes; the element-wise loops run 8 lanes wide. The batch statistics are accumulated in double in one
 * pass (sum and sum of squares: float data summed in double loses nothing that matters here), the per-channel
 * coefficients are rounded to float once, and backward recomputes the ReLU6 mask in float with the forward's own
 * coefficients, so it matches the forward bit for bit.
 */
final class BatchNormRelu6FloatKernel {
    private static final float RELU6_CAP = 6f;
    /** 2^75: twice applied, it lifts the smallest positive float (2^-149) above 1. */
    private static final float LIFT = 0x1p75f;

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

    private void gather(FloatBuffer a, int c, float[] slab) {
        for (int i = 0; i < n; i++) {
            a.get((i * channels + c) * plane, slab, i * plane, plane);
        }
    }

    private void scatter(float[] slab, int c, FloatBuffer a) {
        for (int i = 0; i < n; i++) {
            a.put((i * channels + c) * plane, slab, i * plane, plane);
        }
    }

    /** As {@link BatchNormRelu6Kernel#forward}. */
    void forward(FloatBuffer x, FloatBuffer y, double[] gamma, double[] beta, double eps, double[] mean, double[] var,
                 boolean training) {
        int count = n * plane;
        IntStream.range(0, channels).parallel().forEach(c -> {
            float[] s = slab(0, count);
            gather(x, c, s);
            if (training) {
                double[] moments = moments(s, count);
                mean[c] = moments[0];
                var[c] = moments[1];
            }
            double scale = BatchNormRelu6Kernel.scale(gamma[c], var[c], eps);
            float a = (float) scale;
            float b = (float) (beta[c] - mean[c] * scale);
            if (relu6) {
                for (int j = 0; j < count; j++) {
                    s[j] = Math.min(Math.max(a * s[j] + b, 0f), RELU6_CAP);
                }
            } else {
                for (int j = 0; j < count; j++) {
                    s[j] = a * s[j] + b;
                }
            }
            scatter(s, c, y);
        });
    }

    /** As {@link BatchNormRelu6Kernel#backward}. */
    void backward(FloatBuffer x, FloatBuffer dy, FloatBuffer dx, double[] mean, double[] var, double eps, double[] gamma,
                  double[] beta, double[] dGamma, double[] dBeta) {
        int count = n * plane;
        IntStream.range(0, channels).parallel().forEach(c -> {
            float[] xs = slab(0, count);
            float[] gs = slab(1, count);
            gather(x, c, xs);
            gather(dy, c, gs);
            double m = mean[c];
            double inv = 1.0 / Math.sqrt(var[c] + eps);
            double scale = BatchNormRelu6Kernel.scale(gamma[c], var[c], eps);
            if (relu6) {
                float a = (float) scale;
                float b = (float) (beta[c] - m * scale);
                for (int j = 0; j < count; j++) {
                    gs[j] *= inside(a * xs[j] + b);
                }
            }
            double[] sums = gradientSums(gs, xs, count, (float) m);
            double sumG = sums[0];
            double sumGX = inv * sums[1];
            dBeta[c] = sumG;
            dGamma[c] = sumGX;
            // dx = k (g - mean(g) - xhat mean(g xhat)), xhat = (x - m) inv, k = gamma inv; linear in g and x
            double k = gamma[c] * inv;
            float kf = (float) k;
            float c1 = (float) (-k * inv * sumGX / count);
            float c0 = (float) (-k * sumG / count - c1 * m);
            for (int j = 0; j < count; j++) {
                gs[j] = kf * gs[j] + c1 * xs[j] + c0;
            }
            scatter(gs, c, dx);
        });
    }

    /** 1 if 0 < out < 6, else 0, for every float but NaN, by min and max only (see BatchNormRelu6Kernel#inside). */
    static float inside(float out) {
        float above = Math.min(Math.max(out * LIFT * LIFT, 0f), 1f);
        float below = Math.min(Math.max((RELU6_CAP - out) * LIFT * LIFT, 0f), 1f);
        return above * below;
    }

    /** {mean, biased variance} of a[0..count), accumulated in double, four chains each. */
    static double[] moments(float[] a, int count) {
        double s0 = 0;
        double s1 = 0;
        double q0 = 0;
        double q1 = 0;
        int j = 0;
        for (; j + 1 < count; j += 2) {
            double v0 = a[j];
            double v1 = a[j + 1];
            s0 += v0;
            s1 += v1;
            q0 += v0 * v0;
            q1 += v1 * v1;
        }
        for (; j < count; j++) {
            double v = a[j];
            s0 += v;
            q0 += v * v;
        }
        double mean = (s0 + s1) / count;
        return new double[]{mean, Math.max(0.0, (q0 + q1) / count - mean * mean)};
    }

    /** {sum g, sum g (x - m)}, accumulated in double. */
    static double[] gradientSums(float[] g, float[] x, int count, float m) {
        double s0 = 0;
        double s1 = 0;
        double d0 = 0;
        double d1 = 0;
        int j = 0;
        for (; j + 1 < count; j += 2) {
            double g0 = g[j];
            double g1 = g[j + 1];
            s0 += g0;
            s1 += g1;
            d0 += g0 * (x[j] - m);
            d1 += g1 * (x[j + 1] - m);
        }
        for (; j < count; j++) {
            s0 += g[j];
            d0 += (double) g[j] * (x[j] - m);
        }
        return new double[]{s0 + s1, d0 + d1};
    }
}
