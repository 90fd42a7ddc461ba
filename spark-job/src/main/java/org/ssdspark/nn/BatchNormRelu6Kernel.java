package org.ssdspark.nn;

import java.util.stream.IntStream;

/**
 * BatchNorm over NCHW activations, optionally followed by ReLU6 (min(max(y, 0), 6)), one channel at a time (channels
 * run in parallel; each touches only its own planes). A channel's values of the whole batch are copied once into a
 * per-thread slab of doubles, so the activations are read from memory once each way and every further pass runs over
 * the cache. It serves double networks (the gradient checks run it); float networks run its twins
 * {@link BatchNormRelu6VectorKernel} or, in a JVM without the Vector API, {@link BatchNormRelu6FloatKernel}.
 *
 * <p>Training-mode statistics are the batch's mean and biased variance (what DL4J uses), in two passes over the slab.
 * The backward pass recomputes the ReLU6 mask from the input exactly as the forward computed its output, so the layer
 * stores no activation-sized array. Reductions keep several partial sums (the JIT neither reorders floating-point sums
 * nor vectorises them; one accumulator would chain every addition on the last) and the ReLU6 mask is min/max
 * arithmetic, not a branch that half the values take.
 */
final class BatchNormRelu6Kernel {
    static final double RELU6_CAP = 6.0;

    /** Per thread: the channel's input and its gradient. Grows to the largest channel seen; lives with the pool. */
    private static final ThreadLocal<double[][]> SLABS = ThreadLocal.withInitial(() -> new double[][]{new double[0], new double[0]});

    private final int n;
    private final int channels;
    private final int plane;
    private final boolean relu6;

    BatchNormRelu6Kernel(long[] nchw, boolean relu6) {
        this.n = (int) nchw[0];
        this.channels = (int) nchw[1];
        this.plane = (int) (nchw[2] * nchw[3]);
        this.relu6 = relu6;
    }

    private static double[] slab(int which, int length) {
        double[][] slabs = SLABS.get();
        if (slabs[which].length < length) {
            slabs[which] = new double[length];
        }
        return slabs[which];
    }

    private void gather(PlaneIO a, int c, double[] slab) {
        for (int i = 0; i < n; i++) {
            a.load((i * channels + c) * plane, slab, i * plane, plane);
        }
    }

    private void scatter(double[] slab, int c, PlaneIO a) {
        for (int i = 0; i < n; i++) {
            a.store((i * channels + c) * plane, slab, i * plane, plane);
        }
    }

    /**
     * y = act(scale * x + shift) per channel, scale = gamma / sqrt(var + eps), shift = beta - mean * scale. In training
     * the batch's mean and variance are computed first and written into {@code mean} and {@code var}; otherwise those
     * are the running statistics, read.
     */
    void forward(PlaneIO x, PlaneIO y, double[] gamma, double[] beta, double eps, double[] mean, double[] var,
                 boolean training) {
        int count = n * plane;
        IntStream.range(0, channels).parallel().forEach(c -> {
            double[] s = slab(0, count);
            gather(x, c, s);
            if (training) {
                double m = sum(s, count) / count;
                mean[c] = m;
                var[c] = squaredDeviations(s, count, m) / count;
            }
            double scale = scale(gamma[c], var[c], eps);
            double shift = beta[c] - mean[c] * scale;
            if (relu6) {
                for (int j = 0; j < count; j++) {
                    s[j] = Math.min(Math.max(scale * s[j] + shift, 0.0), RELU6_CAP);
                }
            } else {
                for (int j = 0; j < count; j++) {
                    s[j] = scale * s[j] + shift;
                }
            }
            scatter(s, c, y);
        });
    }

    /** The forward's scale; backward uses the same expression so that the ReLU6 mask matches the forward bit for bit. */
    static double scale(double gamma, double var, double eps) {
        return gamma / Math.sqrt(var + eps);
    }

    /**
     * Gradients of the training-mode forward with batch statistics {@code mean}, {@code var}: into dx, and per channel
     * dGamma and dBeta.
     */
    void backward(PlaneIO x, PlaneIO dy, PlaneIO dx, double[] mean, double[] var, double eps, double[] gamma,
                  double[] beta, double[] dGamma, double[] dBeta) {
        int count = n * plane;
        IntStream.range(0, channels).parallel().forEach(c -> {
            double[] xs = slab(0, count);
            double[] gs = slab(1, count);
            gather(x, c, xs);
            gather(dy, c, gs);
            double m = mean[c];
            double inv = 1.0 / Math.sqrt(var[c] + eps);
            double scale = scale(gamma[c], var[c], eps);
            double shift = beta[c] - m * scale;
            if (relu6) {
                maskRelu6(xs, gs, count, scale, shift);
            }
            double sumG = sum(gs, count);
            double sumGX = inv * centredDot(gs, xs, count, m);
            dBeta[c] = sumG;
            dGamma[c] = sumGX;
            // dx = k (g - mean(g) - xhat mean(g xhat)), xhat = (x - m) inv, k = gamma inv; linear in g and x
            double k = gamma[c] * inv;
            double c0 = -k * sumG / count;
            double c1 = -k * inv * sumGX / count;
            for (int j = 0; j < count; j++) {
                gs[j] = k * gs[j] + c1 * (xs[j] - m) + c0;
            }
            scatter(gs, c, dx);
        });
    }

    /** g := g where 0 < scale x + shift < 6, else 0. */
    private static void maskRelu6(double[] xs, double[] gs, int count, double scale, double shift) {
        for (int j = 0; j < count; j++) {
            gs[j] *= inside(scale * xs[j] + shift);
        }
    }

    /** 2^600: twice applied, it lifts the smallest positive double (2^-1074) above 1. */
    private static final double LIFT = 0x1p600;

    /**
     * 1.0 if 0 < out < 6, else 0.0, exactly, for every double but NaN: min and max only, so the loop around it
     * vectorises, where a comparison would be a branch that half the values take.
     */
    static double inside(double out) {
        double above = Math.min(Math.max(out * LIFT * LIFT, 0.0), 1.0);
        double below = Math.min(Math.max((RELU6_CAP - out) * LIFT * LIFT, 0.0), 1.0);
        return above * below;
    }

    static double sum(double[] a, int count) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < count; j += 4) {
            s0 += a[j];
            s1 += a[j + 1];
            s2 += a[j + 2];
            s3 += a[j + 3];
        }
        for (; j < count; j++) {
            s0 += a[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    static double squaredDeviations(double[] a, int count, double m) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < count; j += 4) {
            double d0 = a[j] - m;
            double d1 = a[j + 1] - m;
            double d2 = a[j + 2] - m;
            double d3 = a[j + 3] - m;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; j < count; j++) {
            double d = a[j] - m;
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** sum g (x - m). */
    static double centredDot(double[] g, double[] x, int count, double m) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < count; j += 4) {
            s0 += g[j] * (x[j] - m);
            s1 += g[j + 1] * (x[j + 1] - m);
            s2 += g[j + 2] * (x[j + 2] - m);
            s3 += g[j + 3] * (x[j + 3] - m);
        }
        for (; j < count; j++) {
            s0 += g[j] * (x[j] - m);
        }
        return (s0 + s1) + (s2 + s3);
    }
}
