package org.ssdspark.train;

import org.apache.spark.MapOutputTrackerMaster;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import org.deeplearning4j.nn.graph.ComputationGraph;

import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.junit.jupiter.api.Test;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;

import org.ssdspark.testing.TestSpark;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hundreds of rounds leave nothing behind: every round's broadcast network is destroyed when the round is averaged,
 * so the block managers' storage (driver and two executor JVMs) is as full after round 200 as after round 30; and an
 * epoch's shuffle output is removed when the epoch is released.
 */
class RoundMemoryTest {
    private static final int ROUNDS = 200;
    private static final int WARM_UP = 30;
    /**
     * A round's broadcast network (14,000 parameters and their momentum, float32) is ~115 KB in each JVM that reads
     * it: 270 undestroyed rounds would add tens of MB. What may remain is the stages' task binaries, which Spark's
     * cleaner removes on a driver GC (measured: 44 KB over 270 rounds of 300) — the slack is 1 MB, about 3 rounds' broadcasts.
     */
    private static final long SLACK_BYTES = 1024 * 1024;

    @Test
    void storageDoesNotGrowWithTheRoundCount() throws Exception {
        SparkSession cluster = TestSpark.localCluster(2, 1024, "--add-modules=jdk.incubator.vector");
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(cluster.sparkContext());
            Nd4j.getRandom().setSeed(3);
            List<MultiDataSet> shares = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                INDArray x = Nd4j.rand(DataType.FLOAT, 4, 6).subi(0.5);
                shares.add(new org.nd4j.linalg.dataset.MultiDataSet(x, x.getColumns(0, 1).mul(2)));
            }
            JavaRDD<MultiDataSet> round = jsc.parallelize(shares, 2);
            RoundTrainingMaster master = RoundTrainingMaster.create(2, 4, 1, 0);
            SparkComputationGraph net = new SparkComputationGraph(jsc, network(), master);
            long afterWarmUp = 0;
            for (int r = 0; r < ROUNDS; r++) {
                master.trainRound(net, round, r, ROUNDS);
                if (r == WARM_UP - 1) {
                    afterWarmUp = storageUsed(jsc);
                }
            }
            long atEnd = storageUsed(jsc);
            System.out.printf("block-manager storage used after %d rounds: %d bytes; after %d: %d bytes%n", WARM_UP,
                    afterWarmUp, ROUNDS, atEnd);
            assertTrue(atEnd - afterWarmUp <= SLACK_BYTES, "storage grew by " + (atEnd - afterWarmUp)
                    + " bytes over " + (ROUNDS - WARM_UP) + " rounds");
        } finally {
            cluster.stop();
        }
    }

    @Test
    void aReleasedShuffleIsGoneFromTheMapOutputTracker() {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(TestSpark.local().sparkContext());
        JavaPairRDD<Integer, Integer> shuffled = jsc.parallelize(IntStream.range(0, 100).boxed().toList(), 4)
                .mapToPair(i -> new Tuple2<>(i % 7, i))
                .repartitionAndSortWithinPartitions(new org.apache.spark.HashPartitioner(3));
        shuffled.count();
        int id = ShuffleRelease.shuffleId(shuffled.rdd());
        MapOutputTrackerMaster tracker = (MapOutputTrackerMaster) SparkEnv.get().mapOutputTracker();
        assertTrue(tracker.containsShuffle(id), "the shuffle ran");
        ShuffleRelease.release(jsc.sc(), id);
        assertFalse(tracker.containsShuffle(id), "shuffle " + id + " is still registered");
    }

    /** Storage memory used by blocks, summed over the driver's and the executors' block managers. */
    private static long storageUsed(JavaSparkContext jsc) throws InterruptedException {
        Thread.sleep(500); // block-status updates from the executors are asynchronous
        long used = 0;
        for (Tuple2<Object, Object> maxAndRemaining : scala.collection.JavaConverters.mapAsJavaMapConverter(
                jsc.sc().getExecutorMemoryStatus()).asJava().values()) {
            used += (Long) maxAndRemaining._1() - (Long) maxAndRemaining._2();
        }
        return used;
    }

    private static ComputationGraph network() {
        return DenseNetworks.of(DataType.FLOAT, new Nesterovs(0.01, 0.9), 2048);
    }
}
