package org.ssdspark.train;

/**
 * Seeds derived from (run seed, epoch, slot): every random choice of an epoch (its order, each image's
 * augmentation) depends only on these, so a retried task or a resumed run sees exactly the same samples.
 */
final class SampleSeeds {

    private SampleSeeds() {
    }

    static long of(long seed, int epoch, long slot) {
        return mix(mix(mix(seed) ^ (epoch + 0x632BE59BD9B4E019L)) ^ slot);
    }

    /** SplitMix64's finaliser: neighbouring inputs give unrelated outputs. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
