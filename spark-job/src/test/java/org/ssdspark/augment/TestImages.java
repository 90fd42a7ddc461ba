package org.ssdspark.augment;

import java.util.Random;

/** Small synthetic float images for op tests. */
final class TestImages {
    private TestImages() {
    }

    /** Every value distinct and recognisable: {@code (y * width + x) * 3 + c} scaled into 0..255. */
    static float[] ramp(int height, int width) {
        float[] hwc = new float[height * width * 3];
        for (int i = 0; i < hwc.length; i++) {
            hwc[i] = (i * 255f) / hwc.length;
        }
        return hwc;
    }

    static float[] noise(int height, int width, long seed) {
        Random rng = new Random(seed);
        float[] hwc = new float[height * width * 3];
        for (int i = 0; i < hwc.length; i++) {
            hwc[i] = rng.nextInt(256);
        }
        return hwc;
    }

    /** A Random whose every draw is zero: with it, the reference pipeline changes nothing. */
    static Random zeros() {
        return new Random() {
            @Override
            public int nextInt(int bound) {
                return 0;
            }

            @Override
            public double nextDouble() {
                return 0;
            }
        };
    }
}
