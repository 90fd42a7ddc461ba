package org.ssdspark.train;

import org.ssdspark.testing.FakeGpuCluster;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ssdspark.checkpoint.SsdCheckpoint;
import org.ssdspark.device.DeviceAssignment;
import org.ssdspark.testing.MiniHdfs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two executor JVMs with fake card addresses, data and checkpoints on HDFS. One run shows (2) each executor gets
 * a distinct address and trains, the loss falls, checkpoints land on HDFS; and (4) an executor JVM killed in the
 * middle of a round (epoch 1, round 0, after its first minibatch): Spark re-runs the lost task (on the surviving
 * or a replacement executor, recomputing lost shuffle output), the round is averaged only once all its tasks
 * finished, every epoch still trains every image, and the job finishes.
 */
class TwoExecutorTrainingTest {

    @TempDir
    static java.nio.file.Path tmp;
    static MiniHdfs hdfs;
    static SparkSession spark;

    @BeforeAll
    static void start() throws Exception {
        hdfs = new MiniHdfs(tmp.resolve("hdfs"));
        spark = FakeGpuCluster.start(tmp, 1024);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        hdfs.close();
    }

    @Test
    void twoExecutorsTrainFromHdfsAndSurviveALostExecutor() throws Exception {
        String data = TrainFixtures.shards(spark, tmp, hdfs.uri() + "/voc", 32, 5);
        String checkpoints = hdfs.uri() + "/checkpoints";
        java.nio.file.Path killed = tmp.resolve("killed-once");
        WorkerFaultHook killOnce = new KillExecutorOnce(killed.toString());
        long t0 = System.nanoTime();
        TrainingSummary s = new TrainingJob(killOnce).run(spark, TrainFixtures.options(data, checkpoints,
                "--num_epochs", "3", "--validation_epochs", "1", "--lr", "0.01"));
        double seconds = (System.nanoTime() - t0) / 1e9;

        assertTrue(Files.exists(killed), "the fault hook must have killed an executor");
        assertEquals(2, s.workers());
        List<String> addresses = s.devices().stream().map(DeviceAssignment::address).toList();
        Set<String> executors = s.devices().stream().map(DeviceAssignment::executorId).collect(Collectors.toSet());
        System.out.printf("two executors: %.1f s; devices %s; epoch losses %s; validation %s%n", seconds,
                s.devices().stream().map(DeviceAssignment::describe).toList(),
                s.epochs().stream().map(e -> String.format("%.3f", e.loss())).toList(),
                s.epochs().stream().map(e -> String.format("%.3f", e.validationLoss())).toList());
        assertTrue(executors.size() >= 2, "both executors trained: " + executors);
        assertTrue(addresses.stream().allMatch(a -> a.equals("0") || a.equals("1")), "fake addresses: " + addresses);
        assertEquals(2, s.devices().stream().limit(2).map(DeviceAssignment::address).distinct().count(),
                "the first two executors got distinct cards: " + addresses);
        assertTrue(s.devices().stream().noneMatch(DeviceAssignment::pinned), "CPU backend: nothing pinned");
        for (TrainingSummary.EpochStats e : s.epochs()) {
            assertEquals(24, e.images(), "epoch " + e.epoch() + " trained every training image once");
        }
        assertEquals(3, s.epochsTrained());
        // Three short epochs of augmented data: the regression term is noisy (few positives per minibatch), the
        // classification term falls steadily (measured: 12.19, 10.67, 10.63).
        assertTrue(s.epochs().get(2).classificationLoss() < s.epochs().get(0).classificationLoss(),
                "classification loss falls: " + s.epochs());

        FileSystem fs = hdfs.fileSystem();
        for (int epoch = 0; epoch < 3; epoch++) {
            assertTrue(fs.exists(new Path("/checkpoints/checkpoint-epoch-" + epoch + "/model.zip")), "checkpoint " + epoch);
        }
        assertFalse(List.of(fs.listStatus(new Path("/checkpoints"))).stream()
                .anyMatch(st -> st.getPath().getName().startsWith(".")), "no temporary checkpoint left");
        String metrics;
        try (var in = fs.open(new Path("/checkpoints/metrics.jsonl"))) {
            metrics = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(metrics.contains("\"type\":\"device\"") && metrics.contains("\"address\":\"1\""), "devices in metrics");
        // The killed task's report can only come from a re-run: its first attempt died with its JVM before
        // reporting, and a replacement executor never reuses an id. Depending on whether Spark retries it in the
        // same stage attempt or after recomputing the lost shuffle output, the re-run is attempt 1 or a new stage's
        // attempt 0; either way it ran on another executor and the round recorded both tasks once.
        String killedExecutor = Files.readString(killed).trim();
        JsonNode round = roundLine(metrics, 1, 0);
        System.out.println("epoch 1 round 0, executor " + killedExecutor + " halted: " + round.get("workers"));
        assertEquals(2, round.get("workers").size(), round.toString());
        JsonNode rerun = round.get("workers").get(0);
        assertEquals(0, rerun.get("partition").asInt(), round.toString());
        assertNotEquals(killedExecutor, rerun.get("executor").asText(),
                "task 0 of epoch 1 round 0 was recorded from a re-run, not from executor " + killedExecutor
                        + " that was halted running it: " + round);
        assertEquals(1, round.get("workers").get(1).get("partition").asInt(), round.toString());
        assertEquals(16, round.get("images").asInt(), "the round counts both tasks' 8 images once: " + round);
        assertEquals(4, round.get("batches").asInt(), round.toString());
        SsdCheckpoint last = SsdCheckpoint.load(checkpoints, spark.sparkContext().hadoopConfiguration());
        assertEquals(2, last.state().epoch());
    }

    private static JsonNode roundLine(String metrics, int epoch, int round) throws java.io.IOException {
        ObjectMapper json = new ObjectMapper();
        for (String line : metrics.lines().toList()) {
            JsonNode n = json.readTree(line);
            if (n.get("type").asText().equals("round") && n.get("epoch").asInt() == epoch
                    && n.get("round").asInt() == round) {
                return n;
            }
        }
        throw new AssertionError("no metrics line for epoch " + epoch + " round " + round + ":\n" + metrics);
    }

    /**
     * Halts the executor JVM once, mid-round; the marker file (on the shared local disk) says which executor it was.
     */
    record KillExecutorOnce(String marker) implements WorkerFaultHook {
        @Override
        public void beforeBatch(int epoch, int round, int partition, int attempt, int batch) {
            if (epoch == 1 && round == 0 && partition == 0 && batch == 1) {
                try {
                    if (Files.exists(java.nio.file.Path.of(marker))) {
                        return;
                    }
                    Files.writeString(java.nio.file.Path.of(marker), SparkEnv.get().executorId() + "\n");
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
                System.err.println("fault injection: halting executor JVM in epoch 1, round 0, task 0, batch 1");
                Runtime.getRuntime().halt(137);
            }
        }
    }
}
