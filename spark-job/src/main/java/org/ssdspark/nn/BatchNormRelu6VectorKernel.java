package org.ssdspark.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.nio.ByteBuffer;
import java.util.stream.IntStream;

import static org.ssdspark.nn.VectorLanes.FLOATS;
import static org.ssdspark.nn.VectorLanes.load;
import static org.ssdspark.nn.VectorLanes.store;

/**
 * {@link BatchNormRelu6FloatKernel}'s arithmetic in Vector API loops over ND4J's off-heap buffers themselves: no plane
 * is copied to the heap and back, which was a third of that kernel's time (the pass is bound by memory traffic; per
 * channel and image, forward reads x twice and writes y once, backward reads x and the gradient twice and writes dx
 * once). Reductions keep two vectors of float partial sums, drained into double every {@value #BLOCK} values (64
 * additions per lane with 16 lanes), and take the moments about the channel's first value, as the array kernel does. Backward
 * recomputes the ReLU6 mask with the forward's own float operations, so it matches the forward bit for bit.
 */
final class BatchNormRelu6VectorKernel {
    private static final int BLOCK = 2048;
    private static final int LANES = FLOATS.length();

    private final int n;
    private final int channels;
    private final int plane;
    private final boolean relu6;

    BatchNormRelu6VectorKernel(long[] nchw, boolean relu6) {
        this.n = (int) nchw[0];
        this.channels = (int) nchw[1];
        this.plane = (int) (nchw[2] * nchw[3]);
        this.relu6 = relu6;
    }

    private int offset(int image, int c) {
        return (image * channels + c) * plane;
    }

    /** As {@link BatchNormRelu6Kernel#forward}; x and y hold the arrays' floats from element 0, in native order. */
    void forward(ByteBuffer x, ByteBuffer y, double[] gamma, double[] beta, double eps, double[] mean, double[] var,
                 boolean training) {
        int count = n * plane;
        IntStream.range(0, channels).parallel().forEach(c -> {
            if (training) {
                float shift = x.getFloat(offset(0, c) << 2);
                double[] acc = new double[2];
                for (int i = 0; i < n; i++) {
                    addShiftedMoments(x, offset(i, c), plane, shift, acc);
                }
                double[] m = BatchNormRelu6FloatKernel.shiftedMoments(acc, shift, count);
                mean[c] = m[0];
                var[c] = m[1];
            }
            BatchNormChannel ch = new BatchNormChannel(gamma[c], beta[c], mean[c], var[c], eps);
            for (int i = 0; i < n; i++) {
                normalise(x, y, offset(i, c), ch.a, ch.b);
            }
        });
    }

    private void normalise(ByteBuffer x, ByteBuffer y, int from, float a, float b) {
        int bound = from + FLOATS.loopBound(plane);
        int to = from + plane;
        FloatVector va = FloatVector.broadcast(FLOATS, a);
        FloatVector vb = FloatVector.broadcast(FLOATS, b);
        int j = from;
        if (relu6) {
            FloatVector zero = FloatVector.zero(FLOATS);
            FloatVector cap = FloatVector.broadcast(FLOATS, 6f);
            for (; j < bound; j += LANES) {
                store(load(x, j).mul(va).add(vb).max(zero).min(cap), y, j);
            }
            for (; j < to; j++) {
                y.putFloat(j << 2, Math.min(Math.max(a * x.getFloat(j << 2) + b, 0f), 6f));
            }
        } else {
            for (; j < bound; j += LANES) {
                store(load(x, j).mul(va).add(vb), y, j);
            }
            for (; j < to; j++) {
                y.putFloat(j << 2, a * x.getFloat(j << 2) + b);
            }
        }
    }

    /** acc[0] += sum (x - shift), acc[1] += sum (x - shift)^2 over length values from element from. */
    static void addShiftedMoments(ByteBuffer x, int from, int length, float shift, double[] acc) {
        FloatVector vs = FloatVector.broadcast(FLOATS, shift);
        int to = from + length;
        int j = from;
        while (j + 2 * LANES <= to) {
            int end = Math.min(to - 2 * LANES + 1, j + BLOCK);
            FloatVector s0 = FloatVector.zero(FLOATS), s1 = s0, q0 = s0, q1 = s0;
            for (; j < end; j += 2 * LANES) {
                FloatVector d0 = load(x, j).sub(vs);
                FloatVector d1 = load(x, j + LANES).sub(vs);
                s0 = s0.add(d0);
                s1 = s1.add(d1);
                q0 = d0.fma(d0, q0);
                q1 = d1.fma(d1, q1);
            }
            acc[0] += (double) s0.reduceLanes(VectorOperators.ADD) + s1.reduceLanes(VectorOperators.ADD);
            acc[1] += (double) q0.reduceLanes(VectorOperators.ADD) + q1.reduceLanes(VectorOperators.ADD);
        }
        for (; j < to; j++) {
            double d = x.getFloat(j << 2) - shift;
            acc[0] += d;
            acc[1] += d * d;
        }
    }

    /** As {@link BatchNormRelu6Kernel#backward}. */
    void backward(ByteBuffer x, ByteBuffer dy, ByteBuffer dx, double[] mean, double[] var, double eps, double[] gamma,
                  double[] beta, double[] dGamma, double[] dBeta) {
        int count = n * plane;
        IntStream.range(0, channels).parallel().forEach(c -> {
            BatchNormChannel ch = new BatchNormChannel(gamma[c], beta[c], mean[c], var[c], eps);
            double[] acc = new double[2];
            for (int i = 0; i < n; i++) {
                addGradientSums(x, dy, offset(i, c), ch.a, ch.b, ch.meanF, acc);
            }
            float[] k = ch.inputGradient(acc[0], acc[1], count, dGamma, dBeta, c);
            for (int i = 0; i < n; i++) {
                inputGradient(x, dy, dx, offset(i, c), ch.a, ch.b, k[0], k[1], k[2]);
            }
        });
    }

    /** The gradient through ReLU6: g where 0 < a x + b < 6 (the forward's output was not clamped), else 0. */
    private FloatVector masked(FloatVector g, FloatVector x, FloatVector va, FloatVector vb) {
        if (!relu6) {
            return g;
        }
        FloatVector out = x.mul(va).add(vb);
        // BatchNormRelu6FloatKernel.inside, lane-wise
        FloatVector inside = out.mul(out.neg().add(6f)).mul(0x1p75f).mul(0x1p75f).max(0f).min(1f);
        return g.mul(inside);
    }

    private float masked(float g, float x, float a, float b) {
        return relu6 ? g * BatchNormRelu6FloatKernel.inside(a * x + b) : g;
    }

    /** acc[0] += sum g', acc[1] += sum g' (x - m) over one plane, g' the gradient through ReLU6. */
    private void addGradientSums(ByteBuffer x, ByteBuffer dy, int from, float a, float b, float m, double[] acc) {
        FloatVector va = FloatVector.broadcast(FLOATS, a);
        FloatVector vb = FloatVector.broadcast(FLOATS, b);
        FloatVector vm = FloatVector.broadcast(FLOATS, m);
        int to = from + plane;
        int j = from;
        while (j + 2 * LANES <= to) {
            int end = Math.min(to - 2 * LANES + 1, j + BLOCK);
            FloatVector s0 = FloatVector.zero(FLOATS), s1 = s0, d0 = s0, d1 = s0;
            for (; j < end; j += 2 * LANES) {
                FloatVector x0 = load(x, j);
                FloatVector x1 = load(x, j + LANES);
                FloatVector g0 = masked(load(dy, j), x0, va, vb);
                FloatVector g1 = masked(load(dy, j + LANES), x1, va, vb);
                s0 = s0.add(g0);
                s1 = s1.add(g1);
                d0 = g0.fma(x0.sub(vm), d0);
                d1 = g1.fma(x1.sub(vm), d1);
            }
            acc[0] += (double) s0.reduceLanes(VectorOperators.ADD) + s1.reduceLanes(VectorOperators.ADD);
            acc[1] += (double) d0.reduceLanes(VectorOperators.ADD) + d1.reduceLanes(VectorOperators.ADD);
        }
        for (; j < to; j++) {
            float xv = x.getFloat(j << 2);
            float g = masked(dy.getFloat(j << 2), xv, a, b);
            acc[0] += g;
            acc[1] += (double) g * (xv - m);
        }
    }

    /** dx = kf g' + c1 x + c0 over one plane. */
    private void inputGradient(ByteBuffer x, ByteBuffer dy, ByteBuffer dx, int from, float a, float b, float kf,
                               float c1, float c0) {
        FloatVector va = FloatVector.broadcast(FLOATS, a);
        FloatVector vb = FloatVector.broadcast(FLOATS, b);
        int bound = from + FLOATS.loopBound(plane);
        int to = from + plane;
        int j = from;
        for (; j < bound; j += LANES) {
            FloatVector xv = load(x, j);
            FloatVector g = masked(load(dy, j), xv, va, vb);
            store(g.mul(kf).add(xv.mul(c1)).add(c0), dx, j);
        }
        for (; j < to; j++) {
            float xv = x.getFloat(j << 2);
            dx.putFloat(j << 2, kf * masked(dy.getFloat(j << 2), xv, a, b) + c1 * xv + c0);
        }
    }
}
