package org.ssdspark.nn;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The kernel's branch-free ReLU6 mask and its split reductions against the plain definitions. */
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
}
