package org.ssdspark.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;

import static org.ssdspark.nn.VectorLanes.FLOATS;

/**
 * {@link Depthwise3x3FloatKernel}'s convolution (3x3, padding 1, stride 1 or 2, one filter per channel) in Vector API
 * loops. Each plane is copied once into a zero-bordered heap plane ((h + 2) x (w + 2)), where every output pixel's
 * nine inputs sit at fixed offsets from its own index, the row above and below included; the Vector API loads at
 * any offset (C2's own vectoriser does not, which is why the array kernel prepares nine shifted copies). So one flat
 * loop over the bordered plane does all rows at once: nine loads and nine multiply-adds per vector of outputs, the
 * two border columns between rows computed and dropped.
 *
 * <p>Stride 2 reuses the stride-1 loops: forward evaluates only the output rows' bordered rows and keeps every second
 * column; backward spreads the output gradient onto the odd bordered positions of a zeroed plane (the positions
 * whose stride-1 stencil is a stride-2 output), after which the input gradient is the stride-1 stencil of that plane
 * with the filter turned and the weight gradient the stride-1 sums. That does up to four times the arithmetic of an
 * exact stride-2 loop but no gathers, which the incubating API of Java 17 has only for heap arrays and slowly.
 *
 * <p>Weight and bias gradients are sums over the whole batch per channel: ten vectors of float partial sums (nine
 * taps, the bias), drained into double every {@value #DRAIN} vectors, so no lane adds more than that many products.
 */
final class Depthwise3x3VectorKernel extends Depthwise3x3Kernel {
    private static final int L = FLOATS.length();
    /** Vectors per float partial sum before it is added into double. */
    private static final int DRAIN = 64;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Bordered row length. */
    private final int bw;
    /** Bordered plane length, plus a vector of slack for the loops' last, partly used vector. */
    private final int bordered;

    Depthwise3x3VectorKernel(long[] nchw, int stride) {
        super(nchw, stride);
        this.bw = w + 2;
        this.bordered = (h + 2) * bw + L;
    }

    /**
     * Per thread: the bordered input, gradient and output planes. Their borders (and, for stride 2, the gradient's
     * unused positions) are zero as long as the layout stays the same, so they are zeroed only when it changes.
     */
    private static final class Scratch {
        float[] x = new float[0];
        float[] g = new float[0];
        float[] out = new float[0];
        float[] row = new float[0];
        long layout = -1;
    }

    private Scratch scratch() {
        Scratch s = SCRATCH.get();
        long layout = ((long) h << 40) | ((long) w << 8) | stride;
        if (s.layout != layout) {
            s.x = new float[bordered];
            s.g = new float[bordered];
            s.out = new float[bordered];
            s.layout = layout;
        }
        if (s.row.length < w + L) {
            s.row = new float[w + L];
        }
        return s;
    }

    /** The plane at {@code from} (h x w) into the interior of the bordered plane {@code b}. */
    private void border(FloatBuffer src, int from, float[] b) {
        for (int y = 0; y < h; y++) {
            src.get(from + y * w, b, (y + 1) * bw + 1, w);
        }
    }

    /** Bordered index of input pixel (0, 0): the first output of a stride-1 stencil. */
    private int first() {
        return bw + 1;
    }

    /**
     * out[q] = b + sum over taps of t[ky 3 + kx] in[q + (ky - 1) bw + (kx - 1)] for q in [from, from + count) (and up
     * to a vector beyond, into the slack).
     */
    private void stencil(float[] in, float[] t, float b, float[] out, int from, int count) {
        int up = -bw;
        int down = bw;
        FloatVector k0 = FloatVector.broadcast(FLOATS, t[0]), k1 = FloatVector.broadcast(FLOATS, t[1]);
        FloatVector k2 = FloatVector.broadcast(FLOATS, t[2]), k3 = FloatVector.broadcast(FLOATS, t[3]);
        FloatVector k4 = FloatVector.broadcast(FLOATS, t[4]), k5 = FloatVector.broadcast(FLOATS, t[5]);
        FloatVector k6 = FloatVector.broadcast(FLOATS, t[6]), k7 = FloatVector.broadcast(FLOATS, t[7]);
        FloatVector k8 = FloatVector.broadcast(FLOATS, t[8]);
        FloatVector bias = FloatVector.broadcast(FLOATS, b);
        int to = from + count;
        for (int q = from; q < to; q += L) {
            FloatVector acc = FloatVector.fromArray(FLOATS, in, q + up - 1).fma(k0, bias);
            acc = FloatVector.fromArray(FLOATS, in, q + up).fma(k1, acc);
            acc = FloatVector.fromArray(FLOATS, in, q + up + 1).fma(k2, acc);
            acc = FloatVector.fromArray(FLOATS, in, q - 1).fma(k3, acc);
            acc = FloatVector.fromArray(FLOATS, in, q).fma(k4, acc);
            acc = FloatVector.fromArray(FLOATS, in, q + 1).fma(k5, acc);
            acc = FloatVector.fromArray(FLOATS, in, q + down - 1).fma(k6, acc);
            acc = FloatVector.fromArray(FLOATS, in, q + down).fma(k7, acc);
            acc = FloatVector.fromArray(FLOATS, in, q + down + 1).fma(k8, acc);
            acc.intoArray(out, q);
        }
    }

    @Override
    void forward(FloatBuffer x, float[] k, float[] bias, FloatBuffer y, boolean relu6) {
        IntStream.range(0, n * channels).parallel().forEach(p -> {
            int c = p % channels;
            float[] t = taps(k, channels, c);
            float b = bias == null ? 0f : bias[c];
            Scratch s = scratch();
            border(x, p * h * w, s.x);
            int to = p * ho * wo;
            if (stride == 1) {
                stencil(s.x, t, b, s.out, first(), (h - 1) * bw + w);
                for (int oy = 0; oy < h; oy++) {
                    if (relu6) {
                        relu6(s.out, (oy + 1) * bw + 1, w);
                    }
                    y.put(to + oy * w, s.out, (oy + 1) * bw + 1, w);
                }
                return;
            }
            float[] row = s.row;
            for (int oy = 0; oy < ho; oy++) {
                // output (oy, ox) is the stride-1 stencil at bordered (2 oy + 1, 2 ox + 1)
                int start = (2 * oy + 1) * bw + 1;
                stencil(s.x, t, b, s.out, start, w);
                for (int ox = 0; ox < wo; ox++) {
                    row[ox] = s.out[start + 2 * ox];
                }
                if (relu6) {
                    relu6(row, 0, wo);
                }
                y.put(to + oy * wo, row, 0, wo);
            }
        });
    }

    /**
     * Input gradient into dx, weight gradient into dk (the weights' layout) and, when not null, the bias gradient into
     * db, from the output gradient dy. Channels run in parallel; each one's images in turn, so nothing is shared.
     */
    @Override
    void backward(FloatBuffer x, FloatBuffer dy, float[] k, FloatBuffer dx, double[] dk, double[] db) {
        IntStream.range(0, channels).parallel().forEach(c -> {
            float[] turned = turned(taps(k, channels, c));
            Scratch s = scratch();
            double[] sums = new double[10];
            for (int i = 0; i < n; i++) {
                int p = i * channels + c;
                border(x, p * h * w, s.x);
                if (stride == 1) {
                    border(dy, p * h * w, s.g);
                    weightSums(s.x, s.g, first(), (h - 1) * bw + w, sums);
                } else {
                    spread(dy, p * ho * wo, s);
                    if (w + L - 1 < 2 * bw) {
                        // only the odd rows hold gradient; a row's last vector runs into the even row after it
                        for (int oy = 0; oy < ho; oy++) {
                            weightSums(s.x, s.g, (2 * oy + 1) * bw + 1, w, sums);
                        }
                    } else {
                        // narrow planes: a vector would reach the next odd row, so one pass over the whole plane
                        weightSums(s.x, s.g, first(), (h - 1) * bw + w, sums);
                    }
                }
                stencil(s.g, turned, 0f, s.out, first(), (h - 1) * bw + w);
                for (int y = 0; y < h; y++) {
                    dx.put(p * h * w + y * w, s.out, (y + 1) * bw + 1, w);
                }
            }
            for (int j = 0; j < 9; j++) {
                dk[j * channels + c] = sums[j];
            }
            if (db != null) {
                db[c] = sums[9];
            }
        });
    }

    /** Output gradient (oy, ox) onto bordered position (2 oy + 1, 2 ox + 1) of the gradient plane, zero elsewhere. */
    private void spread(FloatBuffer dy, int from, Scratch s) {
        float[] row = s.row;
        for (int oy = 0; oy < ho; oy++) {
            dy.get(from + oy * wo, row, 0, wo);
            int start = (2 * oy + 1) * bw + 1;
            for (int ox = 0; ox < wo; ox++) {
                s.g[start + 2 * ox] = row[ox];
            }
        }
    }

    /**
     * sums[ky 3 + kx] += sum over q in [from, from + count) of g[q] x[q + (ky - 1) bw + (kx - 1)], sums[9] += sum g[q]
     * (g is zero on the border and the slack, so the vector past the end adds nothing).
     */
    private void weightSums(float[] x, float[] g, int from, int count, double[] sums) {
        int up = -bw;
        int down = bw;
        int to = from + count;
        int q = from;
        while (q < to) {
            int end = Math.min(to, q + DRAIN * L);
            FloatVector s0 = FloatVector.zero(FLOATS), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
            FloatVector s8 = s0, s9 = s0;
            for (; q < end; q += L) {
                FloatVector gv = FloatVector.fromArray(FLOATS, g, q);
                s0 = gv.fma(FloatVector.fromArray(FLOATS, x, q + up - 1), s0);
                s1 = gv.fma(FloatVector.fromArray(FLOATS, x, q + up), s1);
                s2 = gv.fma(FloatVector.fromArray(FLOATS, x, q + up + 1), s2);
                s3 = gv.fma(FloatVector.fromArray(FLOATS, x, q - 1), s3);
                s4 = gv.fma(FloatVector.fromArray(FLOATS, x, q), s4);
                s5 = gv.fma(FloatVector.fromArray(FLOATS, x, q + 1), s5);
                s6 = gv.fma(FloatVector.fromArray(FLOATS, x, q + down - 1), s6);
                s7 = gv.fma(FloatVector.fromArray(FLOATS, x, q + down), s7);
                s8 = gv.fma(FloatVector.fromArray(FLOATS, x, q + down + 1), s8);
                s9 = s9.add(gv);
            }
            sums[0] += s0.reduceLanes(VectorOperators.ADD);
            sums[1] += s1.reduceLanes(VectorOperators.ADD);
            sums[2] += s2.reduceLanes(VectorOperators.ADD);
            sums[3] += s3.reduceLanes(VectorOperators.ADD);
            sums[4] += s4.reduceLanes(VectorOperators.ADD);
            sums[5] += s5.reduceLanes(VectorOperators.ADD);
            sums[6] += s6.reduceLanes(VectorOperators.ADD);
            sums[7] += s7.reduceLanes(VectorOperators.ADD);
            sums[8] += s8.reduceLanes(VectorOperators.ADD);
            sums[9] += s9.reduceLanes(VectorOperators.ADD);
        }
    }
}
