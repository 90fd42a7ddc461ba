package org.ssdspark.augment;

import java.util.Random;

/** numpy.random's draws as the reference calls them, on a {@link Random}. */
final class Uniform {
    private Uniform() {
    }

    /** {@code random.randint(2)}: a fair coin, true for 1. */
    static boolean coin(Random rng) {
        return rng.nextInt(2) == 1;
    }

    /** {@code random.uniform(low, high)}: {@code low + (high - low) * u}, u in [0, 1). */
    static double between(Random rng, double low, double high) {
        return low + (high - low) * rng.nextDouble();
    }

    /**
     * {@code random.uniform(x)} with one argument, as the reference calls it for the crop's corner:
     * numpy reads it as {@code uniform(low=x, high=1.0)}, so the draw lies between 1 and x (not 0 and x).
     */
    static double numpyOneArgument(Random rng, double x) {
        return between(rng, x, 1.0);
    }
}
