package org.ssdspark.prep.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ssdspark.config.UserInputException;
import org.ssdspark.prep.records.ConversionResult;
import org.ssdspark.prep.records.Issue;
import org.ssdspark.prep.records.Manifest;
import org.ssdspark.prep.records.ShardSchema;
import org.ssdspark.prep.voc.LabelMap;
import org.ssdspark.prep.voc.VocEntry;
import org.ssdspark.prep.voc.VocLayout;
import org.ssdspark.spark.HadoopPaths;
import org.ssdspark.spark.SerializableHadoopConf;

import java.io.IOException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * The shard conversion: VOC folders to Parquet shards, one record per image, with a manifest and a list of
 * every rejection. Images are read, validated and parsed on the executors; the driver sees only counts and
 * rejections. Nothing is visible at the output until everything is written ({@link OutputPublisher}).
 */
public final class ConvertJob {
    private static final Logger LOG = LoggerFactory.getLogger(ConvertJob.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The manifest written, plus the wall time, for the summary line. */
    public record Outcome(Manifest manifest, Path output, double seconds, long inputBytes) {
    }

    public Outcome run(SparkSession spark, PrepOptions options) throws IOException {
        long start = System.nanoTime();
        Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
        Path output = HadoopPaths.qualify(options.output(), hadoopConf);
        FileSystem outFs = output.getFileSystem(hadoopConf);
        OutputPublisher publisher = new OutputPublisher(outFs, output, options.overwrite());
        publisher.checkTarget();

        Path input = HadoopPaths.qualify(options.dataPath(), hadoopConf);
        VocLayout.Discovery found = new VocLayout(input.getFileSystem(hadoopConf)).discover(input);
        LabelMap labels = options.labels().isBlank() ? LabelMap.voc() : LabelMap.fromFile(Paths.get(options.labels()));
        found.notes().forEach(n -> LOG.warn("{}", n));
        LOG.info("Input {}: layout {}, {} images listed, splits {}", input, found.layout(), found.entries().size(),
                VocLayout.splitsOf(found.entries()));
        if (found.entries().isEmpty()) {
            throw new UserInputException("No images listed under " + input + " (empty ImageSets lists?)");
        }

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int partitions = options.readPartitions() > 0 ? options.readPartitions()
                : Math.max(1, Math.min(found.entries().size(), 2 * jsc.defaultParallelism()));
        SerializableHadoopConf conf = new SerializableHadoopConf(hadoopConf);
        ImageConverter converter = new ImageConverter(labels);
        JavaRDD<ConversionResult> results = jsc.parallelize(found.entries(), partitions)
                .map(e -> converter.convert(e, conf.get()))
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        try {
            List<Issue> issues = results.flatMap(r -> r.issues().iterator()).collect();
            Map<String, Manifest.SplitStats> stats = results.filter(ConversionResult::converted)
                    .mapToPair(r -> {
                        Manifest.SplitStats s = new Manifest.SplitStats();
                        s.add(r.record());
                        return new scala.Tuple2<>(r.split(), s);
                    })
                    .reduceByKey(Manifest.SplitStats::merge)
                    .collectAsMap();

            Manifest manifest = new Manifest();
            manifest.layout = found.layout();
            manifest.input = input.toString();
            manifest.classes = labels.classes();
            manifest.notes = new ArrayList<>(found.notes());
            manifest.imagesListed = found.entries().size();
            manifest.rejected = issues.stream().filter(i -> i.kind().equals(Issue.REJECTED_IMAGE)).count();
            manifest.rejectedObjects = issues.stream().filter(i -> i.kind().equals(Issue.REJECTED_OBJECT)).count();
            manifest.clippedObjects = issues.stream().filter(i -> i.kind().equals(Issue.CLIPPED_OBJECT)).count();
            for (String split : VocLayout.splitsOf(found.entries())) {
                Manifest.SplitStats s = stats.getOrDefault(split, new Manifest.SplitStats());
                manifest.splits.put(split, s);
                manifest.imagesConverted += s.images;
            }
            if (manifest.imagesConverted + manifest.rejected != manifest.imagesListed) {
                throw new IllegalStateException("Accounting error: converted " + manifest.imagesConverted
                        + " + rejected " + manifest.rejected + " != listed " + manifest.imagesListed);
            }
            if (options.strict() && (manifest.rejected > 0 || manifest.rejectedObjects > 0)) {
                issues.stream().filter(i -> !i.kind().equals(Issue.CLIPPED_OBJECT)).limit(20)
                        .forEach(i -> LOG.error("rejected: {}", describe(i)));
                throw new UserInputException("--strict: " + manifest.rejected + " images and "
                        + manifest.rejectedObjects + " objects were rejected; nothing was written to " + output);
            }

            try {
                for (String split : manifest.splits.keySet()) {
                    Manifest.SplitStats s = manifest.splits.get(split);
                    if (s.images == 0) {
                        continue;
                    }
                    int shards = shardCount(options, s);
                    writeSplit(spark, results, split, shards, new Path(publisher.staging(), split));
                    manifest.shards.addAll(listShards(outFs, publisher.staging(), split, hadoopConf));
                }
                writeIssues(outFs, new Path(publisher.staging(), Manifest.REJECTED_FILE_NAME), issues);
                // The manifest goes last: its presence means the data set is complete.
                manifest.write(outFs, new Path(publisher.staging(), Manifest.FILE_NAME));
                publisher.publish();
            } catch (IOException | RuntimeException e) {
                publisher.abandon();
                throw e;
            }
            long inputBytes = manifest.splits.values().stream().mapToLong(x -> x.jpegBytes).sum();
            return new Outcome(manifest, output, (System.nanoTime() - start) / 1e9, inputBytes);
        } finally {
            results.unpersist(false);
        }
    }

    static int shardCount(PrepOptions options, Manifest.SplitStats s) {
        long n = options.shards() > 0 ? options.shards()
                : (long) Math.ceil(s.jpegBytes / (options.targetShardMb() * 1024.0 * 1024.0));
        return (int) Math.max(1, Math.min(n, s.images));
    }

    private static void writeSplit(SparkSession spark, JavaRDD<ConversionResult> results, String split, int shards,
                                   Path dir) {
        JavaRDD<Row> rows = results.filter(r -> r.converted() && r.split().equals(split)).map(r -> r.record().toRow());
        // Range partitioning by id makes each shard's content a deterministic function of the input.
        spark.createDataFrame(rows, ShardSchema.RECORD)
                .repartitionByRange(shards, col("id"))
                .sortWithinPartitions(col("id"))
                .write()
                .mode(SaveMode.ErrorIfExists)
                .option("compression", "snappy")
                .parquet(dir.toString());
    }

    private static List<Manifest.Shard> listShards(FileSystem fs, Path root, String split, Configuration conf)
            throws IOException {
        FileStatus[] files = fs.listStatus(new Path(root, split), p -> p.getName().endsWith(".parquet"));
        Arrays.sort(files, Comparator.comparing(f -> f.getPath().getName()));
        List<Manifest.Shard> shards = new ArrayList<>();
        for (FileStatus f : files) {
            try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(f.getPath(), conf))) {
                shards.add(new Manifest.Shard(split + "/" + f.getPath().getName(), split, reader.getRecordCount()));
            }
        }
        return shards;
    }

    private static void writeIssues(FileSystem fs, Path file, List<Issue> issues) throws IOException {
        List<Issue> sorted = new ArrayList<>(issues);
        sorted.sort(Comparator.comparing(Issue::split).thenComparing(Issue::id)
                .thenComparing(i -> i.object() == null ? -1 : i.object()));
        try (FSDataOutputStream out = fs.create(file, false)) {
            for (Issue i : sorted) {
                Map<String, Object> line = new java.util.LinkedHashMap<>();
                line.put("kind", i.kind());
                line.put("file", i.file());
                line.put("source", i.source());
                line.put("split", i.split());
                line.put("id", i.id());
                if (i.object() != null) {
                    line.put("object", i.object());
                }
                line.put("reason", i.reason());
                out.write(JSON.writeValueAsBytes(line));
                out.write('\n');
            }
        }
    }

    static String describe(Issue i) {
        return i.file() + (i.object() != null ? " object #" + i.object() : "") + ": " + i.reason();
    }

}
