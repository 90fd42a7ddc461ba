package org.ssdspark.augment;

import java.util.Random;

/** With probability 1/2 picks one of the six channel permutations (identity included) uniformly. */
final class RandomLightingNoise {
    private RandomLightingNoise() {
    }

    static ChannelOrder sample(Random rng) {
        if (Uniform.coin(rng)) {
            return ChannelOrder.PERMUTATIONS[rng.nextInt(ChannelOrder.PERMUTATIONS.length)];
        }
        return ChannelOrder.IDENTITY;
    }
}
