package org.ssdspark.train;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ssdspark.checkpoint.SsdCheckpoint;
import org.ssdspark.evaljob.EvalJob;
import org.ssdspark.evaljob.EvalMetrics;
import org.ssdspark.evaljob.EvalOptions;
import org.ssdspark.evaljob.LoadedModel;
import org.ssdspark.spark.HadoopPaths;

import java.io.IOException;
import java.util.Locale;

/** The training job's last stage: VOC2007 mAP of the last checkpoint on the test shards, as the original reports. */
final class FinalEvaluation {
    private static final Logger LOG = LoggerFactory.getLogger(FinalEvaluation.class);

    private FinalEvaluation() {
    }

    static EvalMetrics run(SparkSession spark, TrainOptions options, String evalDir, TrainingSummary summary)
            throws IOException {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Path data = HadoopPaths.qualify(options.dataPath(), hadoop);
        FileSystem fs = data.getFileSystem(hadoop);
        if (!fs.exists(new Path(data, ShardSource.TEST))) {
            LOG.warn("No test split under {}: the final evaluation is skipped", data);
            return null;
        }
        if (summary.lastCheckpoint().isBlank()) {
            LOG.warn("No checkpoint was written: the final evaluation is skipped");
            return null;
        }
        String dir = evalDir.isBlank()
                ? new Path(HadoopPaths.qualify(options.checkpointFolder(), hadoop), "eval").toString() : evalDir;
        SsdCheckpoint checkpoint = SsdCheckpoint.load(summary.lastCheckpoint(), hadoop);
        LoadedModel model = new LoadedModel(checkpoint.graph(), checkpoint.classes(), checkpoint.config(),
                summary.lastCheckpoint());
        EvalMetrics metrics = new EvalJob().run(spark, EvalOptions.defaults(data.toString(), dir), model);
        System.out.println(metrics.report());
        System.out.printf(Locale.ROOT, "Final evaluation: mAP %.4f (VOC2007 11-point), %.4f (area); %.2f images/s;"
                + " outputs in %s%n", metrics.mAP(), metrics.mAPArea(), metrics.imagesPerSecond(), metrics.evalDir());
        return metrics;
    }
}
