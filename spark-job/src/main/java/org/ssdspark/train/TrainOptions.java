package org.ssdspark.train;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import org.nd4j.linalg.schedule.ISchedule;
import org.ssdspark.config.UserInputException;
import org.ssdspark.train.optim.CosineAnnealingSchedule;
import org.ssdspark.train.optim.MultiStepSchedule;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;

/**
 * The training job's settings, read from the {@code train} section of the resolved config (see conf/reference.conf).
 * {@code resolvedConfig} is the whole resolved configuration as JSON, stored in every checkpoint. Options come only
 * from a resolved config ({@link #from}); a variant is made by resolving other flags (as the tests' TrainFixtures
 * does), so the stored configuration always matches the options.
 */
public record TrainOptions(String dataPath, String checkpointFolder, String baseNet, double lr, String lrScaling,
                           int lrReferenceBatch, double momentum, double weightDecay, String schedule, int tMax,
                           int warmupEpochs, int[] milestones, double gamma, int numEpochs, int validationEpochs,
                           int batchSize, int averagingFrequency, int prefetch, int numWorkers, long seed,
                           double widthMult, int imageSize, boolean enforceIouConstraint, String resume,
                           int maxRoundsPerEpoch, String deviceList, int validationBatchSize,
                           int keepLast, int keepBest, int executorWaitSeconds, double roundWarnMultiple,
                           int roundTimeoutSeconds, String resolvedConfig) implements Serializable {

    public static TrainOptions from(Config c) {
        String type = c.getString("train.dataset_type");
        if (!type.equalsIgnoreCase("voc")) {
            throw new UserInputException("train.dataset_type '" + type + "' is not supported: only voc (shards"
                    + " converted from a VOC-format data set by the prep job)");
        }
        TrainOptions o = new TrainOptions(c.getString("train.data_path"), c.getString("train.checkpoint_folder"),
                c.getString("train.base_net"), c.getDouble("train.lr"),
                c.getString("train.lr_scaling").toLowerCase(Locale.ROOT), c.getInt("train.lr_reference_batch"),
                c.getDouble("train.momentum"), c.getDouble("train.weight_decay"),
                c.getString("train.schedule").toLowerCase(Locale.ROOT).replace("-", ""), c.getInt("train.t_max"),
                c.getInt("train.warmup_epochs"), parseMilestones(c.getString("train.milestones")),
                c.getDouble("train.gamma"), c.getInt("train.num_epochs"), c.getInt("train.validation_epochs"),
                c.getInt("train.batch_size"), c.getInt("train.averaging_frequency"), c.getInt("train.prefetch"),
                c.getInt("train.num_workers"), c.getLong("train.seed"), c.getDouble("train.width_mult"),
                c.getInt("train.image_size"), c.getBoolean("train.enforce_iou_constraint"),
                c.getString("train.resume"), c.getInt("train.max_rounds_per_epoch"),
                c.getString("train.device_list"), c.getInt("train.validation_batch_size"),
                c.getInt("train.keep_last"), c.getInt("train.keep_best"), c.getInt("train.executor_wait_seconds"),
                c.getDouble("train.round_warn_multiple"), c.getInt("train.round_timeout_seconds"),
                c.root().render(ConfigRenderOptions.concise()));
        return o.validated();
    }

    /** Which checkpoints to keep after each save (train.keep_last, train.keep_best). */
    public org.ssdspark.checkpoint.CheckpointRetention retention() {
        return new org.ssdspark.checkpoint.CheckpointRetention(keepLast, keepBest);
    }

    public TrainOptions validated() {
        require(!dataPath.isBlank(), "train.data_path is not set: give --data_path URI (the root of converted shards)");
        require(!checkpointFolder.isBlank(), "train.checkpoint_folder is not set: give --checkpoint_folder URI");
        require(lr > 0 && Double.isFinite(lr), "train.lr must be > 0, got " + lr);
        require(lrScaling.equals("none") || lrScaling.equals("linear"),
                "train.lr_scaling must be none or linear, got " + lrScaling);
        require(lrReferenceBatch > 0, "train.lr_reference_batch must be > 0, got " + lrReferenceBatch);
        require(momentum >= 0 && momentum < 1, "train.momentum must be in [0, 1), got " + momentum);
        require(weightDecay >= 0, "train.weight_decay must be >= 0, got " + weightDecay);
        require(schedule.equals("cosine") || schedule.equals("multistep"),
                "train.schedule must be cosine or multistep, got " + schedule);
        require(tMax > 0, "train.t_max must be > 0, got " + tMax);
        require(warmupEpochs >= 0, "train.warmup_epochs must be >= 0, got " + warmupEpochs);
        require(gamma > 0, "train.gamma must be > 0, got " + gamma);
        require(numEpochs > 0, "train.num_epochs must be > 0, got " + numEpochs);
        require(validationEpochs >= 0, "train.validation_epochs must be >= 0 (0: no validation, checkpoint at the"
                + " end only), got " + validationEpochs);
        require(batchSize > 0, "train.batch_size must be > 0, got " + batchSize);
        require(averagingFrequency > 0, "train.averaging_frequency must be > 0, got " + averagingFrequency);
        require(prefetch >= 0, "train.prefetch must be >= 0, got " + prefetch);
        require(keepLast >= 0, "train.keep_last must be >= 0 (0 keeps every checkpoint), got " + keepLast);
        require(executorWaitSeconds >= 0, "train.executor_wait_seconds must be >= 0, got " + executorWaitSeconds);
        require(roundWarnMultiple > 1, "train.round_warn_multiple must be > 1, got " + roundWarnMultiple);
        require(roundTimeoutSeconds >= 0, "train.round_timeout_seconds must be >= 0 (0: no limit), got "
                + roundTimeoutSeconds);
        require(keepBest >= 0, "train.keep_best must be >= 0, got " + keepBest);
        require(numWorkers >= 0, "train.num_workers must be >= 0, got " + numWorkers);
        require(widthMult > 0, "train.width_mult must be > 0, got " + widthMult);
        require(imageSize > 0, "train.image_size must be > 0, got " + imageSize);
        require(maxRoundsPerEpoch >= 0, "train.max_rounds_per_epoch must be >= 0, got " + maxRoundsPerEpoch);
        require(validationBatchSize > 0, "train.validation_batch_size must be > 0, got " + validationBatchSize);
        return this;
    }

    /** The base learning rate the schedule starts from, for a round of {@code workers} x {@code batchSize} images. */
    public double baseLr(int workers) {
        return lrScaling.equals("linear") ? lr * workers * batchSize / lrReferenceBatch : lr;
    }

    /** The per-epoch learning-rate schedule (the optim package's, stepped by DL4J's epoch counter). */
    public ISchedule learningRateSchedule(int workers) {
        double base = baseLr(workers);
        return schedule.equals("cosine")
                ? new CosineAnnealingSchedule(base, tMax, warmupEpochs)
                : new MultiStepSchedule(base, milestones, gamma, warmupEpochs);
    }

    /** The reference validates and saves after epoch e (0-based) when e % validation_epochs == 0, and after the last. */
    public boolean validatesAfter(int epoch) {
        return (validationEpochs > 0 && epoch % validationEpochs == 0) || epoch == numEpochs - 1;
    }

    /** Validation loss is computed at checkpoints, unless validation_epochs is 0 (performance runs). */
    public boolean computesValidationLossAfter(int epoch) {
        return validationEpochs > 0 && validatesAfter(epoch);
    }

    static int[] parseMilestones(String s) {
        if (s.isBlank()) {
            return new int[0];
        }
        try {
            return Arrays.stream(s.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new UserInputException("train.milestones must be comma-separated epochs, got '" + s + "'");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new UserInputException(message);
        }
    }
}
