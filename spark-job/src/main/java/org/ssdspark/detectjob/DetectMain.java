package org.ssdspark.detectjob;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.buffer.DataType;
import org.ssdspark.config.EntryPoint;
import org.ssdspark.config.JobArguments;
import org.ssdspark.config.UserInputException;
import org.ssdspark.evaljob.LoadSettings;
import org.ssdspark.evaljob.LoadedModel;
import org.ssdspark.evaljob.ModelSources;
import org.ssdspark.spark.SparkSessions;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Batch detection on images without annotations:
 * {@code --data_path IMAGES_OR_SHARDS --model CKPT --output DIR [--score_threshold 0.5] [--draw N] [--labels FILE]},
 * every flag a key of the {@code detect} section of conf/reference.conf. Writes {@code detections.parquet} (id, class,
 * score, xmin, ymin, xmax, ymax in pixels), {@code failures.txt} for images that could not be decoded, and with
 * {@code --draw N} PNGs of the first N images. Exit codes: 0 done, 2 bad input, 1 other failure.
 */
public final class DetectMain {
    private DetectMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... argv) {
        return EntryPoint.run("detect", () -> detect(Arrays.asList(argv)));
    }

    private static int detect(List<String> argv) throws Exception {
        JobArguments.Resolved r = new JobArguments(List.of("detect", "spark"), Map.of("trained_model", "detect.model",
                "label_file", "detect.labels", "mb2_width_mult", "detect.width_mult")).resolve(argv);
        if (!r.positional().isEmpty()) {
            throw new UserInputException("detect takes only --flags, got " + r.positional());
        }
        DetectOptions options = DetectOptions.from(r.config().getConfig("detect"));
        if (r.printIfDryRun(List.of("detect", "spark"))) {
            return EntryPoint.OK;
        }
        // The checkpoint is read before Spark starts: a wrong file fails in a second, not after the cluster is up.
        LoadedModel model = ModelSources.load(options.model(), new LoadSettings(options.labels(),
                options.widthMultiplier(), options.imageSize(), DataType.FLOAT), new Configuration());
        boolean ownSession = SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
        SparkSession spark = SparkSessions.create(r.config());
        try {
            DetectSummary s = new DetectJob().run(spark, options, model);
            System.out.printf(Locale.ROOT, "Detected %d objects (score >= %s) in %d images, %d could not be decoded"
                            + " (failures.txt), %d files skipped as not images; %.2f images/s; outputs in %s%n",
                    s.detections(), options.scoreThreshold(), s.images(), s.failures(), s.skippedFiles(),
                    s.imagesPerSecond(), s.output());
        } finally {
            if (ownSession) {
                spark.stop();
            }
        }
        return EntryPoint.OK;
    }
}
