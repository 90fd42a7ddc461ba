package org.ssdspark.nn;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The kernels' branch-free ReLU6 masks and split reductions (double and float) against the plain definitions. */
class BatchNormRelu6KernelTest {

    @Test
    void keepsTheGradientStrictlyInsideZeroToSix() {
        double[] outs = {-1e300, -6, -1e-300, -0.0, 0.0, Double.MIN_VALUE, 1e-300, 0.5, 3, 5.999999999, 6.0,
                Math.nextUp(6.0), Math.nextDown(6.0), 6 - Double.MIN_VALUE, 7, 1e300, Double.MAX_VALUE, -Double.MAX_VALUE,
                -Double.MIN_VALUE, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
        for (double out : outs) {
            assertEquals(out > 0 && out < 6 ? 1.0 : 0.0, BatchNormRelu6Kernel.inside(out), 0.0, "out " + out);
        }
    }

    @Test
    void splitSumsEqualPlainSums() {
        java.util.Random r = new java.util.Random(5);
        for (int count : new int[]{0, 1, 3, 4, 5, 7, 90, 361}) {
            double[] a = new double[count];
            double[] b = new double[count];
            double s = 0;
            double q = 0;
            double d = 0;
            double m = 0.25;
            for (int j = 0; j < count; j++) {
                a[j] = r.nextGaussian() + 3;
                b[j] = r.nextGaussian();
                s += a[j];
                q += (a[j] - m) * (a[j] - m);
                d += b[j] * (a[j] - m);
            }
            assertEquals(s, BatchNormRelu6Kernel.sum(a, count), 1e-12 * (1 + Math.abs(s)));
            assertEquals(q, BatchNormRelu6Kernel.squaredDeviations(a, count, m), 1e-12 * (1 + q));
            assertEquals(d, BatchNormRelu6Kernel.centredDot(b, a, count, m), 1e-12 * (1 + Math.abs(d)) * count);
        }
    }

    @Test
    void floatMaskKeepsTheGradientStrictlyInsideZeroToSix() {
        float[] outs = {-3e38f, -6, -1e-40f, -0.0f, 0.0f, Float.MIN_VALUE, 1e-40f, 0.5f, 3, 5.999999f, 6f,
                Math.nextUp(6f), Math.nextDown(6f), 7, 3e38f, Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MIN_VALUE,
                Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        for (float out : outs) {
            assertEquals(out > 0 && out < 6 ? 1f : 0f, BatchNormRelu6FloatKernel.inside(out), 0f, "out " + out);
        }
    }

    @Test
    void floatMomentsAndGradientSumsEqualPlainOnes() {
        java.util.Random r = new java.util.Random(6);
        for (int count : new int[]{1, 2, 3, 5, 90, 361, 180000}) {
            float[] a = new float[count];
            float[] g = new float[count];
            double s = 0;
            double sg = 0;
            double dg = 0;
            float m = 2.75f;
            for (int j = 0; j < count; j++) {
                a[j] = (float) (r.nextGaussian() * 0.5 + 3);
                g[j] = (float) r.nextGaussian();
                s += a[j];
                sg += g[j];
                dg += (double) g[j] * (a[j] - m);
            }
            double mean = s / count;
            double q = 0;
            for (int j = 0; j < count; j++) {
                q += (a[j] - mean) * (a[j] - mean);
            }
            // float chains of at most 256 values: within a few float roundings of the double sums
            double[] moments = BatchNormRelu6FloatKernel.moments(a, count);
            assertEquals(mean, moments[0], 1e-7 * Math.abs(mean), "mean of " + count);
            assertEquals(q / count, moments[1], 1e-5 * (q / count) + 1e-12, "variance of " + count);
            double[] sums = BatchNormRelu6FloatKernel.gradientSums(g, a, count, m);
            assertEquals(sg, sums[0], 1e-6 * Math.sqrt(count), "sum g of " + count);
            assertEquals(dg, sums[1], 1e-6 * Math.sqrt(count), "sum g (x - m) of " + count);
            System.out.printf("count %d: mean %.1e, variance %.1e (relative), sums %.1e %.1e%n", count,
                    Math.abs(mean - moments[0]) / Math.abs(mean), Math.abs(q / count - moments[1]) / (q / count),
                    Math.abs(sg - sums[0]), Math.abs(dg - sums[1]));
        }
    }
}
