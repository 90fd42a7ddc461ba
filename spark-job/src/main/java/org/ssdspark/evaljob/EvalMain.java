package org.ssdspark.evaljob;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.ssdspark.config.EntryPoint;
import org.ssdspark.config.JobArguments;
import org.ssdspark.config.UserInputException;
import org.ssdspark.spark.SparkSessions;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Batch evaluation of a checkpoint:
 * {@code --data_path SHARDS_OR_VOC_DIR --model CKPT --eval_dir DIR [--labels FILE] [--protocol reference|devkit]
 * [--split test] [--batch_size 8]}, every flag a key of the {@code eval} section of conf/reference.conf. The
 * original eval_ssd.py's spellings work too: {@code --trained_model}, {@code --dataset}, {@code --label_file},
 * {@code --mb2_width_mult}, {@code --iou_threshold}. {@code --dry-run} prints the resolved configuration and stops.
 * Exit codes: 0 done, 2 bad input, 1 other failure.
 */
public final class EvalMain {
    static final Map<String, String> ALIASES = Map.of(
            "trained_model", "eval.model",
            "dataset", "eval.data_path",
            "label_file", "eval.labels",
            "mb2_width_mult", "eval.width_mult",
            "iou_threshold", "eval.nms_iou_threshold");

    private EvalMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... argv) {
        return EntryPoint.run("eval", () -> evaluate(Arrays.asList(argv)));
    }

    private static int evaluate(List<String> argv) throws Exception {
        JobArguments.Resolved r = new JobArguments(List.of("eval", "spark"), ALIASES).resolve(argv);
        if (!r.positional().isEmpty()) {
            throw new UserInputException("eval takes only --flags, got " + r.positional());
        }
        EvalOptions options = EvalOptions.from(r.config());
        if (r.printIfDryRun(List.of("eval", "spark"))) {
            return EntryPoint.OK;
        }
        if (options.dataPath().isBlank()) {
            throw new UserInputException("No data given: --data_path DIR (a converted shard root or a VOC-format folder)");
        }
        // The checkpoint is read before Spark starts: a wrong file fails in a second, not after the cluster is up.
        LoadedModel model = ModelSources.load(options.model(), LoadSettings.of(options), hadoopConf(r.config()));
        // run inside a JVM that already has a session (a notebook, a test), the session is left to its owner
        boolean ownSession = SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
        SparkSession spark = SparkSessions.create(r.config());
        try {
            EvalMetrics metrics = new EvalJob().run(spark, options, model);
            System.out.println(metrics.report());
            System.out.printf(Locale.ROOT, "Throughput: %.2f images/s; outputs in %s%n", metrics.imagesPerSecond(),
                    metrics.evalDir());
        } finally {
            if (ownSession) {
                spark.stop();
            }
        }
        return EntryPoint.OK;
    }

    /** The Hadoop settings Spark would use: defaults plus the {@code spark.hadoop.*} entries of spark.conf. */
    private static Configuration hadoopConf(Config config) {
        Configuration conf = new Configuration();
        for (Map.Entry<String, ConfigValue> e : config.getConfig("spark.conf").entrySet()) {
            String key = e.getKey().replace("\"", "");
            if (key.startsWith("spark.hadoop.")) {
                conf.set(key.substring("spark.hadoop.".length()), String.valueOf(e.getValue().unwrapped()));
            }
        }
        return conf;
    }
}
