package org.ssdspark.detectjob;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ssdspark.config.UserInputException;
import org.ssdspark.evaljob.DetectPartition;
import org.ssdspark.evaljob.EvalData;
import org.ssdspark.evaljob.EvalDatasets;
import org.ssdspark.evaljob.EvalSample;
import org.ssdspark.evaljob.ImageResult;
import org.ssdspark.evaljob.LoadedModel;
import org.ssdspark.evaljob.ModelPayload;
import org.ssdspark.evaljob.PartitionOutput;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Distributed detection, as the evaluation runs it (the model broadcast once, graphs kept per executor, images decoded
 * and post-processed where they are), on images that have no ground truth; the detections above the score threshold
 * go to Parquet, undecodable images to {@code failures.txt}, and the first {@code draw} images to PNGs.
 */
final class DetectJob {
    static final String DETECTIONS = "detections.parquet";
    static final String FAILURES = "failures.txt";
    static final String DRAWINGS = "draw";
    static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("class", DataTypes.StringType, false)
            .add("score", DataTypes.FloatType, false)
            .add("xmin", DataTypes.FloatType, false)
            .add("ymin", DataTypes.FloatType, false)
            .add("xmax", DataTypes.FloatType, false)
            .add("ymax", DataTypes.FloatType, false);
    private static final Logger LOG = LoggerFactory.getLogger(DetectJob.class);

    DetectSummary run(SparkSession spark, DetectOptions options, LoadedModel model) throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path output = new Path(options.output());
        FileSystem outFs = output.getFileSystem(conf);
        if (outFs.exists(output)) {
            throw new UserInputException("Output " + output + " exists; remove it or choose another --output");
        }
        Path data = new Path(options.dataPath());
        if (!data.getFileSystem(conf).exists(data)) {
            throw new UserInputException("Images folder " + data + " does not exist (--data_path)");
        }
        int partitions = options.partitions() > 0 ? options.partitions() : 2 * jsc.defaultParallelism();
        ImageFolder folder = null;
        EvalData shards = null;
        try {
            JavaRDD<EvalSample> samples;
            if (data.getFileSystem(conf).exists(new Path(data, "_manifest.json"))) {
                shards = EvalDatasets.open(spark, options.dataPath(), options.split(), model.classes());
                samples = shards.samples();
            } else {
                folder = ImageFolder.list(data, conf);
                if (folder.files().isEmpty()) {
                    throw new UserInputException("No .jpg, .jpeg or .png file in " + data + " (--data_path)"
                            + (folder.skipped().isEmpty() ? "" : "; found only " + examples(folder.skipped())));
                }
                checkUniqueIds(folder);
                if (!folder.skipped().isEmpty()) {
                    LOG.warn("{} files in {} are not images and were skipped: {}", folder.skipped().size(), data,
                            examples(folder.skipped()));
                }
                samples = folder.samples(jsc, partitions);
            }
            Broadcast<ModelPayload> payload = jsc.broadcast(ModelPayload.of(model));
            List<PartitionOutput> outputs;
            try {
                outputs = samples.mapPartitions(new DetectPartition(payload, options.batchSize(),
                        options.postProcessing())).collect();
            } finally {
                payload.destroy();
            }
            List<ImageResult> results = new ArrayList<>();
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (PartitionOutput o : outputs) {
                results.addAll(o.images());
                first = Math.min(first, o.startMillis());
                last = Math.max(last, o.endMillis());
            }
            results.sort(Comparator.comparing(ImageResult::id));
            double imagesPerSecond = results.size() / Math.max(1e-3, (last - first) / 1000.0);

            List<Row> rows = new ArrayList<>();
            List<ImageResult> kept = new ArrayList<>();
            StringBuilder failures = new StringBuilder();
            long failed = 0;
            for (ImageResult r : results) {
                if (r.failed()) {
                    failed++;
                    failures.append(r.id()).append('\t').append(r.failure().replace('\n', ' ')).append('\n');
                    continue;
                }
                ImageResult above = aboveThreshold(r, options.scoreThreshold());
                kept.add(above);
                float[] d = above.detections();
                for (int o = 0; o < d.length; o += ImageResult.STRIDE) {
                    rows.add(RowFactory.create(r.id(), model.className((int) d[o]), d[o + 1], d[o + 2], d[o + 3],
                            d[o + 4], d[o + 5]));
                }
            }
            spark.createDataFrame(rows, SCHEMA).coalesce(1).write().parquet(new Path(output, DETECTIONS).toString());
            try (FSDataOutputStream out = outFs.create(new Path(output, FAILURES), false)) {
                out.write(failures.toString().getBytes(StandardCharsets.UTF_8));
            }
            if (failed > 0) {
                LOG.warn("{} of {} images could not be decoded; they are listed in {}", failed, results.size(),
                        new Path(output, FAILURES));
            }
            int drawn = draw(samples, kept, options.draw(), model, new Path(output, DRAWINGS), outFs);
            return new DetectSummary(results.size(), rows.size(), failed,
                    folder == null ? 0 : folder.skipped().size(), drawn, imagesPerSecond,
                    outFs.makeQualified(output).toString());
        } finally {
            if (shards != null) {
                shards.close();
            }
        }
    }

    /** PNGs of the first N decodable images by id, their bytes fetched again (only those N travel to the driver). */
    private static int draw(JavaRDD<EvalSample> samples, List<ImageResult> decoded, int count, LoadedModel model,
                            Path dir, FileSystem fs) throws IOException {
        if (count == 0) {
            return 0;
        }
        Map<String, ImageResult> chosen = new HashMap<>();
        decoded.stream().limit(count).forEach(r -> chosen.put(r.id(), r));
        Set<String> ids = new HashSet<>(chosen.keySet());
        List<EvalSample> images = samples.filter(s -> ids.contains(s.id())).collect();
        fs.mkdirs(dir);
        int drawn = 0;
        for (EvalSample s : images) {
            byte[] png = BoxDrawing.png(s.jpeg(), chosen.get(s.id()), model.classes());
            if (png == null) {
                LOG.warn("{}: Java's image reader cannot decode it; not drawn", s.id());
                continue;
            }
            try (FSDataOutputStream out = fs.create(new Path(dir, s.id().replace('/', '_') + ".png"), true)) {
                out.write(png);
            }
            drawn++;
        }
        return drawn;
    }

    /** The image's detections scoring at least {@code threshold}, in the predictor's order. */
    private static ImageResult aboveThreshold(ImageResult r, double threshold) {
        float[] d = r.detections();
        int kept = 0;
        float[] out = new float[d.length];
        for (int o = 0; o < d.length; o += ImageResult.STRIDE) {
            if (d[o + 1] >= threshold) {
                System.arraycopy(d, o, out, ImageResult.STRIDE * kept++, ImageResult.STRIDE);
            }
        }
        return new ImageResult(r.id(), r.order(), r.width(), r.height(),
                java.util.Arrays.copyOf(out, kept * ImageResult.STRIDE), r.objects(), null);
    }

    private static void checkUniqueIds(ImageFolder folder) {
        Map<String, String> seen = new HashMap<>();
        for (String file : folder.files()) {
            String previous = seen.put(ImageFolder.idOf(file), file);
            if (previous != null) {
                throw new UserInputException("Images " + previous + " and " + file + " in " + folder.root()
                        + " have the same id '" + ImageFolder.idOf(file) + "'; rename one of them");
            }
        }
    }

    private static String examples(List<String> names) {
        return names.size() <= 5 ? String.join(", ", names) : String.join(", ", names.subList(0, 5)) + ", ...";
    }
}
