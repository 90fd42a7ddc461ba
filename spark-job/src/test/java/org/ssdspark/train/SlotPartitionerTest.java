package org.ssdspark.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Slot s of a shuffled epoch goes to task s / recordsPerTask: whole tasks of consecutive slots, one per partition. */
class SlotPartitionerTest {

    @Test
    void consecutiveSlotsFillOneTaskAfterAnother() {
        // the quick start with two workers of 8, averaging every 5: tasks of 40 slots, 224 trained
        EpochLayout layout = new EpochLayout(225, 2, 8, 5, 0);
        SlotPartitioner partitioner = new SlotPartitioner(layout);
        assertEquals(6, partitioner.numPartitions());
        assertEquals(0, partitioner.getPartition(0));
        assertEquals(0, partitioner.getPartition(39));
        assertEquals(1, partitioner.getPartition(40));
        assertEquals(5, partitioner.getPartition(200));
        assertEquals(5, partitioner.getPartition(223));

        int[] perTask = new int[partitioner.numPartitions()];
        int previous = 0;
        for (int slot = 0; slot < layout.trainedRecords(); slot++) {
            int task = partitioner.getPartition(slot);
            assertTrue(task == previous || task == previous + 1, "slot " + slot + " skipped a task");
            previous = task;
            perTask[task]++;
        }
        // full tasks of batch x frequency, the last one short but of whole minibatches
        assertArrayEquals(new int[]{40, 40, 40, 40, 40, 24}, perTask);
    }

    @Test
    void everyTrainedSlotHasAPartitionOfTheShuffle() {
        // tasks() must cover the last trained slot, or Spark fails the shuffle with a partition out of range
        for (int records = 1; records <= 70; records++) {
            for (int batch = 1; batch <= 5; batch++) {
                EpochLayout layout = new EpochLayout(records, 3, batch, 2, 0);
                SlotPartitioner partitioner = new SlotPartitioner(layout);
                int last = partitioner.getPartition((int) layout.trainedRecords() - 1);
                assertEquals(partitioner.numPartitions() - 1, last, layout.toString());
            }
        }
    }

    @Test
    void equalLayoutsGiveEqualPartitioners() {
        // Spark skips a shuffle between RDDs with equal partitioners: only the same layout may compare equal
        SlotPartitioner a = new SlotPartitioner(new EpochLayout(225, 2, 8, 5, 0));
        SlotPartitioner same = new SlotPartitioner(new EpochLayout(225, 2, 8, 5, 0));
        assertEquals(a, same);
        assertEquals(a.hashCode(), same.hashCode());
        // tasks of 32 slots instead of 40: another placement of the same slots
        assertNotEquals(a, new SlotPartitioner(new EpochLayout(225, 2, 8, 4, 0)));
        assertNotEquals(a, new org.apache.spark.HashPartitioner(6));
    }
}
