package org.ssdspark.nn;

import java.util.stream.IntStream;

/**
 * BatchNorm over NCHW activations, optionally followed by ReLU6 (min(max(y, 0), 6)), in two passes forward and two
 * backward, channel by channel (channels run in parallel; each touches only its own planes). Sums are in double.
 * Training-mode statistics are the batch's mean and biased variance (what DL4J uses); the backward pass recomputes
 * x-hat and the ReLU6 mask from the input instead of keeping them, so the layer stores no activation-sized array.
 */
final class BatchNormRelu6Kernel {
    static final double RELU6_CAP = 6.0;

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

    private int offset(int image, int c) {
        return (image * channels + c) * plane;
    }

    /** Per-channel mean and biased variance of x, into {@code mean} and {@code var}. */
    void statistics(PlaneIO x, double[] mean, double[] var) {
        double count = (double) n * plane;
        IntStream.range(0, channels).parallel().forEach(c -> {
            double[] buf = new double[plane];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                x.load(offset(i, c), buf, plane);
                for (int j = 0; j < plane; j++) {
                    sum += buf[j];
                }
            }
            double m = sum / count;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                x.load(offset(i, c), buf, plane);
                for (int j = 0; j < plane; j++) {
                    double d = buf[j] - m;
                    sq += d * d;
                }
            }
            mean[c] = m;
            var[c] = sq / count;
        });
    }

    /** y = act(scale * x + shift) per channel. */
    void apply(PlaneIO x, PlaneIO y, double[] scale, double[] shift) {
        IntStream.range(0, channels).parallel().forEach(c -> {
            double[] buf = new double[plane];
            double a = scale[c];
            double b = shift[c];
            for (int i = 0; i < n; i++) {
                x.load(offset(i, c), buf, plane);
                if (relu6) {
                    for (int j = 0; j < plane; j++) {
                        buf[j] = Math.min(Math.max(a * buf[j] + b, 0.0), RELU6_CAP);
                    }
                } else {
                    for (int j = 0; j < plane; j++) {
                        buf[j] = a * buf[j] + b;
                    }
                }
                y.store(offset(i, c), buf, plane);
            }
        });
    }

    /**
     * Gradients of the training-mode forward: into dx, and per channel dGamma and dBeta.
     *
     * @param invStd 1 / sqrt(batch variance + eps)
     */
    void backward(PlaneIO x, PlaneIO dy, PlaneIO dx, double[] mean, double[] invStd, double[] gamma, double[] beta,
                  double[] dGamma, double[] dBeta) {
        double count = (double) n * plane;
        IntStream.range(0, channels).parallel().forEach(c -> {
            double[] xs = new double[plane];
            double[] gs = new double[plane];
            double m = mean[c];
            double inv = invStd[c];
            double g = gamma[c];
            double b = beta[c];
            double sumG = 0;
            double sumGX = 0;
            for (int i = 0; i < n; i++) {
                x.load(offset(i, c), xs, plane);
                dy.load(offset(i, c), gs, plane);
                for (int j = 0; j < plane; j++) {
                    double xhat = (xs[j] - m) * inv;
                    double grad = gs[j];
                    if (relu6) {
                        double out = g * xhat + b;
                        grad = out > 0 && out < RELU6_CAP ? grad : 0;
                    }
                    sumG += grad;
                    sumGX += grad * xhat;
                }
            }
            dBeta[c] = sumG;
            dGamma[c] = sumGX;
            double meanG = sumG / count;
            double meanGX = sumGX / count;
            double k = g * inv;
            for (int i = 0; i < n; i++) {
                x.load(offset(i, c), xs, plane);
                dy.load(offset(i, c), gs, plane);
                for (int j = 0; j < plane; j++) {
                    double xhat = (xs[j] - m) * inv;
                    double grad = gs[j];
                    if (relu6) {
                        double out = g * xhat + b;
                        grad = out > 0 && out < RELU6_CAP ? grad : 0;
                    }
                    xs[j] = k * (grad - meanG - xhat * meanGX);
                }
                dx.store(offset(i, c), xs, plane);
            }
        });
    }
}
