package org.ssdspark.eval;

import org.ssdspark.testing.ReferenceFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files an evaluation run leaves: detection files, metrics.json, the text report and the charts. */
class EvaluationOutputsTest {
    private static final List<String> classes = ReferenceMapData.CLASSES;

    @Test
    void detectionFilesRoundTripTheReferenceFilesExactly(@TempDir Path dir) throws Exception {
        for (String set : List.of("trained", "noisy", "perfect")) {
            Path source = ReferenceFiles.map().resolve("detections/" + set);
            Map<String, List<Detection>> read = new DetectionFileReader().readAll(source, classes);
            Path out = dir.resolve(set);
            new DetectionFileWriter().writeAll(out, classes, read);
            Map<String, List<Detection>> again = new DetectionFileReader().readAll(out, classes);
            int lines = 0;
            int sameText = 0;
            for (String c : classes) {
                // the values survive writing and reading bit for bit (as float32, the reference's precision)
                assertEquals(read.get(c), again.get(c), set + " " + c);
                List<String> original = Files.readAllLines(DetectionFiles.pathFor(source, c), StandardCharsets.UTF_8);
                List<String> ours = Files.readAllLines(DetectionFiles.pathFor(out, c), StandardCharsets.UTF_8);
                assertEquals(original.size(), ours.size());
                for (int i = 0; i < ours.size(); i++) {
                    lines++;
                    sameText += original.get(i).equals(ours.get(i)) ? 1 : 0;
                    assertTrue(ours.get(i).matches("\\S+( -?[0-9]+\\.[0-9]+){5}"), ours.get(i));
                }
            }
            // the reference writes str(np.float32): so do we, except that hand-made files (noisy) may pad zeros
            System.out.printf("%s: %d of %d lines textually identical to the reference's%n", set, sameText, lines);
            if (!set.equals("noisy")) {
                assertEquals(lines, sameText, set);
            }
        }
    }

    @Test
    void writerShiftsToOneBasedAndReaderBack(@TempDir Path dir) throws Exception {
        Detection d = new Detection("000401", 0.0001f, -0.5f, 0f, 299.25f, 10f);
        Path file = new DetectionFileWriter().write(dir, "star", List.of(d));
        assertEquals("000401 0.00010 0.5 1.0 300.25 11.0", Files.readString(file).trim());
        // boxes come back as the same float32 values; the score as the double the text says (the reference reads it so)
        assertEquals(List.of(new Detection("000401", 0.0001, -0.5, 0, 299.25, 10)), new DetectionFileReader().read(file));
    }

    @Test
    void metricsJsonAndTextReport(@TempDir Path dir) throws Exception {
        EvaluationResult result = ReferenceMapData.evaluate("perfect", EvalProtocol.REFERENCE);
        List<Path> files = new MetricsReport(result, "ckpt/epoch-20", "synthetic-test", 100).write(dir);
        JsonNode json = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
        assertEquals("reference", json.get("protocol").asText());
        assertEquals(result.meanAp(ApMetric.VOC2007_11_POINT), json.get("mAP").asDouble(), 0.0);
        assertEquals(1.0, json.get("mAP_auc").asDouble(), 0.0);
        assertEquals(100, json.get("images").asInt());
        assertEquals("ckpt/epoch-20", json.get("model").asText());
        assertEquals("synthetic-test", json.get("data").asText());
        assertEquals(classes, iterate(json.get("ap").fieldNames()));
        assertEquals(result.forClass("square").orElseThrow().ap11Point(), json.get("ap").get("square").asDouble(), 0.0);
        assertEquals(76, json.get("positives").get("square").asInt());
        assertEquals("square", json.get("reference_nan").get(0).asText());

        String text = Files.readString(files.get(1));
        System.out.println(text);
        assertTrue(text.contains("square*"), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("mAP\\s+1\\.0000\\s+1\\.0000\\s*")), text);
    }

    @Test
    void chartsDecodeWithTheirSizeAndContent() throws Exception {
        EvaluationResult result = ReferenceMapData.evaluate("trained", EvalProtocol.REFERENCE);
        Path dir = Path.of(System.getProperty("user.dir"), "target", "eval-charts");
        new MetricsReport(result, "reference trained 20 epochs", "reference/map/ground-truth", 100).write(dir);
        List<Path> charts = new PrCurvePlotter().plotAll(result, dir);
        assertEquals(classes.size() + 2, charts.size());
        for (Path chart : charts) {
            BufferedImage image = ImageIO.read(chart.toFile());
            boolean curves = chart.getFileName().toString().equals("pr-curves.png");
            assertEquals(curves ? PrCurvePlotter.CURVES_WIDTH : PrCurvePlotter.WIDTH, image.getWidth(), chart.toString());
            assertEquals(PrCurvePlotter.HEIGHT, image.getHeight(), chart.toString());
            int nonWhite = 0;
            Set<Integer> colors = new HashSet<>();
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    int rgb = image.getRGB(x, y) & 0xffffff;
                    colors.add(rgb);
                    nonWhite += rgb == 0xffffff ? 0 : 1;
                }
            }
            double inked = nonWhite / (double) (image.getWidth() * image.getHeight());
            System.out.printf("%s: %.1f%% non-white, %d colours%n", chart.getFileName(), 100 * inked, colors.size());
            assertTrue(inked > 0.02 && inked < 0.9, chart + " inked " + inked);
            assertTrue(colors.size() > 20, chart + " colours " + colors.size());
        }
        // the per-class plot carries the raw curve in its colour inside the plot area
        BufferedImage circle = ImageIO.read(dir.resolve("pr-circle.png").toFile());
        int blue = 0;
        for (int y = 60; y < PrCurvePlotter.HEIGHT - 70; y++) {
            for (int x = 80; x < PrCurvePlotter.WIDTH - 30; x++) {
                blue += (circle.getRGB(x, y) & 0xffffff) == 0x1f77b4 ? 1 : 0;
            }
        }
        assertTrue(blue > 50, "raw curve pixels: " + blue);
    }

    private static List<String> iterate(Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
