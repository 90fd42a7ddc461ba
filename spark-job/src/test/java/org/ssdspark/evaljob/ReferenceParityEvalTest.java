package org.ssdspark.evaljob;

import org.ssdspark.testing.ReferenceFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ssdspark.prep.job.ConvertJob;
import org.ssdspark.prep.job.PrepOptions;
import org.ssdspark.testing.TestSpark;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference checkpoint, imported from its .pth and evaluated by the job on a VOC folder of the four reference
 * images, writes the reference predictor's detections: the same (image, class) pairs with the same number of
 * detections each; matched one to one, scores within 6e-5 and boxes within 1e-2 px (det files are 1-based, the
 * reference CSVs 0-based). The same images converted to shards first give byte-identical detection files.
 *
 * <p>Boxes: measured in float32, 59 of 9654 detections are 1e-2 to 3.7e-2 px off (max per image: 000401 0.012,
 * 000402 0.015, gun 0.020, readme_ssd_example (1733 px wide) 0.037; in float64 the maximum is 0.027). The cause is
 * upstream of this job: the network's regressions differ from the PyTorch float32 ones by up to ~3e-4 (see
 * SsdLiteWeightImporterTest), which the size variance and exp() turn into up to 2e-5 of the image side; from the
 * reference's own scores and boxes the post-processing is within 1e-2 px (DetectionPostProcessorTest). So 99% of
 * boxes must be within 1e-2 px, and every box within 1e-4 of its image's longer side (0.03 px at the network's
 * 300 px; InferenceParityTest's bound on the network's own outputs). With the Java depthwise kernel (a different,
 * equally float32 summation order than oneDNN's) the largest difference is 0.078 px on the 1733 px wide image, 0.014
 * px at 300 px (4.5e-5 of the side); it was 0.045 px with oneDNN's depthwise op. Near-equal scores (random weights) swap 30 detections'
 * positions inside their list, hence the one-to-one matching instead of a line-by-line comparison.
 */
class ReferenceParityEvalTest {
    /** README: scores within 6e-5 (measured 4.4e-5). */
    private static final double SCORE_TOLERANCE = 6e-5;
    private static final double BOX_TOLERANCE = 1e-2;
    /** See the class comment: the network's own float rounding, as a fraction of the image's longer side. */
    private static final double BOX_BOUND_RELATIVE = 1e-4;

    private static Path tmp;
    private static SparkSession spark;
    private static LoadedModel model;
    private static List<String> referenceClasses;
    private static EvalMetrics vocRun;

    @BeforeAll
    static void setUp() throws IOException {
        tmp = Files.createTempDirectory("evaljob-parity");
        ReferenceVocFolder.create(tmp.resolve("voc"));
        JsonNode manifest = new ObjectMapper().readTree(ReferenceFiles.resolve("outputs/manifest.json").toFile());
        referenceClasses = new ArrayList<>();
        manifest.get("class_names").forEach(n -> referenceClasses.add(n.asText()));
        long t0 = System.nanoTime();
        model = ModelSources.load(ReferenceFiles.resolve("checkpoints/mb2-ssd-lite-21.pth").toString(),
                LoadSettings.defaults(), new Configuration());
        System.out.printf("model import %.2f s%n", (System.nanoTime() - t0) / 1e9);
        spark = TestSpark.local();
    }

    @AfterAll
    static void tearDown() throws IOException {
        try (Stream<Path> walk = Files.walk(tmp)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static synchronized EvalMetrics vocRun() throws IOException {
        if (vocRun == null) {
            vocRun = new EvalJob().run(spark, EvalOptions.defaults(tmp.resolve("voc").toString(),
                    tmp.resolve("eval-voc").toString()), model);
            System.out.println(vocRun.report());
        }
        return vocRun;
    }

    @Test
    void vocFolderDetectionsMatchTheReferencePredictor() throws IOException {
        EvalMetrics m = vocRun();
        assertEquals(referenceClasses.subList(1, referenceClasses.size()), model.classes());
        assertEquals(4, m.images());

        Map<String, List<double[]>> ours = readDetFiles(tmp.resolve("eval-voc"), model.classes());
        Map<String, List<double[]>> reference = readReferenceCsvs();
        assertEquals(reference.keySet(), ours.keySet(), "(image, class) pairs with detections");
        double maxScore = 0;
        double maxBox = 0;
        double maxBoxAtNetworkScale = 0;
        Map<String, Double> maxBoxPerImage = new TreeMap<>();
        int lines = 0;
        int outOfOrder = 0;
        int beyondBoxTolerance = 0;
        for (Map.Entry<String, List<double[]>> e : reference.entrySet()) {
            String stem = e.getKey().substring(0, e.getKey().indexOf('/'));
            BufferedImage image = ImageIO.read(ReferenceFiles.resolve("images/" + stem + ".jpg").toFile());
            double toNetwork = 300.0 / Math.max(image.getWidth(), image.getHeight());
            List<double[]> expected = e.getValue();
            List<double[]> actual = new ArrayList<>(ours.get(e.getKey()));
            assertEquals(expected.size(), actual.size(), "detections of " + e.getKey());
            for (int i = 0; i < expected.size(); i++) {
                // near-equal scores of the random weights may swap places: match each expected detection to the
                // closest remaining one of ours
                double[] want = expected.get(i);
                int best = -1;
                double bestBox = Double.POSITIVE_INFINITY;
                for (int j = 0; j < actual.size(); j++) {
                    double[] got = actual.get(j);
                    if (got == null) {
                        continue;
                    }
                    double box = 0;
                    for (int k = 1; k <= 4; k++) {
                        // det files are 1-based: the reference's eval_ssd.py writes box + 1
                        box = Math.max(box, Math.abs(want[k] - (got[k] - 1)));
                    }
                    if (box < bestBox || (box == bestBox && best >= 0
                            && Math.abs(want[0] - got[0]) < Math.abs(want[0] - actual.get(best)[0]))) {
                        bestBox = box;
                        best = j;
                    }
                }
                if (best != i) {
                    outOfOrder++;
                }
                maxScore = Math.max(maxScore, Math.abs(want[0] - actual.get(best)[0]));
                maxBox = Math.max(maxBox, bestBox);
                maxBoxAtNetworkScale = Math.max(maxBoxAtNetworkScale, bestBox * toNetwork);
                maxBoxPerImage.merge(stem, bestBox, Math::max);
                if (bestBox > BOX_TOLERANCE) {
                    beyondBoxTolerance++;
                }
                actual.set(best, null);
                lines++;
            }
        }
        System.out.printf("%d of %d detections with a box diff > %.0e px%n", beyondBoxTolerance, lines, BOX_TOLERANCE);
        System.out.printf("%d of %d detections at another position within their (image, class) list%n", outOfOrder,
                lines);
        System.out.printf("parity over %d detections: max |score diff| %.3g, max |box diff| %.3g px (per image %s),"
                + " %.3g px at the network's 300 px scale%n", lines, maxScore, maxBox, maxBoxPerImage,
                maxBoxAtNetworkScale);
        assertTrue(maxScore <= SCORE_TOLERANCE, "score diff " + maxScore);
        assertTrue(beyondBoxTolerance <= lines / 100, beyondBoxTolerance + " boxes off by more than " + BOX_TOLERANCE);
        assertTrue(maxBoxAtNetworkScale <= 300 * BOX_BOUND_RELATIVE,
                "box diff " + maxBox + " px, " + maxBoxAtNetworkScale + " px at the network's 300 px scale");

        JsonNode json = new ObjectMapper().readTree(tmp.resolve("eval-voc/metrics.json").toFile());
        for (String key : List.of("protocol", "mAP", "ap", "images", "model", "data", "mAP_auc", "images_per_second")) {
            assertTrue(json.has(key), "metrics.json lacks " + key);
        }
        assertEquals("reference", json.get("protocol").asText());
        assertEquals(4, json.get("images").asInt());
        assertEquals(20, json.get("ap").size());
        // person (2 objects), car (1) have positives; dog's only object is difficult: AP undefined
        assertTrue(json.get("ap").get("person").isNumber());
        assertTrue(json.get("ap").get("dog").isNull());
        assertTrue(Files.isRegularFile(tmp.resolve("eval-voc/report.txt")));
        assertTrue(Files.isRegularFile(tmp.resolve("eval-voc/pr-person.png")));
        assertTrue(Files.isRegularFile(tmp.resolve("eval-voc/ap-per-class.png")));
        System.out.printf("inference: %.2f images/s (%d images)%n", m.imagesPerSecond(), m.images());
    }

    @Test
    void shardsOfTheSameImagesGiveIdenticalDetectionFiles() throws IOException {
        EvalMetrics viaVoc = vocRun();
        Path shards = tmp.resolve("shards");
        new ConvertJob().run(spark, new PrepOptions(tmp.resolve("voc").toString(), shards.toString(), "", 1, 128,
                false, true, 0));
        EvalMetrics viaShards = new EvalJob().run(spark, EvalOptions.defaults(shards.toString(),
                tmp.resolve("eval-shards").toString()), model);
        assertEquals(4, viaShards.images());
        for (String c : model.classes()) {
            String file = "det_test_" + c + ".txt";
            assertArrayEquals(Files.readAllBytes(tmp.resolve("eval-voc").resolve(file)),
                    Files.readAllBytes(tmp.resolve("eval-shards").resolve(file)), file);
        }
        assertEquals(viaVoc.mAP(), viaShards.mAP(), 0.0);
        assertEquals(viaVoc.mAPArea(), viaShards.mAPArea(), 0.0);
    }

    /** Key "image/class" -> detections in file order: score, xmin, ymin, xmax, ymax (1-based). */
    private static Map<String, List<double[]>> readDetFiles(Path dir, List<String> classes) throws IOException {
        Map<String, List<double[]>> out = new TreeMap<>();
        for (String c : classes) {
            for (String line : Files.readAllLines(dir.resolve("det_test_" + c + ".txt"))) {
                String[] t = line.split(" ");
                out.computeIfAbsent(t[0] + "/" + c, k -> new ArrayList<>()).add(new double[]{
                        Double.parseDouble(t[1]), Double.parseDouble(t[2]), Double.parseDouble(t[3]),
                        Double.parseDouble(t[4]), Double.parseDouble(t[5])});
            }
        }
        return out;
    }

    /** The reference predictor's CSVs keyed as {@link #readDetFiles}, boxes 0-based. */
    private static Map<String, List<double[]>> readReferenceCsvs() throws IOException {
        Map<String, List<double[]>> out = new TreeMap<>();
        for (String stem : ReferenceVocFolder.STEMS) {
            List<String> lines = Files.readAllLines(ReferenceFiles.resolve("outputs/" + stem + ".detections.csv"));
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",");
                assertEquals(referenceClasses.get(Integer.parseInt(f[0])), f[1]);
                out.computeIfAbsent(stem + "/" + f[1], k -> new ArrayList<>()).add(new double[]{
                        Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                        Double.parseDouble(f[5]), Double.parseDouble(f[6])});
            }
        }
        return out;
    }
}
