package org.ssdspark.prep.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ssdspark.prep.records.ImageRecord;
import org.ssdspark.prep.records.Manifest;

import org.ssdspark.prep.records.ShardSchema;
import org.ssdspark.spark.HadoopPaths;
import scala.Tuple2;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.input_file_name;

/**
 * Reads a converted data set back and checks it against its manifest: every record's checksum, the record
 * count of every shard, and the per-split image, object, difficult and per-class counts.
 */
public final class InspectJob {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The verdict and the JSON summary printed to the user. */
    public record Report(boolean ok, ObjectNode summary) {
    }

    /** Per shard file tallies, computed on the executors. */
    static final class FileTally implements Serializable {
        String split;
        long records;
        long badChecksums;
        long wrongSplit;
        List<String> badIds = new ArrayList<>();
        final Manifest.SplitStats stats = new Manifest.SplitStats();

        FileTally merge(FileTally o) {
            records += o.records;
            badChecksums += o.badChecksums;
            wrongSplit += o.wrongSplit;
            if (badIds.size() < 10) {
                badIds.addAll(o.badIds.subList(0, Math.min(o.badIds.size(), 10 - badIds.size())));
            }
            stats.merge(o.stats);
            return this;
        }
    }

    public Report run(SparkSession spark, String uri) throws IOException {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path root = HadoopPaths.qualify(uri, conf);
        FileSystem fs = root.getFileSystem(conf);
        Manifest manifest = Manifest.read(fs, root);
        ObjectNode out = JSON.createObjectNode();
        out.put("path", root.toString());
        out.put("schema_version", manifest.schemaVersion);
        ArrayNode problems = out.putArray("problems");
        if (manifest.schemaVersion != ShardSchema.VERSION) {
            problems.add("schema_version " + manifest.schemaVersion + " is not " + ShardSchema.VERSION);
        }
        if (manifest.imagesConverted + manifest.rejected != manifest.imagesListed) {
            problems.add("manifest: converted " + manifest.imagesConverted + " + rejected " + manifest.rejected
                    + " != listed " + manifest.imagesListed);
        }
        Map<String, Long> shardRecords = new TreeMap<>();
        for (Manifest.Shard s : manifest.shards) {
            shardRecords.put(s.path, s.records);
        }
        ObjectNode splitsNode = out.putObject("splits");
        long totalRecords = 0;
        for (Map.Entry<String, Manifest.SplitStats> e : manifest.splits.entrySet()) {
            String split = e.getKey();
            Manifest.SplitStats want = e.getValue();
            Path dir = new Path(root, split);
            Map<String, FileTally> byFile = want.images == 0 && !fs.exists(dir) ? Map.of() : tally(spark, dir, split);
            FileTally all = new FileTally();
            for (Map.Entry<String, FileTally> f : byFile.entrySet()) {
                String rel = split + "/" + new Path(f.getKey()).getName();
                Long expected = shardRecords.remove(rel);
                if (expected == null) {
                    problems.add("shard " + rel + " is not in the manifest");
                } else if (expected != f.getValue().records) {
                    problems.add("shard " + rel + " has " + f.getValue().records + " records, manifest says " + expected);
                }
                all.merge(f.getValue());
            }
            totalRecords += all.records;
            ObjectNode sn = splitsNode.putObject(split);
            sn.put("records", all.records);
            sn.put("objects", all.stats.objects);
            sn.put("difficult", all.stats.difficult);
            sn.put("bad_checksums", all.badChecksums);
            sn.set("objects_per_class", JSON.valueToTree(new TreeMap<>(all.stats.objectsPerClass)));
            check(problems, split + " images", want.images, all.records);
            check(problems, split + " objects", want.objects, all.stats.objects);
            check(problems, split + " difficult", want.difficult, all.stats.difficult);
            if (!new TreeMap<>(want.objectsPerClass).equals(new TreeMap<>(all.stats.objectsPerClass))) {
                problems.add(split + " objects_per_class: manifest " + new TreeMap<>(want.objectsPerClass)
                        + ", shards " + new TreeMap<>(all.stats.objectsPerClass));
            }
            if (all.badChecksums > 0) {
                problems.add(split + ": " + all.badChecksums + " records fail their checksum, e.g. " + all.badIds);
            }
            if (all.wrongSplit > 0) {
                problems.add(split + ": " + all.wrongSplit + " records carry another split name");
            }
        }
        for (String missing : shardRecords.keySet()) {
            problems.add("shard " + missing + " is in the manifest but missing");
        }
        out.put("records", totalRecords);
        out.put("shards", manifest.shards.size());
        out.put("rejected", manifest.rejected);
        boolean ok = problems.isEmpty();
        out.put("ok", ok);
        return new Report(ok, out);
    }

    private static void check(ArrayNode problems, String what, long manifest, long actual) {
        if (manifest != actual) {
            problems.add(what + ": manifest says " + manifest + ", shards hold " + actual);
        }
    }

    private static Map<String, FileTally> tally(SparkSession spark, Path dir, String split) {
        return spark.read().schema(ShardSchema.RECORD).parquet(dir.toString())
                .withColumn("_file", input_file_name())
                .javaRDD()
                .mapToPair((Row row) -> {
                    ImageRecord r = ImageRecord.fromRow(row);
                    FileTally t = new FileTally();
                    t.records = 1;
                    t.split = split;
                    if (!r.checksumValid()) {
                        t.badChecksums = 1;
                        t.badIds.add(r.id());
                    }
                    if (!Objects.equals(r.split(), split)) {
                        t.wrongSplit = 1;
                    }
                    t.stats.add(r);
                    return new Tuple2<>(row.getString(row.fieldIndex("_file")), t);
                })
                .reduceByKey(FileTally::merge)
                .collectAsMap();
    }

}
