package org.ssdspark.train;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ssdspark.checkpoint.SsdCheckpoint;
import org.ssdspark.diagnostics.RunningStatisticsGap;
import org.ssdspark.testing.TestSpark;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A checkpoint written in the middle of training (its epoch trained at a learning rate far from 0) evaluates as well as
 * its weights allow: the test loss with the BatchNorm running statistics it stores is within
 * {@link RunningStatisticsGap#MAX_RATIO} of the loss after recalibrating them on augmented training images. The
 * running statistics must belong to the weights (moving average of PyTorch's momentum 0.1, the unbiased variance):
 * with the biased variance the 1x1 maps' variance sits 1/n low for n images, and evaluation divides by it.
 */
class MidTrainingCheckpointTest {

    @Test
    void aCheckpointTrainedAtAHighLearningRateEvaluatesOnItsStoredStatistics(@TempDir Path tmp) throws Exception {
        SparkSession spark = TestSpark.local();
        String shards = TrainFixtures.shards(spark, tmp, tmp.resolve("shards").toString(), 48, 21);
        String checkpoints = tmp.resolve("ckpt").toString();
        // 6 epochs of two workers x batch 4 at a constant lr 0.02 (cosine over 1000 epochs): the last epoch's lr is
        // the peak; 64 px input, so the last BatchNorm layers see 1x1 maps of 4 images per worker
        TrainOptions options = TrainFixtures.options(shards, checkpoints, "--num_workers", "2", "--t_max", "1000",
                "--num_epochs", "16", "--validation_epochs", "16", "--final_eval", "false");
        new TrainingJob().run(spark, options);
        SsdCheckpoint checkpoint = SsdCheckpoint.load(checkpoints, new Configuration());
        RunningStatisticsGap.Result gap = RunningStatisticsGap.measure(checkpoint.graph(), checkpoint.config().imageSize(),
                tmp.resolve("voc-21"));
        System.out.printf("mid-training checkpoint (epoch %d, lr %.4g): test loss %.4f stored statistics, %.4f"
                        + " recalibrated, %.4f batch statistics; ratio %.3f%n", checkpoint.state().epoch(),
                checkpoint.state().learningRate(), gap.stored(), gap.recalibrated(), gap.batchStatistics(), gap.ratio());
        assertTrue(checkpoint.state().learningRate() > 0.019, "the checkpoint's epoch trained at " + checkpoint.state().learningRate());
        assertTrue(gap.passes(), "stored running statistics cost " + gap.stored() + " against " + gap.recalibrated()
                + " recalibrated (ratio " + gap.ratio() + ")");
    }
}
