package org.ssdspark.nn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Vector API BatchNorm+ReLU6 kernel (the one training runs when the JVM has jdk.incubator.vector, as the test JVMs
 * do) against the double kernel on the same values, over planes that exercise its vector loops, its scalar tails
 * and both together, with arrays that start at an offset in their buffer.
 */
class BatchNormRelu6VectorKernelTest {

    private static final long[][] SHAPES = {{6, 3, 1, 1}, {3, 2, 5, 6}, {4, 3, 19, 19}, {8, 2, 38, 38}, {2, 2, 75, 75},
            {3, 1, 150, 151}};

    /** A float array of the shape that starts {@code offset} elements into its buffer, values a * N(0,1) + b. */
    private static INDArray floats(long[] shape, int offset, double a, double b, long seed) {
        long len = shape[0] * shape[1] * shape[2] * shape[3];
        Nd4j.getRandom().setSeed(seed);
        INDArray all = Nd4j.randn(DataType.FLOAT, 1, len + offset).muli(a).addi(b);
        INDArray view = all.get(NDArrayIndex.point(0), NDArrayIndex.interval(offset, offset + len)).reshape('c', shape);
        assertEquals(offset, view.offset(), "the view keeps its offset");
        return view;
    }

    private static double maxAbs(INDArray a) {
        return a.amaxNumber().doubleValue();
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    @Test
    void matchesTheDoubleKernel() {
        assertTrue(SimdKernels.enabled(), "the test JVM runs with --add-modules=jdk.incubator.vector (pom.xml)");
        for (long[] shape : SHAPES) {
            for (boolean relu6 : new boolean[]{true, false}) {
                check(shape, relu6);
            }
        }
    }

    private static void check(long[] shape, boolean relu6) {
        String what = java.util.Arrays.toString(shape) + " relu6=" + relu6;
        int c = (int) shape[1];
        int count = (int) (shape[0] * shape[2] * shape[3]);
        // values around 2.5 with spread 2: gamma 3 spreads the output over both ReLU6 edges
        INDArray x = floats(shape, 3, 2, 2.5, 11);
        INDArray dy = floats(shape, 5, 1, 0.1, 12);
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, shape);
        INDArray dx = Nd4j.createUninitialized(DataType.FLOAT, shape);
        INDArray xd = x.castTo(DataType.DOUBLE);
        INDArray dyd = dy.castTo(DataType.DOUBLE);
        INDArray yd = Nd4j.createUninitialized(DataType.DOUBLE, shape);
        INDArray dxd = Nd4j.createUninitialized(DataType.DOUBLE, shape);
        double[] gamma = new double[c];
        double[] beta = new double[c];
        for (int i = 0; i < c; i++) {
            gamma[i] = 3 + i;
            beta[i] = 2 - 0.5 * i;
        }
        double eps = 1e-5;
        double[] mean = new double[c];
        double[] var = new double[c];
        double[] meanD = new double[c];
        double[] varD = new double[c];
        new BatchNormRelu6VectorKernel(shape, relu6).forward(PlaneIO.bytes(x), PlaneIO.bytes(y), gamma, beta, eps,
                mean, var, true);
        new BatchNormRelu6Kernel(shape, relu6).forward(PlaneIO.of(xd), PlaneIO.of(yd), gamma, beta, eps, meanD, varD,
                true);
        for (int i = 0; i < c; i++) {
            assertEquals(meanD[i], mean[i], 1e-6 * Math.abs(meanD[i]), what + " mean " + i);
            assertEquals(varD[i], var[i], 1e-5 * varD[i], what + " variance " + i);
        }
        double dyOut = maxAbs(y.castTo(DataType.DOUBLE).subi(yd)) / maxAbs(yd);
        assertTrue(dyOut < 1e-6, what + ": output differs by " + dyOut + " of the largest");

        double[] dGamma = new double[c];
        double[] dBeta = new double[c];
        double[] dGammaD = new double[c];
        double[] dBetaD = new double[c];
        new BatchNormRelu6VectorKernel(shape, relu6).backward(PlaneIO.bytes(x), PlaneIO.bytes(dy), PlaneIO.bytes(dx),
                mean, var, eps, gamma, beta, dGamma, dBeta);
        new BatchNormRelu6Kernel(shape, relu6).backward(PlaneIO.of(xd), PlaneIO.of(dyd), PlaneIO.of(dxd), meanD, varD,
                eps, gamma, beta, dGammaD, dBetaD);
        // sums of `count` float products: float rounding grows with the square root of the count
        double sumTol = 1e-6 * Math.sqrt(count) * (1 + maxAbs(dBetaD));
        for (int i = 0; i < c; i++) {
            assertEquals(dBetaD[i], dBeta[i], sumTol, what + " beta gradient " + i);
            assertEquals(dGammaD[i], dGamma[i], sumTol, what + " gamma gradient " + i);
        }
        double dxDiff = maxAbs(dx.castTo(DataType.DOUBLE).subi(dxd)) / maxAbs(dxd);
        assertTrue(dxDiff < 1e-5, what + ": input gradient differs by " + dxDiff + " of the largest");
        System.out.printf("%s: output %.1e, input gradient %.1e of the largest; gamma gradient %.1e%n", what, dyOut,
                dxDiff, maxAbs(dGammaD) == 0 ? 0 : Math.abs(dGamma[0] - dGammaD[0]) / maxAbs(dGammaD));
    }

    @Test
    void inferenceUsesTheGivenStatistics() {
        long[] shape = {2, 2, 19, 19};
        INDArray x = floats(shape, 0, 1, 0, 13);
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, shape);
        double[] mean = {0.5, -0.25};
        double[] var = {4, 0.25};
        new BatchNormRelu6VectorKernel(shape, true).forward(PlaneIO.bytes(x), PlaneIO.bytes(y), new double[]{1, 2},
                new double[]{0.5, 1}, 1e-5, mean, var, false);
        assertEquals(0.5, mean[0], 0.0, "running statistics are read, not written");
        for (int i = 0; i < shape[0]; i++) {
            for (int ch = 0; ch < 2; ch++) {
                for (int p = 0; p < 361; p += 17) {
                    double v = x.getDouble(i, ch, p / 19, p % 19);
                    double s = new double[]{1, 2}[ch] / Math.sqrt(var[ch] + 1e-5);
                    double want = Math.min(Math.max(s * (v - mean[ch]) + new double[]{0.5, 1}[ch], 0), 6);
                    assertEquals(want, y.getDouble(i, ch, p / 19, p % 19), 1e-5, "image " + i + " channel " + ch);
                }
            }
        }
    }
}
