package org.ssdspark.train;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ssdspark.checkpoint.SsdCheckpoint;
import org.ssdspark.testing.TestSpark;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver process killed with SIGKILL in the middle of an epoch: no partial checkpoint is visible (only the
 * completed epoch's), and rerunning with --resume on that folder trains exactly what an uninterrupted run from the
 * same checkpoint trains: the same epoch losses, parameters, momentum and iteration counter.
 */
class DriverLossTest {
    private static final String[] RECIPE = {"--width_mult", "0.25", "--image_size", "64", "--batch_size", "4",
            "--averaging_frequency", "1", "--num_workers", "1", "--prefetch", "1", "--lr", "0.02", "--t_max", "50",
            "--num_epochs", "3", "--validation_epochs", "1", "--validation_batch_size", "8", "--seed", "7",
            "--final_eval", "false"};

    @TempDir
    Path tmp;

    @Test
    void aKilledDriverResumesToTheSameResultAsAnUninterruptedRun() throws Exception {
        SparkSession spark = TestSpark.local();
        String data = TrainFixtures.shards(spark, tmp, tmp.resolve("shards").toString(), 24, 3);
        Path killed = tmp.resolve("killed");

        // the driver in its own JVM, killed once its console shows epoch 1's second round
        Path log = tmp.resolve("driver.log");
        Process driver = driver(data, killed, log);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!Files.exists(log) || !Files.readString(log).contains("epoch 1/3 round 2/")) {
            if (!driver.isAlive()) {
                List<String> lines = Files.readAllLines(log);
                throw new AssertionError("the driver ended (exit " + driver.exitValue() + ") before epoch 1: "
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
            }
            assertTrue(System.nanoTime() < deadline, "epoch 1 did not start within 5 minutes");
            Thread.sleep(50);
        }
        driver.destroyForcibly(); // SIGKILL
        assertTrue(driver.waitFor(60, TimeUnit.SECONDS));
        assertEquals(137, driver.exitValue(), "killed by SIGKILL");

        Configuration conf = spark.sparkContext().hadoopConfiguration();
        List<String> visible = visibleEntries(killed);
        assertTrue(visible.contains("checkpoint-epoch-0"), visible.toString());
        assertFalse(visible.stream().anyMatch(n -> n.startsWith("checkpoint-epoch-") && !n.equals("checkpoint-epoch-0")),
                "only the completed epoch's checkpoint is visible: " + visible);
        assertEquals(0, SsdCheckpoint.load(killed.toString(), conf).state().epoch());

        // the reference: an uninterrupted run from a copy of the same checkpoint
        Path reference = tmp.resolve("reference");
        copy(killed.resolve("checkpoint-epoch-0"), reference.resolve("checkpoint-epoch-0"));
        TrainingSummary expected = new TrainingJob().run(spark, options(data, reference, "--resume", reference.toString()));
        TrainingSummary resumed = new TrainingJob().run(spark, options(data, killed, "--resume", killed.toString()));

        assertEquals(1, resumed.firstEpoch());
        assertEquals(2, resumed.epochs().size());
        for (int i = 0; i < expected.epochs().size(); i++) {
            assertEquals(expected.epochs().get(i).loss(), resumed.epochs().get(i).loss(), 0.0, "epoch loss " + i);
        }
        SsdCheckpoint a = SsdCheckpoint.load(reference.toString(), conf);
        SsdCheckpoint b = SsdCheckpoint.load(killed.toString(), conf);
        assertEquals(2, b.state().epoch());
        assertEquals(a.graph().params(), b.graph().params(), "parameters");
        assertEquals(a.graph().getUpdater().getStateViewArray(), b.graph().getUpdater().getStateViewArray(), "momentum");
        assertEquals(a.state().iteration(), b.state().iteration());
        System.out.println("driver loss: killed in epoch 1, resumed; epoch losses " + resumed.epochs().stream()
                .map(TrainingSummary.EpochStats::loss).toList() + " equal the uninterrupted run's");
    }

    private static TrainOptions options(String data, Path checkpoints, String... extra) {
        List<String> flags = new ArrayList<>(List.of(RECIPE));
        flags.addAll(List.of(extra));
        return TrainFixtures.options(data, checkpoints.toString(), flags.toArray(String[]::new));
    }

    /** TrainMain in a child JVM with this JVM's options and classpath, embedded Spark local[2]. */
    private static Process driver(String data, Path checkpoints, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // the surefire JVM's own options: Spark's --add-opens, the Vector API, the memory caps
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent")).toList());
        cmd.addAll(List.of("-cp", TestSpark.testClasspath(), TrainMain.class.getName(), "--data_path", data, "--checkpoint_folder",
                checkpoints.toString(), "--spark.master", "local[2]"));
        cmd.addAll(List.of(RECIPE));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        return pb.start();
    }

    private static List<String> visibleEntries(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    private static void copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path f : s.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
