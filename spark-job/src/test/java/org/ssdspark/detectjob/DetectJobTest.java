package org.ssdspark.detectjob;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;
import org.ssdspark.config.UserInputException;
import org.ssdspark.evaljob.LoadedModel;
import org.ssdspark.evaljob.PostProcessing;
import org.ssdspark.model.MobileNetV2SsdLite;
import org.ssdspark.model.SsdLiteConfig;
import org.ssdspark.ssd.MultiBoxLoss;
import org.ssdspark.testing.MiniHdfs;
import org.ssdspark.testing.ReferenceFiles;
import org.ssdspark.testing.TestSpark;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * detect.sh's job on HDFS: a folder of JPEGs and a PNG (one nested), a file that is not an image and one that does
 * not decode; Parquet detections in pixels above the threshold, the failure listed, the odd file skipped and
 * counted, PNGs drawn, an existing output refused.
 */
class DetectJobTest {
    private static final List<String> SHAPES = List.of("circle", "square", "triangle", "star");
    private static final SsdLiteConfig CONFIG = new SsdLiteConfig(SHAPES.size() + 1, 0.25, 32, 6);

    @TempDir
    Path tmp;

    @Test
    void detectsOnAFolderOfImagesOnHdfs() throws Exception {
        ComputationGraph graph = MobileNetV2SsdLite.build(CONFIG, new MultiBoxLoss(),
                new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.FLOAT).updater(new Sgd(0.01)));
        LoadedModel model = new LoadedModel(graph, SHAPES, CONFIG, "tiny untrained");
        SparkSession spark = TestSpark.local();
        try (MiniHdfs hdfs = new MiniHdfs(tmp.resolve("hdfs"))) {
            FileSystem fs = hdfs.fileSystem();
            String images = hdfs.uri() + "/images";
            put(fs, images + "/000401.jpg", ReferenceFiles.read(ReferenceFiles.resolve("images/000401.jpg")));
            put(fs, images + "/more/gun.jpg", ReferenceFiles.read(ReferenceFiles.resolve("images/gun.jpg")));
            put(fs, images + "/drawn.png", png(120, 80));
            put(fs, images + "/broken.jpg", "not a jpeg".getBytes(StandardCharsets.US_ASCII));
            put(fs, images + "/notes.txt", "hello".getBytes(StandardCharsets.US_ASCII));
            String out = hdfs.uri() + "/out";

            DetectSummary s = new DetectJob().run(spark, options(images, out, 0.2, 2), model);

            assertEquals(4, s.images(), "every image file, the broken one included, is accounted for");
            assertEquals(1, s.failures());
            assertEquals(1, s.skippedFiles());
            assertEquals(2, s.drawn());
            Dataset<Row> rows = spark.read().parquet(out + "/" + DetectJob.DETECTIONS);
            assertEquals(DetectJob.SCHEMA.fieldNames().length, rows.schema().fieldNames().length);
            List<Row> all = rows.collectAsList();
            assertEquals(s.detections(), all.size());
            assertTrue(all.size() > 0, "an untrained model still scores some boxes above 0.2");
            Set<String> ids = new TreeSet<>();
            float largest = 0;
            for (Row r : all) {
                ids.add(r.getString(0));
                assertTrue(SHAPES.contains(r.getString(1)), r.toString());
                assertTrue(r.getFloat(2) >= 0.2f, r.toString());
                assertTrue(r.getFloat(3) <= r.getFloat(5) && r.getFloat(4) <= r.getFloat(6), r.toString());
                // pixels, unclamped as the original's predictor leaves them (an untrained box may overhang the image)
                assertTrue(r.getFloat(5) < 2 * 667 && r.getFloat(6) < 2 * 667, "pixels of the image: " + r);
                largest = Math.max(largest, r.getFloat(6));
            }
            assertTrue(largest > 50, "coordinates in pixels, not relative: " + largest);
            assertTrue(Set.of("000401", "more/gun", "drawn").containsAll(ids), ids.toString());
            String failures = read(fs, out + "/" + DetectJob.FAILURES);
            assertTrue(failures.startsWith("broken\t"), failures);
            BufferedImage drawn = ImageIO.read(fs.open(new org.apache.hadoop.fs.Path(out + "/draw/000401.png")));
            assertNotNull(drawn);
            assertEquals(476, drawn.getWidth());
            assertEquals(385, drawn.getHeight());

            UserInputException again = assertThrows(UserInputException.class,
                    () -> new DetectJob().run(spark, options(images, out, 0.2, 0), model));
            assertTrue(again.getMessage().contains("exists; remove it or choose another --output"), again.getMessage());
            DetectSummary none = new DetectJob().run(spark, options(images, hdfs.uri() + "/out2", 1.0, 0), model);
            assertEquals(0, none.detections(), "nothing scores 1.0");
        }
    }

    /** Converted shards are an input too: the test split's images, by their ids, with the shards' class names. */
    @Test
    void detectsOnTheTestSplitOfConvertedShards() throws Exception {
        SparkSession spark = TestSpark.local();
        java.nio.file.Path voc = org.ssdspark.testing.SampleData.generate(tmp.resolve("voc"), 12, 3);
        String shards = tmp.resolve("shards").toString();
        new org.ssdspark.prep.job.ConvertJob().run(spark, new org.ssdspark.prep.job.PrepOptions(voc.toString(), shards,
                voc.resolve("labels.txt").toString(), 2, 128, false, false, 4));
        List<String> classes = java.nio.file.Files.readAllLines(voc.resolve("labels.txt")).stream()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.equals("BACKGROUND")).toList();
        SsdLiteConfig config = new SsdLiteConfig(classes.size() + 1, 0.25, 32, 6);
        ComputationGraph graph = MobileNetV2SsdLite.build(config, new MultiBoxLoss(),
                new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.FLOAT).updater(new Sgd(0.01)));
        LoadedModel model = new LoadedModel(graph, classes, config, "tiny untrained");
        String out = tmp.resolve("out").toString();
        DetectSummary s = new DetectJob().run(spark, options(shards, out, 0.0, 0), model);
        Set<String> testIds = new TreeSet<>(java.nio.file.Files.readAllLines(voc.resolve("ImageSets/Main/test.txt"))
                .stream().map(String::trim).filter(l -> !l.isEmpty()).toList());
        assertEquals(testIds.size(), s.images());
        assertEquals(0, s.failures());
        Set<String> ids = new TreeSet<>();
        spark.read().parquet(out + "/" + DetectJob.DETECTIONS).collectAsList().forEach(r -> ids.add(r.getString(0)));
        assertEquals(testIds, ids, "every test image has detections at threshold 0");
    }

    private static DetectOptions options(String data, String out, double threshold, int draw) {
        return new DetectOptions(data, "test", "tiny", out, "", threshold, draw, 2, 2, 1.0, 32,
                PostProcessing.reference());
    }

    private static void put(FileSystem fs, String path, byte[] bytes) throws Exception {
        try (FSDataOutputStream out = fs.create(new org.apache.hadoop.fs.Path(path))) {
            out.write(bytes);
        }
    }

    private static String read(FileSystem fs, String path) throws Exception {
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(path))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static byte[] png(int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.getGraphics().fillOval(10, 10, 60, 50);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
