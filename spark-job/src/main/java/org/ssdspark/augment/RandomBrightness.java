package org.ssdspark.augment;

import java.util.Random;

/** With probability 1/2 adds one delta drawn from [-32, 32) to every value (no clipping, as the reference). */
final class RandomBrightness {
    static final double DELTA = 32;

    private RandomBrightness() {
    }

    static void apply(FloatImage image, Random rng) {
        if (Uniform.coin(rng)) {
            add(image, (float) Uniform.between(rng, -DELTA, DELTA));
        }
    }

    static void add(FloatImage image, float delta) {
        // convertTo computes x*1 + delta in float32, the same value as numpy's in-place add.
        image.mat().convertTo(image.mat(), -1, 1.0, delta);
    }
}
