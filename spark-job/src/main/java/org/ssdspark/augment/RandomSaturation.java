package org.ssdspark.augment;

import java.nio.FloatBuffer;
import java.util.Random;

/** On an HSV image, with probability 1/2 multiplies S by one factor drawn from [0.5, 1.5). */
final class RandomSaturation {
    static final double LOWER = 0.5;
    static final double UPPER = 1.5;

    private RandomSaturation() {
    }

    static void apply(FloatImage hsv, Random rng) {
        if (Uniform.coin(rng)) {
            scale(hsv, (float) Uniform.between(rng, LOWER, UPPER));
        }
    }

    static void scale(FloatImage hsv, float factor) {
        FloatBuffer px = hsv.pixels();
        int n = px.capacity();
        for (int i = 1; i < n; i += 3) {
            px.put(i, px.get(i) * factor);
        }
    }
}
