package org.ssdspark.nn;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * A 3x3 depthwise convolution (padding 1, stride 1 or 2, one filter per channel, optional bias) over contiguous NCHW
 * float activations, forward and backward, in plain Java loops the JIT vectorises.
 *
 * <p>Why not oneDNN: libnd4j's {@code depthwise_conv2d} ops hand oneDNN "any" layouts, so every call reorders its NCHW
 * input, output gradient (twice), weights and results to and from a channel-blocked layout; on mb2-ssd-lite's shapes
 * those reorders took several times the convolution itself.
 *
 * <p>How: Java 17's C2 vectorises a loop only when all its array accesses sit at the same offset from the loop index
 * ({@code o[j] += k * p[j + 1]} runs scalar, four times slower than {@code o[j] += k * p[j]}). So every input row is
 * first laid out as three arrays, one per filter column: the row shifted right by one (zero first), the row, the row
 * shifted left by one (zero last); stride 2 takes the odd, even and next odd columns instead. Each output row is then
 * three loops (one per filter row) over aligned arrays; C2 gives up on a single loop with nine array streams. A ring
 * of three such rows per thread means each input row is prepared once per plane; stride-1 planes of at most
 * {@value #WHOLE_PLANE_MAX} pixels are prepared whole instead, so their loops run over the plane. The input gradient at stride 1 is the same stencil over the output gradient with the filter turned; at stride
 * 2 it is scattered into even and odd columns and interleaved. The weight and bias gradients are summed per channel in
 * float lanes one row wide (across one image's rows), whose totals are added in double image by image; whole-plane
 * lanes take one value per image and are totalled once.
 *
 * <p>Layouts: weights {@code k[(ky * 3 + kx) * C + c]} (DL4J's depthwise [kH, kW, C, 1]).
 */
final class Depthwise3x3FloatKernel extends Depthwise3x3Kernel {

    /** Largest plane (h w) that stride 1 handles whole: ten such arrays stay in the core's L1/L2 caches. */
    private static final int WHOLE_PLANE_MAX = 1600;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);


    Depthwise3x3FloatKernel(long[] nchw, int stride) {
        super(nchw, stride);
    }

    /** A ring of three prepared input rows (three column-shifted arrays each) over one plane of one buffer. */
    private static final class Ring {
        final float[][][] rows = new float[3][3][0];
        final int[] loaded = new int[3];

        void reset(int length) {
            Arrays.fill(loaded, Integer.MIN_VALUE);
            for (float[][] r : rows) {
                for (int j = 0; j < 3; j++) {
                    if (r[j].length < length) {
                        r[j] = new float[length];
                    }
                }
            }
        }
    }

    /** Per thread working set; grows to the largest row seen. */
    private static final class Scratch {
        final Ring x = new Ring();
        final Ring g = new Ring();
        float[] raw = new float[0];
        float[] out = new float[0];
        float[] grad = new float[0];
        float[] shiftedGrad = new float[0];
        float[][] evenGrad = new float[0][];
        float[][] oddGrad = new float[0][];
        final float[][][] xPlane = new float[3][3][0];
        final float[][][] gPlane = new float[3][3][0];

        float[] raw(int length) {
            return raw = grown(raw, length);
        }

        float[] out(int length) {
            return out = grown(out, length);
        }
    }

    /** {@code a} itself if it holds {@code length} floats, else a new array that does. */
    private static float[] grown(float[] a, int length) {
        return a.length < length ? new float[length] : a;
    }

    /** {@code a} itself if it holds {@code rows} rows of {@code length} floats, else a new array that does. */
    private static float[][] grown(float[][] a, int rows, int length) {
        return a.length < rows || a[0].length < length ? new float[rows][length] : a;
    }

    /**
     * Stride 1 on small planes: the per-row loops were short enough there that their set-up cost exceeded the
     * arithmetic, so the taps are prepared as whole-plane arrays and each loop runs over the plane.
     */
    private boolean wholePlane() {
        return stride == 1 && h * w <= WHOLE_PLANE_MAX;
    }

    /**
     * Stride 1, whole plane: {@code taps[ky][kx][j]} is the input that tap (ky, kx) meets at output j, the input at
     * j + (ky - 1) w + (kx - 1), zero where that falls outside the plane.
     */
    private void planeTaps(FloatBuffer src, int plane, float[][][] taps) {
        int len = h * w;
        for (float[][] r : taps) {
            for (int j = 0; j < 3; j++) {
                if (r[j].length < len) {
                    r[j] = new float[len];
                }
            }
        }
        float[][] mid = taps[1];
        float[] centre = mid[1];
        src.get(plane, centre, 0, len);
        float[] left = mid[0];
        float[] right = mid[2];
        left[0] = 0f;
        System.arraycopy(centre, 0, left, 1, len - 1);
        System.arraycopy(centre, 1, right, 0, len - 1);
        for (int y = 0; y < h; y++) {
            left[y * w] = 0f;
            right[y * w + w - 1] = 0f;
        }
        for (int kx = 0; kx < 3; kx++) {
            float[] top = taps[0][kx];
            float[] bottom = taps[2][kx];
            Arrays.fill(top, 0, w, 0f);
            System.arraycopy(mid[kx], 0, top, w, len - w);
            System.arraycopy(mid[kx], w, bottom, 0, len - w);
            Arrays.fill(bottom, len - w, len, 0f);
        }
    }

    /**
     * Input row r of the plane at {@code plane} as three arrays of an output row's width: the values that filter columns 0,
     * 1 and 2 meet at each output column (zero outside the plane: padding 1). Prepared once per plane and row.
     */
    private float[][] row(Ring ring, FloatBuffer src, int plane, int r, Scratch s) {
        int slot = Math.floorMod(r, 3);
        float[][] shifted = ring.rows[slot];
        if (ring.loaded[slot] == r) {
            return shifted;
        }
        ring.loaded[slot] = r;
        int len = wo;
        if (r < 0 || r >= h) {
            for (float[] a : shifted) {
                Arrays.fill(a, 0, len, 0f);
            }
            return shifted;
        }
        if (stride == 1) {
            src.get(plane + r * w, shifted[1], 0, w);
            shifted[0][0] = 0f;
            System.arraycopy(shifted[1], 0, shifted[0], 1, w - 1);
            System.arraycopy(shifted[1], 1, shifted[2], 0, w - 1);
            shifted[2][w - 1] = 0f;
        } else {
            float[] raw = s.raw(w);
            src.get(plane + r * w, raw, 0, w);
            float[] even = shifted[1];
            float[] odd = shifted[2];
            for (int i = 0; i < len; i++) {
                even[i] = raw[2 * i];
                odd[i] = 2 * i + 1 < w ? raw[2 * i + 1] : 0f;
            }
            // column 2i - 1 is the odd column before
            shifted[0][0] = 0f;
            System.arraycopy(odd, 0, shifted[0], 1, len - 1);
        }
        return shifted;
    }

    /**
     * out[j] = b + sum over taps of t * the tap's prepared row, for j < len: one loop per filter row, because C2 stops
     * vectorising a loop with nine array streams (a single nine-tap loop ran six times slower than these three).
     */
    private static void stencil(float[][] top, float[][] mid, float[][] bottom, float[] t, float b, float[] out, int len) {
        float[] a0 = top[0], a1 = top[1], a2 = top[2];
        float k0 = t[0], k1 = t[1], k2 = t[2];
        for (int j = 0; j < len; j++) {
            out[j] = b + k0 * a0[j] + k1 * a1[j] + k2 * a2[j];
        }
        addRow(mid, t[3], t[4], t[5], out, len);
        addRow(bottom, t[6], t[7], t[8], out, len);
    }

    private static void addRow(float[][] row, float k0, float k1, float k2, float[] out, int len) {
        float[] a0 = row[0], a1 = row[1], a2 = row[2];
        for (int j = 0; j < len; j++) {
            out[j] += k0 * a0[j] + k1 * a1[j] + k2 * a2[j];
        }
    }

    @Override
    void forward(FloatBuffer x, float[] k, float[] bias, FloatBuffer y, boolean relu6) {
        IntStream.range(0, n * channels).parallel().forEach(p -> {
            int c = p % channels;
            float[] t = taps(k, channels, c);
            float b = bias == null ? 0f : bias[c];
            Scratch s = SCRATCH.get();
            int in = p * h * w;
            if (wholePlane()) {
                float[] out = s.out(h * w);
                planeTaps(x, in, s.xPlane);
                stencil(s.xPlane[0], s.xPlane[1], s.xPlane[2], t, b, out, h * w);
                if (relu6) {
                    relu6(out, 0, h * w);
                }
                y.put(in, out, 0, h * w);
                return;
            }
            s.x.reset(wo);
            float[] out = s.out(wo);
            for (int oy = 0; oy < ho; oy++) {
                int r = oy * stride - 1;
                stencil(row(s.x, x, in, r, s), row(s.x, x, in, r + 1, s), row(s.x, x, in, r + 2, s), t, b, out, wo);
                if (relu6) {
                    relu6(out, 0, wo);
                }
                y.put((p * ho + oy) * wo, out, 0, wo);
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
            float[] t = taps(k, channels, c);
            float[] turned = stride == 1 ? turned(t) : null;
            // nine tap lanes, then the bias lane
            float[][] acc = new float[db == null ? 9 : 10][wholePlane() ? h * w : wo];
            Scratch s = SCRATCH.get();
            double[] sums = new double[acc.length];
            for (int i = 0; i < n; i++) {
                int p = i * channels + c;
                if (wholePlane()) {
                    backwardWholePlane(x, dy, dx, p, turned, acc, s);
                } else if (stride == 1) {
                    backward1(x, dy, dx, p, turned, acc, s);
                } else {
                    backward2(x, dy, dx, p, t, acc, s);
                }
                // a row-wide float lane sums one image's rows at most: these sums cancel heavily, so keep their error
                // small; a whole-plane lane gets one value per image, and draining its plane-long lanes per image
                // cost more than the convolution (38x38 planes: backward 25 ms against 3 ms forward)
                if (!wholePlane()) {
                    drainInto(acc, sums);
                }
            }
            drainInto(acc, sums);
            for (int j = 0; j < 9; j++) {
                dk[j * channels + c] = sums[j];
            }
            if (db != null) {
                db[c] = sums[9];
            }
        });
    }

    /** Each lane array's total added to its sum in double; the lanes are zeroed. */
    private static void drainInto(float[][] acc, double[] sums) {
        for (int j = 0; j < acc.length; j++) {
            float[] lanes = acc[j];
            double s = 0;
            for (int i = 0; i < lanes.length; i++) {
                s += lanes[i];
                lanes[i] = 0f;
            }
            sums[j] += s;
        }
    }

    /** acc[ky * 3 + kx][j] += g[j] * (input row of ky, shifted for kx)[j], and the bias lane acc[9][j] += g[j]. */
    private static void accumulate(float[][] acc, float[] g, float[][] top, float[][] mid, float[][] bottom, int len) {
        accumulateRow(acc, 0, g, top, len);
        accumulateRow(acc, 3, g, mid, len);
        accumulateRow(acc, 6, g, bottom, len);
        if (acc.length > 9) {
            float[] sb = acc[9];
            for (int j = 0; j < len; j++) {
                sb[j] += g[j];
            }
        }
    }

    /** Three taps per loop: more array streams in one loop and C2 no longer vectorises it. */
    private static void accumulateRow(float[][] acc, int first, float[] g, float[][] row, int len) {
        float[] a0 = row[0], a1 = row[1], a2 = row[2];
        float[] s0 = acc[first], s1 = acc[first + 1], s2 = acc[first + 2];
        for (int j = 0; j < len; j++) {
            float v = g[j];
            s0[j] += v * a0[j];
            s1[j] += v * a1[j];
            s2[j] += v * a2[j];
        }
    }

    /*
     * Stride 1: dx row y = sum over taps (ky, kx) of k(ky, kx) dy[y + 1 - ky][x + 1 - kx], the forward stencil over
     * dy's prepared rows with the filter turned (f); dy row oy meets input rows oy - 1 .. oy + 1 in the weight gradient.
     */
    private void backward1(FloatBuffer x, FloatBuffer dy, FloatBuffer dx, int p, float[] f, float[][] acc, Scratch s) {
        s.x.reset(w);
        s.g.reset(w);
        float[] out = s.out(w);
        int in = p * h * w;
        for (int y = 0; y < h; y++) {
            float[][] g = row(s.g, dy, in, y, s);
            stencil(row(s.g, dy, in, y - 1, s), g, row(s.g, dy, in, y + 1, s), f, 0f, out, w);
            dx.put(in + y * w, out, 0, w);
            accumulate(acc, g[1], row(s.x, x, in, y - 1, s), row(s.x, x, in, y, s), row(s.x, x, in, y + 1, s), w);
        }
    }

    /* Stride 1 on a small plane: backward1's arithmetic with whole-plane taps; f is the turned filter. */
    private void backwardWholePlane(FloatBuffer x, FloatBuffer dy, FloatBuffer dx, int p, float[] f, float[][] acc,
                                    Scratch s) {
        int len = h * w;
        int in = p * len;
        float[] out = s.out(len);
        planeTaps(dy, in, s.gPlane);
        stencil(s.gPlane[0], s.gPlane[1], s.gPlane[2], f, 0f, out, len);
        dx.put(in, out, 0, len);
        planeTaps(x, in, s.xPlane);
        accumulate(acc, s.gPlane[1][1], s.xPlane[0], s.xPlane[1], s.xPlane[2], len);
    }

    /*
     * Stride 2: dy (oy, ox) reaches input row 2 oy - 1 + ky at column 2 ox - 1 + kx, that is the even column ox
     * (kx = 1), the odd column ox (kx = 2) and the odd column ox - 1 (kx = 0; the gradient row shifted left by one).
     */
    private void backward2(FloatBuffer x, FloatBuffer dy, FloatBuffer dx, int p, float[] t, float[][] acc, Scratch s) {
        s.x.reset(wo);
        float[] g = s.grad = grown(s.grad, wo);
        float[] gs = s.shiftedGrad = grown(s.shiftedGrad, wo);
        float[][] even = s.evenGrad = grown(s.evenGrad, h, wo);
        float[][] odd = s.oddGrad = grown(s.oddGrad, h, wo);
        for (int y = 0; y < h; y++) {
            Arrays.fill(even[y], 0, wo, 0f);
            Arrays.fill(odd[y], 0, wo, 0f);
        }
        int in = p * h * w;
        int out = p * ho * wo;
        for (int oy = 0; oy < ho; oy++) {
            dy.get(out + oy * wo, g, 0, wo);
            System.arraycopy(g, 1, gs, 0, wo - 1);
            gs[wo - 1] = 0f;
            int r = 2 * oy - 1;
            accumulate(acc, g, row(s.x, x, in, r, s), row(s.x, x, in, r + 1, s), row(s.x, x, in, r + 2, s), wo);
            for (int ky = 0; ky < 3; ky++) {
                int y = r + ky;
                if (y >= 0 && y < h) {
                    scatter(even[y], odd[y], g, gs, t[ky * 3], t[ky * 3 + 1], t[ky * 3 + 2], wo);
                }
            }
        }
        float[] row = s.out(w);
        for (int y = 0; y < h; y++) {
            float[] e = even[y];
            float[] o = odd[y];
            for (int i = 0; i < wo; i++) {
                row[2 * i] = e[i];
                if (2 * i + 1 < w) {
                    row[2 * i + 1] = o[i];
                }
            }
            dx.put(in + y * w, row, 0, w);
        }
    }

    /** even[i] += k1 g[i]; odd[i] += k2 g[i] + k0 gs[i]. */
    private static void scatter(float[] even, float[] odd, float[] g, float[] gs, float k0, float k1, float k2, int len) {
        for (int i = 0; i < len; i++) {
            even[i] += k1 * g[i];
            odd[i] += k2 * g[i] + k0 * gs[i];
        }
    }
}
