package org.ssdspark.train;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ssdspark.testing.TestSpark;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A round that hangs (a task stuck for 20 s) is cancelled after train.round_timeout_seconds: the job stops naming
 * the round and the task still running, and the last checkpoint is the one before, untouched.
 */
class RoundWatchdogTest {
    @TempDir
    Path tmp;

    @Test
    void aStuckRoundIsCancelledAndTheLastCheckpointStays() throws Exception {
        SparkSession spark = TestSpark.local();
        String data = TrainFixtures.shards(spark, tmp, tmp.resolve("shards").toString(), 16, 4);
        String checkpoints = tmp.resolve("ckpt").toString();
        TrainOptions options = TrainFixtures.options(data, checkpoints, "--num_workers", "1", "--batch_size", "2",
                "--averaging_frequency", "1", "--num_epochs", "2", "--max_rounds_per_epoch", "3",
                "--validation_epochs", "1", "--round_timeout_seconds", "5", "--round_warn_multiple", "2");
        WorkerFaultHook stuck = (epoch, round, partition, attempt, batch) -> {
            if (epoch == 1 && round == 1) {
                try {
                    Thread.sleep(20_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        long start = System.nanoTime();
        RoundTimeoutException e = assertThrows(RoundTimeoutException.class,
                () -> new TrainingJob(stuck).run(spark, options));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println("watchdog: " + e.getMessage() + " (" + Math.round(seconds) + " s)");
        assertEquals(1, e.epoch());
        assertEquals(1, e.round());
        assertTrue(e.getMessage().contains("train.round_timeout_seconds = 5"), e.getMessage());
        assertTrue(e.getMessage().contains("still running: task 0 (attempt 0) on executor driver@"), e.getMessage());
        assertTrue(Files.exists(tmp.resolve("ckpt/checkpoint-epoch-0/model.zip")));
        assertTrue(Files.notExists(tmp.resolve("ckpt/checkpoint-epoch-1")));
    }
}
