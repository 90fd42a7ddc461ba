package org.ssdspark.train;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ssdspark.config.UserInputException;
import org.ssdspark.prep.records.Manifest;
import org.ssdspark.spark.HadoopPaths;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The converted data set: its manifest and the records of a split, read lazily on the executors. */
public final class ShardSource {

    public static final String TRAIN = "train";
    public static final String TEST = "test";

    private final SparkSession spark;
    private final Path root;
    private final Manifest manifest;

    public ShardSource(SparkSession spark, String dataPath) throws IOException {
        this.spark = spark;
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        this.root = HadoopPaths.qualify(dataPath, conf);
        FileSystem fs = root.getFileSystem(conf);
        this.manifest = Manifest.read(fs, root);
    }

    public Manifest manifest() {
        return manifest;
    }

    /** Class names in label order, without BACKGROUND (label 0). */
    public List<String> classes() {
        return manifest.classes;
    }

    public boolean hasSplit(String split) {
        Manifest.SplitStats s = manifest.splits.get(split);
        return s != null && s.images > 0;
    }

    /** The split's records; nothing is read until an action runs, and then only the id, jpeg and objects columns. */
    public JavaRDD<TrainingRecord> records(String split) {
        if (!hasSplit(split)) {
            throw new UserInputException("The data set at " + root + " has no '" + split + "' images (splits: "
                    + manifest.splits.keySet() + ")");
        }
        return spark.read().parquet(new Path(root, split).toString())
                .selectExpr(TrainingRecord.COLUMNS)
                .javaRDD().map(TrainingRecord::fromRow);
    }

    /**
     * The split's images that training can use, and those it cannot: an image whose objects are all difficult has
     * nothing left once they are dropped (the reference's {@code keep_difficult=False}), and the reference cannot
     * train on it (its random crop and matching fail on no boxes): it would be an all-background sample that adds no
     * loss and only dilutes its minibatch and BatchNorm's statistics. Reads the id and objects columns only.
     */
    public TrainableIds trainableIds(String split) {
        List<Row> rows = spark.read().parquet(new Path(root, split).toString())
                .selectExpr("id", "exists(objects, o -> NOT o.difficult) AS trainable").collectAsList();
        List<String> ids = new ArrayList<>(rows.size());
        List<String> without = new ArrayList<>();
        for (Row r : rows) {
            (r.getBoolean(1) ? ids : without).add(r.getString(0));
        }
        Collections.sort(without);
        return new TrainableIds(checkedSorted(split, ids), without);
    }

    /**
     * Sorted ids of the images trained on (the stable numbering the epoch shuffles permute), and of those left out
     * because no non-difficult object remains.
     */
    public record TrainableIds(List<String> ids, List<String> withoutObjects) {
    }

    private List<String> checkedSorted(String split, List<String> ids) {
        Collections.sort(ids);
        for (int i = 1; i < ids.size(); i++) {
            if (ids.get(i).equals(ids.get(i - 1))) {
                throw new UserInputException("The '" + split + "' split of " + root + " holds id " + ids.get(i)
                        + " twice: the epoch shuffle needs unique ids");
            }
        }
        return ids;
    }
}
