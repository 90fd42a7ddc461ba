package org.ssdspark.train;

import org.apache.spark.sql.SparkSession;
import org.ssdspark.config.JobArguments;
import org.ssdspark.prep.job.ConvertJob;
import org.ssdspark.prep.job.PrepOptions;
import org.ssdspark.testing.SampleData;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Generated shards and a tiny training configuration (width 0.25, 64x64) for the training tests. */
final class TrainFixtures {

    private TrainFixtures() {
    }

    /** Generates {@code images} VOC-format images (3/4 train, 1/4 test) and converts them into shards at {@code out}. */
    static String shards(SparkSession spark, Path tmp, String out, int images, long seed) throws Exception {
        Path voc = SampleData.generate(tmp.resolve("voc-" + seed), images, seed);
        new ConvertJob().run(spark, new PrepOptions(voc.toString(), out, voc.resolve("labels.txt").toString(), 2, 128,
                false, false, 4));
        return out;
    }

    /** Options resolved through the job's own config path: reference.conf, then these flags. */
    static TrainOptions options(String dataPath, String checkpoints, String... flags) {
        List<String> args = new ArrayList<>(List.of(
                "--data_path", dataPath, "--checkpoint_folder", checkpoints,
                "--width_mult", "0.25", "--image_size", "64", "--batch_size", "4", "--averaging_frequency", "2",
                "--prefetch", "1", "--lr", "0.02", "--t_max", "50", "--num_epochs", "2", "--validation_epochs", "1",
                "--validation_batch_size", "8", "--seed", "7"));
        args.addAll(List.of(flags));
        return TrainOptions.from(new JobArguments(List.of("train", "spark"), TrainMain.ALIASES).resolve(args).config());
    }
}
