package org.ssdspark.ssd;

import org.ssdspark.testing.ReferenceFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DetectionPostProcessorTest {

    private static final int CLASSES = 21;

    private record Expected(int label, float score, float[] box) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"gun", "readme_ssd_example", "000401", "000402"})
    void reproducesTheReferencePredictorOutput(String stem) throws IOException {
        BufferedImage image = ImageIO.read(ReferenceFiles.resolve("images/" + stem + ".jpg").toFile());
        int width = image.getWidth();
        int height = image.getHeight();
        float[] scores = ReferenceFiles.floats("outputs/" + stem + ".scores.npy");
        float[] boxes = ReferenceFiles.floats("outputs/" + stem + ".boxes.npy");

        List<Detection> actual = new DetectionPostProcessor().process(scores, CLASSES, boxes, width, height);
        List<Expected> expected = readCsv(stem);
        assertEquals(expected.size(), actual.size(), "number of detections");
        double maxScoreDiff = 0;
        double maxBoxDiff = 0;
        for (int i = 0; i < expected.size(); i++) {
            Expected e = expected.get(i);
            Detection d = actual.get(i);
            assertEquals(e.label(), d.label(), "label of detection " + i);
            maxScoreDiff = Math.max(maxScoreDiff, Math.abs(e.score() - d.score()));
            float[] box = {d.xMin(), d.yMin(), d.xMax(), d.yMax()};
            for (int k = 0; k < 4; k++) {
                maxBoxDiff = Math.max(maxBoxDiff, Math.abs(e.box()[k] - box[k]));
            }
        }
        System.out.printf("%s (%dx%d): %d detections, max |score diff| %.2e, max |box diff| %.2e px%n",
                stem, width, height, actual.size(), maxScoreDiff, maxBoxDiff);
        assertTrue(maxScoreDiff <= 1e-4, "score diff " + maxScoreDiff);
        assertTrue(maxBoxDiff <= 1e-2, "box diff " + maxBoxDiff);

        JsonNode entry = manifestEntry(stem);
        assertEquals(entry.get("num_detections").asInt(), actual.size());
        assertEquals(entry.get("num_detections_extra_thresholds").get("0.2").asInt(),
                new DetectionPostProcessor(0.2, 0.45, 200, -1).process(scores, CLASSES, boxes, width, height).size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"gun", "000402"})
    void softmaxAndDecodingOfRawOutputsMatchTheReference(String stem) {
        float[] logits = ReferenceFiles.floats("outputs/" + stem + ".conf.npy");
        float[] regressions = ReferenceFiles.floats("outputs/" + stem + ".loc.npy");
        float[] scores = DetectionPostProcessor.softmax(logits, CLASSES);
        float[] boxes = BoxCoder.of(SsdSpec.reference300()).decode(regressions);
        double scoreDiff = maxDiff(scores, ReferenceFiles.floats("outputs/" + stem + ".scores.npy"));
        double boxDiff = maxDiff(boxes, ReferenceFiles.floats("outputs/" + stem + ".boxes.npy"));
        System.out.printf("%s raw: softmax max|diff| %.2e, decoded boxes max|diff| %.2e%n", stem, scoreDiff, boxDiff);
        assertTrue(scoreDiff < 1e-6, "softmax " + scoreDiff);
        assertTrue(boxDiff < 1e-6, "boxes " + boxDiff);
    }

    private static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static List<Expected> readCsv(String stem) throws IOException {
        List<String> lines = Files.readAllLines(ReferenceFiles.resolve("outputs/" + stem + ".detections.csv"));
        assertEquals("label,class_name,prob,xmin,ymin,xmax,ymax", lines.get(0));
        List<Expected> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            out.add(new Expected(Integer.parseInt(f[0]), Float.parseFloat(f[2]), new float[]{
                    Float.parseFloat(f[3]), Float.parseFloat(f[4]), Float.parseFloat(f[5]), Float.parseFloat(f[6])}));
        }
        return out;
    }

    private static JsonNode manifestEntry(String stem) throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(ReferenceFiles.resolve("outputs/manifest.json").toFile());
        JsonNode settings = manifest.get("predictor");
        assertEquals("hard", settings.get("nms_method").asText());
        assertEquals(0.45, settings.get("iou_threshold").asDouble());
        assertEquals(200, settings.get("candidate_size").asInt());
        assertEquals(0.01, settings.get("prob_threshold").asDouble());
        assertEquals(-1, settings.get("top_k").asInt());
        for (JsonNode image : manifest.get("images")) {
            if (image.get("stem").asText().equals(stem)) {
                return image;
            }
        }
        throw new AssertionError("no manifest entry for " + stem);
    }
}
