package org.ssdspark.nn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.FloatBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java depthwise kernels (Vector API and heap arrays) against the convolution's definition evaluated in double (forward, input, weight and bias
 * gradients, stride 1 and 2, odd, even and one-pixel sizes, the planes offset inside their buffers), and its gradients
 * against its own forward pass: the convolution is linear, so for L = sum(r * y) the change of L along any direction
 * equals the gradient's dot product with it, which is a gradient check without a step-size error.
 */
class Depthwise3x3KernelTest {

    private static final int[][] SHAPES = {
            // n, c, h, w, stride
            {2, 3, 5, 6, 1}, {2, 3, 5, 6, 2}, {1, 2, 7, 4, 2}, {2, 2, 4, 4, 2}, {1, 3, 1, 3, 1}, {2, 2, 3, 1, 2},
            {1, 1, 1, 1, 1}, {1, 1, 1, 1, 2}, {1, 1, 2, 2, 2}, {2, 4, 19, 19, 1}, {2, 4, 19, 19, 2},
            {1, 3, 38, 37, 2}, {1, 2, 10, 10, 2}, {3, 5, 23, 16, 1}, {2, 2, 41, 45, 1}, {1, 2, 40, 40, 1}, {2, 1, 3, 600, 1}, {8, 8, 48, 48, 1}, {8, 8, 48, 48, 2}, {2, 3, 2, 2, 1}, {2, 3, 3, 3, 1}, {2, 3, 6, 6, 1},
            {1, 2, 2, 1, 1}, {2, 3, 3, 3, 2}, {2, 3, 6, 6, 2}, {2, 3, 12, 12, 2}, {2, 3, 24, 24, 2},
            // the Vector API kernel's weight sums drain every 64 vectors: planes of several drains
            {2, 2, 75, 75, 1}, {2, 2, 75, 75, 2}, {1, 2, 150, 150, 2}};

    private static float[] random(Random r, int length) {
        float[] a = new float[length];
        for (int i = 0; i < length; i++) {
            a[i] = r.nextFloat() * 2 - 1;
        }
        return a;
    }

    /** The floats of {@code a} behind {@code pad} floats of garbage: the kernel must honour the buffer's position. */
    private static FloatBuffer buffer(float[] a, int pad) {
        float[] b = new float[a.length + pad];
        java.util.Arrays.fill(b, 0, pad, Float.NaN);
        System.arraycopy(a, 0, b, pad, a.length);
        return FloatBuffer.wrap(b).position(pad).slice();
    }

    private static float[] read(FloatBuffer b, int length) {
        float[] a = new float[length];
        b.get(0, a, 0, length);
        return a;
    }

    /** Input element (i, c, y, x), zero outside the plane (padding 1). */
    private static double at(float[] x, int[] s, int i, int c, int y, int xx) {
        if (y < 0 || y >= s[2] || xx < 0 || xx >= s[3]) {
            return 0;
        }
        return x[((i * s[1] + c) * s[2] + y) * s[3] + xx];
    }

    private static int out(int size, int stride) {
        return (size - 1) / stride + 1;
    }

    @ParameterizedTest(name = "vector API {0}")
    @ValueSource(booleans = {true, false})
    void theFoldedReLU6IsTheClampedOutput(boolean simd) {
        Random rnd = new Random(9);
        int below = 0;
        int above = 0;
        for (int[] s : SHAPES) {
            int n = s[0], ch = s[1], h = s[2], w = s[3], st = s[4];
            int len = n * ch * out(h, st) * out(w, st);
            float[] x = random(rnd, n * ch * h * w);
            for (int i = 0; i < x.length; i++) {
                x[i] *= 8; // outputs on both sides of 0 and 6
            }
            float[] k = random(rnd, 9 * ch);
            float[] b = random(rnd, ch);
            Depthwise3x3Kernel kernel = Depthwise3x3Kernel.of(new long[]{n, ch, h, w}, st, simd);
            FloatBuffer plain = buffer(new float[len], 3);
            FloatBuffer clamped = buffer(new float[len], 3);
            kernel.forward(buffer(x, 7), k, b, plain, false);
            kernel.forward(buffer(x, 7), k, b, clamped, true);
            float[] p = read(plain, len);
            float[] c = read(clamped, len);
            for (int i = 0; i < len; i++) {
                assertEquals(Math.min(Math.max(p[i], 0f), 6f), c[i], 0f, "element " + i + " of shape " + java.util.Arrays.toString(s));
                below += p[i] < 0 ? 1 : 0;
                above += p[i] > 6 ? 1 : 0;
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(below > 0 && above > 0,
                "the test needs outputs below 0 (" + below + ") and above 6 (" + above + ")");
    }

    @ParameterizedTest(name = "vector API {0}")
    @ValueSource(booleans = {true, false})
    void matchesTheDefinitionInDouble(boolean simd) {
        Random rnd = new Random(5);
        for (int[] s : SHAPES) {
            int n = s[0], ch = s[1], h = s[2], w = s[3], st = s[4];
            int ho = out(h, st), wo = out(w, st);
            float[] x = random(rnd, n * ch * h * w);
            float[] k = random(rnd, 9 * ch);
            float[] b = random(rnd, ch);
            float[] dy = random(rnd, n * ch * ho * wo);
            Depthwise3x3Kernel kernel = Depthwise3x3Kernel.of(new long[]{n, ch, h, w}, st, simd);
            assertEquals(java.util.List.of((long) n, (long) ch, (long) ho, (long) wo),
                    java.util.Arrays.stream(kernel.outputShape()).boxed().toList());
            FloatBuffer y = buffer(new float[n * ch * ho * wo], 3);
            kernel.forward(buffer(x, 7), k, b, y, false);
            FloatBuffer dx = buffer(new float[x.length], 5);
            double[] dk = new double[9 * ch];
            double[] db = new double[ch];
            kernel.backward(buffer(x, 1), buffer(dy, 2), k, dx, dk, db);
            float[] yv = read(y, n * ch * ho * wo);
            float[] dxv = read(dx, x.length);

            double[] dxRef = new double[x.length];
            double[] dkRef = new double[9 * ch];
            double[] dbRef = new double[ch];
            double worst = 0;
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < ch; c++) {
                    for (int oy = 0; oy < ho; oy++) {
                        for (int ox = 0; ox < wo; ox++) {
                            int o = ((i * ch + c) * ho + oy) * wo + ox;
                            double sum = b[c];
                            double g = dy[o];
                            dbRef[c] += g;
                            for (int ky = 0; ky < 3; ky++) {
                                for (int kx = 0; kx < 3; kx++) {
                                    int yy = oy * st - 1 + ky, xx = ox * st - 1 + kx;
                                    double v = at(x, s, i, c, yy, xx);
                                    double kv = k[(ky * 3 + kx) * ch + c];
                                    sum += kv * v;
                                    dkRef[(ky * 3 + kx) * ch + c] += g * v;
                                    if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                                        dxRef[((i * ch + c) * h + yy) * w + xx] += g * kv;
                                    }
                                }
                            }
                            worst = Math.max(worst, Math.abs(sum - yv[o]));
                        }
                    }
                }
            }
            String shape = java.util.Arrays.toString(s);
            assertTrue(worst < 1e-5, shape + ": outputs differ by " + worst);
            for (int j = 0; j < x.length; j++) {
                assertEquals(dxRef[j], dxv[j], 1e-5, shape + ": dx[" + j + "]");
            }
            for (int j = 0; j < dk.length; j++) {
                assertEquals(dkRef[j], dk[j], 1e-5 * Math.max(1, n * ho * wo / 100.0), shape + ": dk[" + j + "]");
            }
            for (int c = 0; c < ch; c++) {
                assertEquals(dbRef[c], db[c], 1e-5 * Math.max(1, n * ho * wo / 100.0), shape + ": db[" + c + "]");
            }
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    private static double loss(Depthwise3x3Kernel kernel, float[] x, float[] k, float[] b, float[] r) {
        FloatBuffer y = FloatBuffer.allocate(r.length);
        kernel.forward(FloatBuffer.wrap(x), k, b, y, false);
        return dot(read(y, r.length), r);
    }

    @ParameterizedTest(name = "vector API {0}")
    @ValueSource(booleans = {true, false})
    void gradientsAreTheForwardPassesDirectionalDerivatives(boolean simd) {
        Random rnd = new Random(9);
        for (int[] s : SHAPES) {
            int n = s[0], ch = s[1], h = s[2], w = s[3], st = s[4];
            Depthwise3x3Kernel kernel = Depthwise3x3Kernel.of(new long[]{n, ch, h, w}, st, simd);
            float[] x = random(rnd, n * ch * h * w);
            float[] k = random(rnd, 9 * ch);
            float[] b = random(rnd, ch);
            float[] r = random(rnd, n * ch * out(h, st) * out(w, st));
            FloatBuffer dxb = FloatBuffer.allocate(x.length);
            double[] dk = new double[9 * ch];
            double[] db = new double[ch];
            kernel.backward(FloatBuffer.wrap(x), FloatBuffer.wrap(r), k, dxb, dk, db);
            float[] dx = read(dxb, x.length);
            double base = loss(kernel, x, k, b, r);
            String shape = java.util.Arrays.toString(s);

            // along a random direction of x, of the weights, of the bias
            float[] d = random(rnd, x.length);
            float[] x2 = x.clone();
            for (int i = 0; i < x.length; i++) {
                x2[i] += d[i];
            }
            double change = loss(kernel, x2, k, b, r) - base;
            assertEquals(dot(dx, d), change, 1e-4 * Math.max(1, Math.abs(change)), shape + ": along x");

            float[] dkDir = random(rnd, k.length);
            float[] k2 = k.clone();
            double expected = 0;
            for (int i = 0; i < k.length; i++) {
                k2[i] += dkDir[i];
                expected += dk[i] * dkDir[i];
            }
            change = loss(kernel, x, k2, b, r) - base;
            assertEquals(expected, change, 1e-4 * Math.max(1, Math.abs(change)), shape + ": along the weights");

            float[] dbDir = random(rnd, ch);
            float[] b2 = b.clone();
            expected = 0;
            for (int c = 0; c < ch; c++) {
                b2[c] += dbDir[c];
                expected += db[c] * dbDir[c];
            }
            change = loss(kernel, x, k, b2, r) - base;
            assertEquals(expected, change, 1e-4 * Math.max(1, Math.abs(change)), shape + ": along the bias");
        }
    }

    @Test
    void refusesOtherStrides() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Depthwise3x3FloatKernel(new long[]{1, 1, 4, 4}, 3));
        assertTrue(e.getMessage().contains("stride"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Depthwise3x3VectorKernel(new long[]{1, 1, 4, 4}, 3));
        assertTrue(e.getMessage().contains("stride"), e.getMessage());
    }
}
