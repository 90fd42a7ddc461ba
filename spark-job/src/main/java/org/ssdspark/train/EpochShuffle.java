package org.ssdspark.train;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

import java.io.Serializable;
import java.util.Map;
import java.util.Random;

/**
 * One epoch's order of the raw records. Each record goes to the slot {@code permutation[index(id)]}, where the index
 * numbers the sorted ids and the permutation is drawn from (seed, epoch); Spark's shuffle then puts slot s in task
 * {@code s / recordsPerTask}, sorted by slot. Only JPEG bytes and boxes travel (in Spark's shuffle files): nothing
 * decoded is kept. A round takes its tasks' partitions alone ({@link PartitionPruningRDD}), so each round reads
 * only its share of the shuffle output, and a lost shuffle output is recomputed to the same order.
 */
public final class EpochShuffle {

    private final EpochLayout layout;
    private final JavaPairRDD<Integer, TrainingRecord> bySlot;
    private final Broadcast<int[]> permutation;

    private EpochShuffle(EpochLayout layout, JavaPairRDD<Integer, TrainingRecord> bySlot, Broadcast<int[]> permutation) {
        this.layout = layout;
        this.bySlot = bySlot;
        this.permutation = permutation;
    }

    public static EpochShuffle of(JavaSparkContext jsc, JavaRDD<TrainingRecord> records,
                                  Broadcast<Map<String, Integer>> idIndex, EpochLayout layout, long seed, int epoch) {
        Broadcast<int[]> perm = jsc.broadcast(permutation(Math.toIntExact(layout.records()), seed, epoch));
        JavaPairRDD<Integer, TrainingRecord> bySlot = records
                .mapToPair(r -> {
                    Integer index = idIndex.value().get(r.id());
                    if (index == null) {
                        throw new IllegalStateException("record " + r.id() + " appeared after the ids were listed");
                    }
                    return new Tuple2<>(perm.value()[index], r);
                })
                .filter(slotted -> layout.trains(slotted._1()))
                .repartitionAndSortWithinPartitions(new SlotPartitioner(layout));
        return new EpochShuffle(layout, bySlot, perm);
    }

    /** A uniformly random permutation of 0..n-1 from (seed, epoch) (Fisher-Yates). */
    public static int[] permutation(int n, long seed, int epoch) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        Random rng = new Random(SampleSeeds.of(seed, epoch, -1));
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    public EpochLayout layout() {
        return layout;
    }

    /** The records of one round, in slot order: partition i is task {@code firstTask(round) + i}. */
    public JavaPairRDD<Integer, TrainingRecord> round(int round) {
        int first = layout.firstTask(round);
        int end = layout.endTask(round);
        PartitionPruningRDD<Tuple2<Integer, TrainingRecord>> pruned =
                PartitionPruningRDD.create(bySlot.rdd(), new TaskRange(first, end));
        return JavaPairRDD.fromRDD(pruned, ClassTag$.MODULE$.apply(Integer.class),
                ClassTag$.MODULE$.apply(TrainingRecord.class));
    }

    /** Frees the epoch's broadcast permutation and its shuffle output; call when the epoch's rounds are done. */
    public void release() {
        permutation.destroy();
        ShuffleRelease.release(bySlot.context(), ShuffleRelease.shuffleId(bySlot.rdd()));
    }

    private static final class TaskRange extends AbstractFunction1<Object, Object> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final int first;
        private final int end;

        TaskRange(int first, int end) {
            this.first = first;
            this.end = end;
        }

        @Override
        public Object apply(Object partition) {
            int p = (Integer) partition;
            return p >= first && p < end;
        }
    }
}
