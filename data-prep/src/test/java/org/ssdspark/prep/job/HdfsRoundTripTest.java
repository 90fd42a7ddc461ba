package org.ssdspark.prep.job;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ssdspark.prep.records.ImageRecord;
import org.ssdspark.prep.records.Manifest;
import org.ssdspark.prep.records.RecordObject;
import org.ssdspark.prep.records.ShardSchema;
import org.ssdspark.prep.voc.LabelMap;
import org.ssdspark.prep.voc.VocAnnotation;
import org.ssdspark.prep.voc.VocAnnotationParser;
import org.ssdspark.prep.voc.VocObject;
import org.ssdspark.testing.MiniHdfs;
import org.ssdspark.testing.SampleData;
import org.ssdspark.testing.TestSpark;

import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Converts to a real HDFS, in local mode and with two executor JVMs, and checks every byte and box read back. */
class HdfsRoundTripTest {
    @TempDir
    static java.nio.file.Path tmp;
    static MiniHdfs hdfs;
    static java.nio.file.Path voc;

    @BeforeAll
    static void start() throws Exception {
        hdfs = new MiniHdfs(tmp.resolve("hdfs"));
        voc = SampleData.generate(tmp.resolve("voc"), 20, 21);
    }

    @AfterAll
    static void stop() {
        SparkSession.getActiveSession().foreach(s -> {
            s.stop();
            return null;
        });
        hdfs.close();
    }

    @Test
    void localModeRoundTripThroughHdfs() throws Exception {
        roundTrip(TestSpark.local(), hdfs.uri() + "/data/local-out");
    }

    @Test
    void localClusterWithTwoExecutorJvmsRoundTripThroughHdfs() throws Exception {
        SparkSession spark = TestSpark.localCluster(2, 1024, "");
        try {
            assertEquals(2, spark.sparkContext().getExecutorMemoryStatus().size() - 1, "two executors besides the driver");
            roundTrip(spark, hdfs.uri() + "/data/cluster-out");
        } finally {
            spark.stop();
        }
    }

    private static void roundTrip(SparkSession spark, String out) throws Exception {
        PrepOptions options = new PrepOptions(voc.toString(), out, voc.resolve("labels.txt").toString(), 2, 128,
                false, false, 4);
        ConvertJob.Outcome outcome = new ConvertJob().run(spark, options);
        assertEquals(20, outcome.manifest().imagesConverted);
        FileSystem fs = hdfs.fileSystem();
        assertTrue(fs.exists(new Path(out, Manifest.FILE_NAME)));
        assertTrue(fs.exists(new Path(out, "train/_SUCCESS")));

        LabelMap labels = LabelMap.fromFile(voc.resolve("labels.txt"));
        VocAnnotationParser parser = new VocAnnotationParser();
        Set<String> seen = new HashSet<>();
        for (String split : List.of("train", "test")) {
            List<Row> rows = spark.read().schema(ShardSchema.RECORD).parquet(out + "/" + split).collectAsList();
            for (Row row : rows) {
                ImageRecord r = ImageRecord.fromRow(row);
                seen.add(r.id());
                assertArrayEquals(Files.readAllBytes(voc.resolve("JPEGImages/" + r.id() + ".jpg")), r.jpeg(), r.id());
                assertTrue(r.checksumValid());
                VocAnnotation a = parser.parse(Files.readAllBytes(voc.resolve("Annotations/" + r.id() + ".xml")), r.id());
                assertEquals(a.objects().size(), r.objects().size(), r.id());
                for (int i = 0; i < a.objects().size(); i++) {
                    VocObject want = a.objects().get(i);
                    RecordObject got = r.objects().get(i);
                    assertEquals(labels.labelOf(want.name()), got.label());
                    assertEquals(want.xmin(), got.xmin());
                    assertEquals(want.ymin(), got.ymin());
                    assertEquals(want.xmax(), got.xmax());
                    assertEquals(want.ymax(), got.ymax());
                    assertEquals(want.difficult(), got.difficult());
                    assertEquals(want.truncated(), got.truncated());
                }
            }
        }
        assertEquals(20, seen.size());
        InspectJob.Report report = new InspectJob().run(spark, out);
        assertTrue(report.ok(), report.summary().toString());
    }
}
