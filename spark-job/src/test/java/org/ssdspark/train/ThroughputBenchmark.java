package org.ssdspark.train;

import org.ssdspark.testing.FakeGpuCluster;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Images/s of the training job with one and two executor JVMs (fake cards, CPU backend) and the share of the time
 * spent outside worker compute (broadcast, result transfer, averaging). Not a test: run it with
 * {@code submit/benchmark_training.sh} (which builds the test classpath), or
 * from an IDE; arguments
 * {@code [images] [imageSize] [widthMult] [batch] [averagingFrequency] [rounds]}. The first epoch warms up;
 * the second is measured.
 */
public final class ThroughputBenchmark {

    private ThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        String imageSize = args.length > 1 ? args[1] : "96";
        String width = args.length > 2 ? args[2] : "0.25";
        String batch = args.length > 3 ? args[3] : "8";
        String frequency = args.length > 4 ? args[4] : "2";
        String rounds = args.length > 5 ? args[5] : "2";
        Path tmp = Files.createTempDirectory("train-bench");
        List<String> lines = new ArrayList<>();
        for (int executors = 1; executors <= 2; executors++) {
            SparkSession spark = FakeGpuCluster.start(tmp.resolve("cluster" + executors), executors, 1536);
            try {
                String data = TrainFixtures.shards(spark, tmp, tmp.resolve("shards" + executors).toString(), images,
                        13);
                TrainOptions o = TrainFixtures.options(data, tmp.resolve("ckpt" + executors).toString(),
                        "--image_size", imageSize, "--width_mult", width, "--batch_size", batch,
                        "--averaging_frequency", frequency, "--max_rounds_per_epoch", rounds, "--num_epochs", "2",
                        "--validation_epochs", "100", "--prefetch", "2");
                TrainingSummary s = new TrainingJob().run(spark, o);
                TrainingSummary.EpochStats e = s.epochs().get(1);
                lines.add(String.format(Locale.ROOT, "%d executor(s): %.2f images/s, %.0f%% of the time outside worker"
                                + " compute (%.1f of %.1f s; %d images, batch %s x averaging frequency %s, %s px, width %s)",
                        executors, e.imagesPerSecond(), 100 * e.averagingShare(), e.averagingSeconds(), e.seconds(),
                        e.images(), batch, frequency, imageSize, width));
            } finally {
                spark.stop();
            }
        }
        lines.forEach(System.out::println);
    }
}
