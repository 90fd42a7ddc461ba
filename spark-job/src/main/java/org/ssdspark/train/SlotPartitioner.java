package org.ssdspark.train;

import org.apache.spark.Partitioner;

/** Sends the record in epoch slot s to task {@code s / recordsPerTask}. */
final class SlotPartitioner extends Partitioner {

    private static final long serialVersionUID = 1L;
    private final EpochLayout layout;

    SlotPartitioner(EpochLayout layout) {
        this.layout = layout;
    }

    @Override
    public int numPartitions() {
        return layout.tasks();
    }

    @Override
    public int getPartition(Object key) {
        return layout.taskOfSlot((Integer) key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SlotPartitioner other && other.layout.equals(layout);
    }

    @Override
    public int hashCode() {
        return layout.hashCode();
    }
}
