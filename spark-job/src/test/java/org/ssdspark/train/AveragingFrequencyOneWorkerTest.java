package org.ssdspark.train;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ssdspark.checkpoint.SsdCheckpoint;
import org.ssdspark.testing.TestSpark;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With one worker, averaging is the identity: averaging after every minibatch (4 rounds) and after every fourth
 * (1 round, its minibatches prepared ahead by DL4J's prefetch thread) must train the same parameters, momentum
 * included (the updater state travels with each round), on the same minibatches. This is what lets the one-card
 * configurations average rarely without changing the recipe.
 */
class AveragingFrequencyOneWorkerTest {

    @TempDir
    static Path tmp;
    static SparkSession spark;
    static String data;

    @BeforeAll
    static void data() throws Exception {
        spark = TestSpark.local();
        data = TrainFixtures.shards(spark, tmp, tmp.resolve("shards").toString(), 24, 13);
    }

    @Test
    void everyMinibatchEqualsEveryFourthWithOneWorker() throws Exception {
        String[] frequencies = {"1", "4"};
        String[] rounds = {"4", "1"};
        SsdCheckpoint[] results = new SsdCheckpoint[2];
        double[] losses = new double[2];
        for (int i = 0; i < 2; i++) {
            String out = tmp.resolve("f" + frequencies[i]).toString();
            TrainingSummary s = new TrainingJob().run(spark, TrainFixtures.options(data, out, "--num_workers", "1",
                    "--averaging_frequency", frequencies[i], "--max_rounds_per_epoch", rounds[i], "--prefetch", "2",
                    "--num_epochs", "1", "--validation_epochs", "1"));
            losses[i] = s.epochs().get(0).loss();
            results[i] = SsdCheckpoint.load(out, spark.sparkContext().hadoopConfiguration());
        }
        double paramDiff = ResumeTest.maxAbsDiff(results[0].graph().params(), results[1].graph().params());
        double updaterDiff = ResumeTest.maxAbsDiff(results[0].graph().getUpdater().getStateViewArray(),
                results[1].graph().getUpdater().getStateViewArray());
        System.out.printf("one worker, averaging every 1 vs 4 minibatches: losses %.6f vs %.6f, max |param diff| %.3g,"
                + " max |updater state diff| %.3g%n", losses[0], losses[1], paramDiff, updaterDiff);
        assertEquals(losses[0], losses[1], 1e-5);
        assertTrue(paramDiff <= 1e-6, "parameters differ by " + paramDiff);
        assertTrue(updaterDiff <= 1e-6, "updater state differs by " + updaterDiff);
    }
}
