package org.ssdspark.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.SparkSession;
import org.ssdspark.testing.FakeGpuCluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Images/s of the training job with one and two executor JVMs (fake cards, CPU backend) and where a round's time
 * goes: worker compute (the slowest task's {@code fit}) and everything else (broadcast, network setup, waiting for
 * data, result transfer, averaging), medians over the measured epoch's rounds. From the two measurements it
 * estimates, on paper, the overhead and scaling efficiency with 8 executors. Not a test: run it with
 * {@code submit/benchmark_training.sh} (which builds the test classpath), or from an IDE; arguments
 * {@code [images] [imageSize] [widthMult] [batch] [averagingFrequency] [rounds] [executorMemoryMb] [offHeap]}. The
 * first epoch warms up; the second is measured.
 */
public final class ThroughputBenchmark {

    private ThroughputBenchmark() {
    }

    /** Medians over one epoch's rounds, in seconds: the round, its slowest worker's fit, and the rest. */
    record RoundCosts(int executors, int rounds, double round, double fit, double networkSetup, int images) {
        double overhead() {
            return round - fit;
        }
    }

    public static void main(String[] args) throws Exception {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        String imageSize = args.length > 1 ? args[1] : "96";
        String width = args.length > 2 ? args[2] : "0.25";
        String batch = args.length > 3 ? args[3] : "8";
        String frequency = args.length > 4 ? args[4] : "2";
        String rounds = args.length > 5 ? args[5] : "2";
        int executorMemory = args.length > 6 ? Integer.parseInt(args[6]) : 1536;
        String offHeap = args.length > 7 ? args[7] : "";
        Path tmp = Files.createTempDirectory("train-bench");
        List<String> lines = new ArrayList<>();
        List<RoundCosts> costs = new ArrayList<>();
        for (int executors = 1; executors <= 2; executors++) {
            SparkSession spark = FakeGpuCluster.start(tmp.resolve("cluster" + executors), executors, executorMemory,
                    offHeap.isEmpty() ? "" : "-Dorg.bytedeco.javacpp.maxbytes=" + offHeap);
            try {
                String data = TrainFixtures.shards(spark, tmp, tmp.resolve("shards" + executors).toString(), images,
                        13);
                String checkpoints = tmp.resolve("ckpt" + executors).toString();
                TrainOptions o = TrainFixtures.options(data, checkpoints,
                        "--image_size", imageSize, "--width_mult", width, "--batch_size", batch,
                        "--averaging_frequency", frequency, "--max_rounds_per_epoch", rounds, "--num_epochs", "2",
                        "--validation_epochs", "100", "--prefetch", "2");
                TrainingSummary s = new TrainingJob().run(spark, o);
                TrainingSummary.EpochStats e = s.epochs().get(1);
                RoundCosts c = roundCosts(Path.of(checkpoints, "metrics.jsonl"), executors, 1);
                costs.add(c);
                lines.add(String.format(Locale.ROOT, "%d executor(s): %.2f images/s, %.0f%% of the time outside worker"
                                + " compute (%.1f of %.1f s; %d images, batch %s x averaging frequency %s, %s px, width %s)",
                        executors, e.imagesPerSecond(), 100 * e.averagingShare(), e.averagingSeconds(), e.seconds(),
                        e.images(), batch, frequency, imageSize, width));
                lines.add(String.format(Locale.ROOT, "  a round (median of %d): %.2f s; worker compute (slowest fit)"
                                + " %.2f s; the rest %.2f s = %.1f%% of the round (network setup %.3f s)", c.rounds(),
                        c.round(), c.fit(), c.overhead(), 100 * c.overhead() / c.round(), c.networkSetup()));
            } finally {
                spark.stop();
            }
        }
        lines.forEach(System.out::println);
        System.out.println(scalingEstimate(costs.get(0), costs.get(1), 8));
    }

    /** Medians of one epoch's rounds from the job's metrics.jsonl. */
    static RoundCosts roundCosts(Path metrics, int executors, int epoch) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<double[]> rows = new ArrayList<>();
        int images = 0;
        for (String line : Files.readAllLines(metrics)) {
            JsonNode n = json.readTree(line);
            if (!"round".equals(n.path("type").asText()) || n.path("epoch").asInt() != epoch) {
                continue;
            }
            double fit = 0;
            double setup = 0;
            for (JsonNode w : n.path("workers")) {
                fit = Math.max(fit, w.path("fit_s").asDouble());
                setup = Math.max(setup, w.path("network_s").asDouble());
            }
            rows.add(new double[]{n.path("seconds").asDouble(), fit, setup});
            images += n.path("images").asInt();
        }
        return new RoundCosts(executors, rows.size(), median(rows, 0), median(rows, 1), median(rows, 2),
                rows.isEmpty() ? 0 : images / rows.size());
    }

    private static double median(List<double[]> rows, int column) {
        double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return v.length == 0 ? Double.NaN : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /**
     * On paper: each executor computes its share in the same time on its own card (the compute of the one-executor
     * run), and the overhead grows linearly in the executors, by what the second executor added. Linear is the
     * pessimistic case: the broadcast is a BitTorrent-like fetch among executors and results are tree-aggregated.
     */
    static String scalingEstimate(RoundCosts one, RoundCosts two, int executors) {
        double perExecutor = Math.max(0, two.overhead() - one.overhead());
        double overhead = one.overhead() + perExecutor * (executors - 1);
        double round = one.fit() + overhead;
        double single = one.images() / (one.fit() + one.overhead());
        double many = executors * one.images() / round;
        return String.format(Locale.ROOT, "on paper, %d executors (one card each): a round of %.2f s compute + %.2f s"
                        + " overhead (%.2f s with one executor, +%.2f s per added executor, linear) = %.1f%% overhead;"
                        + " %.1f images/s against %.1f on one, scaling efficiency %.0f%% (the original's 8 Ascend cards:"
                        + " 214.74 against 65.69 images/s, 41%%)",
                executors, one.fit(), overhead, one.overhead(), perExecutor, 100 * overhead / round, many, single,
                100 * many / (executors * single));
    }
}
