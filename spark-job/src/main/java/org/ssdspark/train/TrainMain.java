package org.ssdspark.train;

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
 * The training job: {@code --data_path URI --checkpoint_folder URI [--base_net FILE] [--lr X] ...}; every flag is
 * a key of conf/reference.conf's {@code train} (or {@code spark}) section, plus the original's spellings.
 * Exit codes: 0 done, 2 bad input or configuration, 1 any other failure (including a diverged loss).
 */
public final class TrainMain {

    /** The original's flag spellings. */
    public static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("data_path", "train.data_path"),
            Map.entry("dataset_type", "train.dataset_type"),
            Map.entry("base_net", "train.base_net"),
            Map.entry("lr", "train.lr"),
            Map.entry("num_epochs", "train.num_epochs"),
            Map.entry("validation_epochs", "train.validation_epochs"),
            Map.entry("checkpoint_folder", "train.checkpoint_folder"),
            Map.entry("device", "train.device_list"),
            Map.entry("gpu", "train.device_list"),
            Map.entry("device_list", "train.device_list"),
            Map.entry("eval_dir", "train.eval_dir"));

    private TrainMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... argv) {
        return EntryPoint.run("train", () -> {
            JobArguments.Resolved r = new JobArguments(List.of("train", "spark"), ALIASES).resolve(Arrays.asList(argv));
            if (!r.positional().isEmpty()) {
                throw new UserInputException("train takes only --flags, got " + r.positional());
            }
            TrainOptions options = TrainOptions.from(r.config());
            if (r.printIfDryRun(List.of("train", "spark"))) {
                return EntryPoint.OK;
            }
            try (SparkSession spark = SparkSessions.create(r.config())) {
                TrainingSummary s = new TrainingJob().run(spark, options);
                System.out.println(summary(s));
                if (r.config().getBoolean("train.final_eval")) {
                    FinalEvaluation.run(spark, options, r.config().getString("train.eval_dir"), s);
                }
            }
            return EntryPoint.OK;
        });
    }

    static String summary(TrainingSummary s) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Trained epochs %d..%d on %d workers (iteration %d); last checkpoint %s%n",
                s.firstEpoch(), s.lastEpoch(), s.workers(), s.iteration(), s.lastCheckpoint()));
        s.devices().forEach(d -> sb.append("  ").append(d.describe()).append('\n'));
        if (!s.epochs().isEmpty()) {
            TrainingSummary.EpochStats last = s.epochs().get(s.epochs().size() - 1);
            sb.append(String.format(Locale.ROOT, "  last epoch: loss %.4f, validation loss %.4f, %.1f images/s%n",
                    last.loss(), last.validationLoss(), last.imagesPerSecond()));
        }
        if (!Double.isNaN(s.imagesPerSecondAfterWarmup())) {
            sb.append(String.format(Locale.ROOT, "  throughput after warm-up: %.2f images/s (global, %d workers,"
                    + " data loading and averaging included)", s.imagesPerSecondAfterWarmup(), s.workers()));
        }
        return sb.toString();
    }
}
