package org.ssdspark.augment;

import java.util.Random;

/** With probability 1/2 multiplies every value by one factor drawn from [0.5, 1.5) (no clipping). */
final class RandomContrast {
    static final double LOWER = 0.5;
    static final double UPPER = 1.5;

    private RandomContrast() {
    }

    static void apply(FloatImage image, Random rng) {
        if (Uniform.coin(rng)) {
            scale(image, (float) Uniform.between(rng, LOWER, UPPER));
        }
    }

    static void scale(FloatImage image, float alpha) {
        // convertTo computes x*alpha + 0 in float32, the same value as numpy's in-place multiply.
        image.mat().convertTo(image.mat(), -1, alpha, 0.0);
    }
}
