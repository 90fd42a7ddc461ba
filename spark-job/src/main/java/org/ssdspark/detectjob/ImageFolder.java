package org.ssdspark.detectjob;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.ssdspark.evaljob.EvalSample;
import org.ssdspark.spark.SerializableHadoopConf;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A folder of images without annotations, on any Hadoop filesystem: every {@code .jpg}, {@code .jpeg} or {@code .png}
 * below it (recursively) is one sample, whose id is its path relative to the folder without the extension. Files
 * of other kinds are listed as skipped, never dropped silently; the bytes are read on the executors.
 */
record ImageFolder(Path root, List<String> files, List<String> skipped) {
    private static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png");

    static ImageFolder list(Path root, Configuration conf) throws IOException {
        FileSystem fs = root.getFileSystem(conf);
        Path qualified = fs.makeQualified(root);
        List<String> files = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(qualified, true);
        while (it.hasNext()) {
            Path p = it.next().getPath();
            String relative = qualified.toUri().relativize(p.toUri()).getPath();
            if (relative.startsWith(".") || relative.contains("/.") || relative.startsWith("_")) {
                continue; // hidden and bookkeeping files (.crc, _SUCCESS) are not data
            }
            (isImage(relative) ? files : skipped).add(relative);
        }
        files.sort(null);
        skipped.sort(null);
        return new ImageFolder(qualified, files, skipped);
    }

    static boolean isImage(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(lower::endsWith);
    }

    static String idOf(String relative) {
        return relative.substring(0, relative.lastIndexOf('.'));
    }

    /** The images as samples without ground truth, read where they are processed. */
    JavaRDD<EvalSample> samples(JavaSparkContext jsc, int partitions) {
        return jsc.parallelize(files, Math.max(1, Math.min(partitions, files.size())))
                .map(new ReadImage(root.toString(), new SerializableHadoopConf(jsc.hadoopConfiguration())));
    }

    /** On an executor: one image file's bytes as a sample. */
    private record ReadImage(String root, SerializableHadoopConf conf)
            implements org.apache.spark.api.java.function.Function<String, EvalSample> {
        @Override
        public EvalSample call(String relative) throws IOException {
            Path file = new Path(root, relative);
            try (InputStream in = file.getFileSystem(conf.get()).open(file)) {
                return new EvalSample(idOf(relative), -1, in.readAllBytes(), List.of());
            }
        }
    }
}
