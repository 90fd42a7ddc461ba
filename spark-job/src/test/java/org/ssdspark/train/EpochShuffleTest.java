package org.ssdspark.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ssdspark.testing.TestSpark;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An epoch's order: the permutation is a reproducible function of (seed, epoch), and through Spark's shuffle every
 * trained slot lands exactly once, in slot order, in the task {@link EpochLayout} gives it.
 */
class EpochShuffleTest {

    private static final long SEED = 12345;

    private static JavaSparkContext jsc;
    private static Broadcast<Map<String, Integer>> idIndex;
    private static JavaRDD<TrainingRecord> records;

    // 45 records, 2 workers x batch 4 x averaging frequency 2: tasks of 8 slots, 44 slots trained (the last
    // slot is the partial minibatch), tasks 8, 8 | 8, 8 | 8, 4
    private static final EpochLayout LAYOUT = new EpochLayout(45, 2, 4, 2, 0);

    @BeforeAll
    static void records() {
        jsc = JavaSparkContext.fromSparkContext(TestSpark.local().sparkContext());
        List<TrainingRecord> list = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < LAYOUT.records(); i++) {
            String id = String.format("%06d", i);
            list.add(new TrainingRecord(id, 1, 1, new byte[0], new float[0][], new int[0]));
            index.put(id, i);
        }
        idIndex = jsc.broadcast(index);
        // three input partitions unlike the six tasks: the shuffle, not the input layout, makes the order
        records = jsc.parallelize(list, 3);
    }

    @AfterAll
    static void release() {
        idIndex.destroy();
    }

    @Test
    void thePermutationIsAPermutationAndDependsOnlyOnSeedAndEpoch() {
        int[] p = EpochShuffle.permutation(1000, SEED, 3);
        assertArrayEquals(IntStream.range(0, 1000).toArray(), Arrays.stream(p).sorted().toArray(),
                "every index exactly once");
        assertArrayEquals(p, EpochShuffle.permutation(1000, SEED, 3), "same (seed, epoch), same order");
        assertFalse(Arrays.equals(p, EpochShuffle.permutation(1000, SEED, 4)), "another epoch, another order");
        assertFalse(Arrays.equals(p, EpochShuffle.permutation(1000, SEED + 1, 3)), "another seed, another order");
    }

    @Test
    void theOrderOfASeedIsPinned() {
        // A run is reproducible for its seed (README: the same seed gives the same mAP to every printed digit), and
        // a resumed run continues the same sequence of epochs: changing the permutation's derivation changes every
        // published number. These values are the current derivation's (SampleSeeds.of(seed, epoch, -1) into
        // java.util.Random, Fisher-Yates from the end).
        assertArrayEquals(new int[]{2, 5, 3, 1, 0, 7, 4, 6, 8, 9}, EpochShuffle.permutation(10, SEED, 0));
        assertArrayEquals(new int[]{0}, EpochShuffle.permutation(1, SEED, 0));
        assertEquals(0, EpochShuffle.permutation(0, SEED, 0).length);
    }

    @Test
    void everyIndexIsEquallyLikelyInEveryPosition() {
        // Fisher-Yates must draw j from 0..i inclusive; drawing from 0..i-1 (Sattolo's algorithm) never leaves an
        // index in place, drawing from 0..n-1 favours some orders. 4000 epochs of 4 indices: each (index, position)
        // pair is expected 1000 times, standard deviation about 27.
        int n = 4;
        int[][] counts = new int[n][n];
        for (int epoch = 0; epoch < 4000; epoch++) {
            int[] p = EpochShuffle.permutation(n, SEED, epoch);
            for (int index = 0; index < n; index++) {
                counts[index][p[index]]++;
            }
        }
        for (int index = 0; index < n; index++) {
            for (int slot = 0; slot < n; slot++) {
                assertTrue(counts[index][slot] > 880 && counts[index][slot] < 1120,
                        "index " + index + " went to slot " + slot + " " + counts[index][slot] + " times of 4000: "
                                + Arrays.deepToString(counts));
            }
        }
    }

    @Test
    void eachRoundHoldsItsTasksSlotsInOrderAndEveryTrainedSlotOnce() {
        int epoch = 2;
        int[] permutation = EpochShuffle.permutation(45, SEED, epoch);
        EpochShuffle shuffle = EpochShuffle.of(jsc, records, idIndex, LAYOUT, SEED, epoch);
        try {
            assertEquals(3, LAYOUT.rounds());
            int[] seen = new int[45];
            int[][] expectedSizes = {{8, 8}, {8, 8}, {8, 4}};
            for (int round = 0; round < LAYOUT.rounds(); round++) {
                List<List<Tuple2<Integer, TrainingRecord>>> tasks = shuffle.round(round).glom().collect();
                assertEquals(expectedSizes[round].length, tasks.size(), "round " + round + " reads only its tasks");
                for (int i = 0; i < tasks.size(); i++) {
                    int task = LAYOUT.firstTask(round) + i;
                    List<Tuple2<Integer, TrainingRecord>> slots = tasks.get(i);
                    assertEquals(expectedSizes[round][i], slots.size(), "round " + round + " task " + task);
                    for (int k = 0; k < slots.size(); k++) {
                        int slot = slots.get(k)._1();
                        // consecutive slots from the task's first, in order: the task's minibatches are the epoch's
                        assertEquals(task * LAYOUT.recordsPerTask() + k, slot, "round " + round + " task " + task);
                        int index = Integer.parseInt(slots.get(k)._2().id());
                        assertEquals(permutation[index], slot, "record " + index + " sits in its permuted slot");
                        seen[slot]++;
                    }
                }
            }
            for (int slot = 0; slot < 44; slot++) {
                assertEquals(1, seen[slot], "slot " + slot + " trained exactly once");
            }
            assertEquals(0, seen[44], "the partial minibatch's slot is left out");
        } finally {
            shuffle.release();
        }
    }

    @Test
    void aSecondShuffleOfTheSameEpochGivesTheSameTasks() {
        // a recomputed shuffle (lost shuffle output, a re-run round) must rebuild the same tasks
        EpochShuffle first = EpochShuffle.of(jsc, records, idIndex, LAYOUT, SEED, 5);
        EpochShuffle again = EpochShuffle.of(jsc, records, idIndex, LAYOUT, SEED, 5);
        EpochShuffle nextEpoch = EpochShuffle.of(jsc, records, idIndex, LAYOUT, SEED, 6);
        try {
            List<String> a = ids(first.round(1).glom().collect());
            assertEquals(a, ids(again.round(1).glom().collect()));
            assertFalse(a.equals(ids(nextEpoch.round(1).glom().collect())), "the next epoch reorders: " + a);
        } finally {
            first.release();
            again.release();
            nextEpoch.release();
        }
    }

    private static List<String> ids(List<List<Tuple2<Integer, TrainingRecord>>> tasks) {
        List<String> ids = new ArrayList<>();
        for (List<Tuple2<Integer, TrainingRecord>> task : tasks) {
            task.forEach(t -> ids.add(t._2().id()));
            ids.add("|");
        }
        return ids;
    }
}
