package org.ssdspark.nn;

/**
 * One channel's float BatchNorm+ReLU6 coefficients, shared by the float kernels ({@link BatchNormRelu6FloatKernel},
 * {@link BatchNormRelu6VectorKernel}): the forward's {@code out = a x + b} rounded to float once (backward recomputes
 * the ReLU6 mask with these same two floats, so it matches the forward bit for bit), and the input gradient's
 * {@code dx = kf g' + c1 x + c0} from the channel's two gradient sums.
 */
final class BatchNormChannel {
    final float a;
    final float b;
    /** The batch mean rounded to float: the kernels sum {@code g' (x - meanF)}. */
    final float meanF;
    private final double mean;
    private final double inv;
    private final double gamma;

    BatchNormChannel(double gamma, double beta, double mean, double var, double eps) {
        double scale = BatchNormRelu6Kernel.scale(gamma, var, eps);
        this.a = (float) scale;
        this.b = (float) (beta - mean * scale);
        this.meanF = (float) mean;
        this.mean = mean;
        this.inv = 1.0 / Math.sqrt(var + eps);
        this.gamma = gamma;
    }

    /**
     * From {@code sumG} = sum g' and {@code sumGXf} = sum g' (x - meanF) over {@code count} values: the beta and gamma
     * gradients into {@code dBeta[c]} and {@code dGamma[c]}, and {kf, c1, c0}.
     */
    float[] inputGradient(double sumG, double sumGXf, int count, double[] dGamma, double[] dBeta, int c) {
        // sum g (x - m) = sum g (x - mf) + (mf - m) sum g
        double sumGX = inv * (sumGXf + (meanF - mean) * sumG);
        dBeta[c] = sumG;
        dGamma[c] = sumGX;
        // dx = k (g - mean(g) - xhat mean(g xhat)), xhat = (x - m) inv, k = gamma inv; linear in g and x
        double k = gamma * inv;
        float c1 = (float) (-k * inv * sumGX / count);
        float c0 = (float) (-k * sumG / count - c1 * mean);
        return new float[]{(float) k, c1, c0};
    }
}
