package org.ssdspark.prep.job;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.ssdspark.spark.HadoopPaths;

import java.io.IOException;
import java.util.Locale;

/**
 * Measures the conversion against the floor it cannot beat: a plain copy of the same input files
 * (Annotations/ and JPEGImages/) to the same kind of output filesystem. Both are timed in one run.
 */
public final class ConversionBenchmark {

    /** Seconds and bytes of each of the two runs. */
    public record Result(long images, long bytes, double copySeconds, double convertSeconds) {
        public String table() {
            return String.format(Locale.ROOT, "%-22s %10s %12s %10s%n%-22s %10.1f %12.1f %10.2f%n%-22s %10.1f %12.1f %10.2f%n"
                            + "conversion / copy time: %.2fx",
                    "", "images/s", "MB/s (JPEG)", "seconds",
                    "plain copy", images / copySeconds, bytes / 1e6 / copySeconds, copySeconds,
                    "conversion", images / convertSeconds, bytes / 1e6 / convertSeconds, convertSeconds,
                    convertSeconds / copySeconds);
        }
    }

    public Result run(SparkSession spark, PrepOptions options) throws IOException {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path input = HadoopPaths.qualify(options.dataPath(), conf);
        Path output = HadoopPaths.qualify(options.output(), conf);
        FileSystem inFs = input.getFileSystem(conf);
        FileSystem outFs = output.getFileSystem(conf);
        Path copyTarget = new Path(output.getParent(), output.getName() + "-plain-copy");
        outFs.delete(copyTarget, true);
        long t0 = System.nanoTime();
        for (String sub : new String[]{"Annotations", "JPEGImages"}) {
            FileUtil.copy(inFs, new Path(input, sub), outFs, new Path(copyTarget, sub), false, conf);
        }
        double copySeconds = (System.nanoTime() - t0) / 1e9;
        outFs.delete(copyTarget, true);
        outFs.delete(output, true);
        ConvertJob.Outcome outcome = new ConvertJob().run(spark, options);
        return new Result(outcome.manifest().imagesListed, outcome.inputBytes(), copySeconds, outcome.seconds());
    }
}
