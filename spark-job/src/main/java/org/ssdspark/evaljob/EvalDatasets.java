package org.ssdspark.evaljob;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ssdspark.config.UserInputException;
import org.ssdspark.prep.job.ImageConverter;
import org.ssdspark.prep.records.ConversionResult;
import org.ssdspark.prep.records.ImageRecord;
import org.ssdspark.prep.records.Issue;
import org.ssdspark.prep.records.Manifest;
import org.ssdspark.prep.records.ShardSchema;
import org.ssdspark.prep.voc.LabelMap;
import org.ssdspark.prep.voc.VocEntry;
import org.ssdspark.prep.voc.VocLayout;
import org.ssdspark.spark.HadoopPaths;
import org.ssdspark.spark.SerializableHadoopConf;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens the test data: a converted shard root (it has {@code _manifest.json}) is read from its Parquet shards; any
 * other folder is taken as VOC data ({@link VocLayout}: one VOC folder, VOC0712/ or VOCdevkit/) and converted in
 * memory on the executors with the data-prep {@link ImageConverter}, with the ground truth from the XML.
 */
public final class EvalDatasets {
    private static final Logger LOG = LoggerFactory.getLogger(EvalDatasets.class);
    private static final Pattern UNKNOWN_CLASS = Pattern.compile("^unknown class '(.*)' \\(");

    private EvalDatasets() {
    }

    public static EvalData open(SparkSession spark, String dataPath, String split, List<String> modelClasses)
            throws IOException {
        if (dataPath == null || dataPath.isBlank()) {
            throw new UserInputException("No data given: --data_path DIR (a converted shard root or a VOC-format folder)");
        }
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path root = HadoopPaths.qualify(dataPath, conf);
        FileSystem fs = root.getFileSystem(conf);
        if (!fs.exists(root)) {
            throw new UserInputException("Data folder " + dataPath + " does not exist (--data_path)");
        }
        if (fs.exists(new Path(root, Manifest.FILE_NAME))) {
            return shards(spark, fs, root, split, modelClasses);
        }
        return vocFolder(spark, fs, root, split, modelClasses);
    }

    private static EvalData shards(SparkSession spark, FileSystem fs, Path root, String split,
                                   List<String> modelClasses) throws IOException {
        Manifest manifest = Manifest.read(fs, root);
        List<String> notes = new ArrayList<>();
        ClassMatch.check(manifest.classes, modelClasses, "data set " + root).ifPresent(notes::add);
        List<String> files = manifest.shards.stream().filter(s -> split.equals(s.split))
                .map(s -> new Path(root, s.path).toString()).toList();
        if (files.isEmpty()) {
            throw new UserInputException("Data set " + root + " has no shards of split '" + split + "' (its splits: "
                    + manifest.splits.keySet() + "); choose one with --split");
        }
        JavaRDD<EvalSample> samples = spark.read().schema(ShardSchema.RECORD).parquet(files.toArray(String[]::new))
                .javaRDD().map(row -> EvalSample.of(ImageRecord.fromRow(row), -1));
        return new EvalData(samples, root.toString(), "shards", 0, notes, () -> { });
    }

    /** A listed image with its position in the split's list, which is the order of the reference's data set. */
    private record Listed(long order, VocEntry entry) implements Serializable {
    }

    private record Converted(long order, ConversionResult result) implements Serializable {
    }

    private static EvalData vocFolder(SparkSession spark, FileSystem fs, Path root, String split,
                                      List<String> modelClasses) throws IOException {
        VocLayout.Discovery found = new VocLayout(fs).discover(root);
        List<Listed> listed = new ArrayList<>();
        for (VocEntry e : found.entries()) {
            if (e.split().equals(split)) {
                listed.add(new Listed(listed.size(), e));
            }
        }
        if (listed.isEmpty()) {
            throw new UserInputException("No images of split '" + split + "' under " + root + " (layout "
                    + found.layout() + ", splits " + VocLayout.splitsOf(found.entries()) + "); choose one with --split");
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int partitions = Math.max(1, Math.min(listed.size(), 2 * jsc.defaultParallelism()));
        SerializableHadoopConf conf = new SerializableHadoopConf(spark.sparkContext().hadoopConfiguration());
        ImageConverter converter = new ImageConverter(new LabelMap(modelClasses));
        JavaRDD<Converted> converted = jsc.parallelize(listed, partitions)
                .map(l -> new Converted(l.order(), converter.convert(l.entry(), conf.get())))
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        try {
            List<Issue> issues = converted.flatMap(c -> c.result().issues().iterator()).collect();
            Set<String> unknown = new LinkedHashSet<>();
            List<String> notes = new ArrayList<>(found.notes());
            long rejected = 0;
            for (Issue i : issues) {
                Matcher m = UNKNOWN_CLASS.matcher(i.reason());
                if (i.kind().equals(Issue.REJECTED_OBJECT) && m.find()) {
                    unknown.add(LabelMap.normalise(m.group(1)));
                    continue;
                }
                if (i.kind().equals(Issue.REJECTED_IMAGE)) {
                    rejected++;
                }
                notes.add(i.kind() + " " + i.id() + (i.object() != null ? " object #" + i.object() : "") + ": "
                        + i.reason());
            }
            if (!unknown.isEmpty()) {
                Set<String> all = new LinkedHashSet<>(modelClasses);
                all.addAll(unknown);
                ClassMatch.check(new ArrayList<>(all), modelClasses, "the annotations under " + root);
            }
            notes.forEach(n -> LOG.warn("{}", n));
            JavaRDD<EvalSample> samples = converted.filter(c -> c.result().converted())
                    .map(c -> EvalSample.of(c.result().record(), c.order()));
            return new EvalData(samples, root.toString(), found.layout(), rejected, notes,
                    () -> converted.unpersist(false));
        } catch (RuntimeException e) {
            converted.unpersist(false);
            throw e;
        }
    }
}
