package org.ssdspark.train;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ssdspark.checkpoint.SsdCheckpoint;
import org.ssdspark.testing.TestSpark;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A loss that becomes NaN/inf stops the job naming epoch and iteration; the last good checkpoint stays intact. */
class DivergenceTest {

    @TempDir
    Path tmp;

    @Test
    void divergingLossStopsTheJobAndKeepsTheLastCheckpoint() throws Exception {
        SparkSession spark = TestSpark.local();
        String data = TrainFixtures.shards(spark, tmp, tmp.resolve("shards").toString(), 16, 9);
        String checkpoints = tmp.resolve("ckpt").toString();
        // Multistep, milestone 2: epoch e trains at scheduler step e + 1, so epoch 0 at 0.01, epoch 1 at 0.01 * 1e12.
        TrainOptions options = TrainFixtures.options(data, checkpoints, "--schedule", "multistep",
                "--milestones", "2", "--gamma", "1e12", "--lr", "0.01", "--num_epochs", "3",
                "--max_rounds_per_epoch", "1");
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> new TrainingJob().run(spark, options));
        System.out.println("divergence: " + e.getMessage());
        assertEquals(1, e.epoch());
        assertTrue(e.getMessage().contains("epoch 1") && e.getMessage().contains("iteration"), e.getMessage());
        Path good = tmp.resolve("ckpt/checkpoint-epoch-0");
        assertTrue(Files.exists(good.resolve("model.zip")));
        assertTrue(Files.notExists(tmp.resolve("ckpt/checkpoint-epoch-1")));
        SsdCheckpoint c = SsdCheckpoint.load(checkpoints, spark.sparkContext().hadoopConfiguration());
        assertEquals(0, c.state().epoch());
        assertTrue(Double.isFinite(c.graph().params().sumNumber().doubleValue()));
    }
}
