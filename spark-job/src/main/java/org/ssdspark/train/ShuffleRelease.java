package org.ssdspark.train;

import org.apache.spark.ShuffleDependency;
import org.apache.spark.SparkContext;
import org.apache.spark.rdd.RDD;

/**
 * Removes a shuffle's output from every executor once nothing will read it again. Spark only does this when the
 * RDD is garbage-collected on the driver (its ContextCleaner, or the periodic GC every 30 minutes); an epoch's
 * shuffle holds every JPEG of the epoch, so 200 epochs could otherwise leave up to 200 copies of the data set on the
 * executors' disks between collections. The cleaner's own removal is used: map outputs unregistered, blocks removed.
 */
final class ShuffleRelease {
    private ShuffleRelease() {
    }

    /** The shuffle that {@code shuffled} reads (it must be the direct child of one shuffle dependency). */
    static int shuffleId(RDD<?> shuffled) {
        if (shuffled.dependencies().size() != 1
                || !(shuffled.dependencies().head() instanceof ShuffleDependency<?, ?, ?> dependency)) {
            throw new IllegalArgumentException(shuffled + " does not read exactly one shuffle");
        }
        return dependency.shuffleId();
    }

    /** Removes the shuffle's files and map outputs without waiting for the executors. */
    static void release(SparkContext sc, int shuffleId) {
        if (sc.cleaner().isDefined()) {
            sc.cleaner().get().doCleanupShuffle(shuffleId, false);
        }
    }
}
