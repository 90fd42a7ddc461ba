package org.ssdspark.augment;

import java.nio.FloatBuffer;
import java.util.Random;

/**
 * On an HSV image, with probability 1/2 shifts H by one delta drawn from [-18, 18) degrees, then
 * wraps values above 360 down and below 0 up by 360 (360 itself stays, as in the reference).
 */
final class RandomHue {
    static final double DELTA = 18;

    private RandomHue() {
    }

    static void apply(FloatImage hsv, Random rng) {
        if (Uniform.coin(rng)) {
            shift(hsv, (float) Uniform.between(rng, -DELTA, DELTA));
        }
    }

    static void shift(FloatImage hsv, float delta) {
        FloatBuffer px = hsv.pixels();
        int n = px.capacity();
        for (int i = 0; i < n; i += 3) {
            float h = px.get(i) + delta;
            if (h > 360f) {
                h -= 360f;
            } else if (h < 0f) {
                h += 360f;
            }
            px.put(i, h);
        }
    }
}
