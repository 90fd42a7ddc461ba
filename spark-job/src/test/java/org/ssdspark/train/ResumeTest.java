package org.ssdspark.train;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ssdspark.checkpoint.SsdCheckpoint;
import org.ssdspark.testing.TestSpark;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** N = 2 epochs in one run and 1 + 1 with a resume give the same learning rates, epoch count and parameters. */
class ResumeTest {

    @TempDir
    static Path tmp;
    static SparkSession spark;
    static String data;

    @BeforeAll
    static void data() throws Exception {
        spark = TestSpark.local();
        data = TrainFixtures.shards(spark, tmp, tmp.resolve("shards").toString(), 24, 11);
    }

    @Test
    void resumedRunEqualsUninterruptedRun() throws Exception {
        long t0 = System.nanoTime();
        String straight = tmp.resolve("straight").toString();
        TrainingSummary all = new TrainingJob().run(spark, TrainFixtures.options(data, straight,
                "--num_epochs", "2", "--validation_epochs", "1"));
        double straightSeconds = (System.nanoTime() - t0) / 1e9;

        String split = tmp.resolve("split").toString();
        TrainingSummary first = new TrainingJob().run(spark, TrainFixtures.options(data, split,
                "--num_epochs", "1", "--validation_epochs", "1"));
        TrainingSummary second = new TrainingJob().run(spark, TrainFixtures.options(data, split,
                "--num_epochs", "2", "--validation_epochs", "1", "--resume", split));

        assertEquals(2, all.epochsTrained());
        assertEquals(1, first.epochsTrained());
        assertEquals(1, second.epochsTrained());
        assertEquals(1, second.firstEpoch());
        double[] lrAll = all.epochs().stream().mapToDouble(TrainingSummary.EpochStats::lr).toArray();
        double[] lrSplit = java.util.stream.Stream.concat(first.epochs().stream(), second.epochs().stream())
                .mapToDouble(TrainingSummary.EpochStats::lr).toArray();
        assertArrayEquals(lrAll, lrSplit, 0.0, "learning rate per epoch");
        assertEquals(all.iteration(), second.iteration(), "iteration counter");

        Configuration conf = spark.sparkContext().hadoopConfiguration();
        SsdCheckpoint a = SsdCheckpoint.load(straight, conf);
        SsdCheckpoint b = SsdCheckpoint.load(split, conf);
        assertEquals(1, a.state().epoch());
        assertEquals(1, b.state().epoch());
        double paramDiff = maxAbsDiff(a.graph().params(), b.graph().params());
        double updaterDiff = maxAbsDiff(a.graph().getUpdater().getStateViewArray(),
                b.graph().getUpdater().getStateViewArray());
        double lossDiff = 0;
        for (int i = 0; i < 2; i++) {
            TrainingSummary.EpochStats s = i < 1 ? first.epochs().get(i) : second.epochs().get(i - 1);
            lossDiff = Math.max(lossDiff, Math.abs(all.epochs().get(i).loss() - s.loss()));
        }
        System.out.printf("resume: 2 epochs in %.1f s; max |param diff| %.3g, max |updater state diff| %.3g, "
                + "max |epoch loss diff| %.3g; lr %s%n", straightSeconds, paramDiff, updaterDiff, lossDiff,
                java.util.Arrays.toString(lrAll));
        assertTrue(paramDiff <= 1e-6, "parameters differ by " + paramDiff);
        assertTrue(updaterDiff <= 1e-6, "updater state differs by " + updaterDiff);
        assertTrue(lossDiff <= 1e-5, "epoch losses differ by " + lossDiff);
    }

    static double maxAbsDiff(INDArray x, INDArray y) {
        return x.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                .sub(y.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)).amaxNumber().doubleValue();
    }

}
