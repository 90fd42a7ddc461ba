package org.ssdspark.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of an evaluation run as {@code metrics.json} and as a short text report (a mAP table).
 *
 * <p>metrics.json: {@code protocol}, {@code metric} (what {@code mAP} is: VOC2007 11-point), {@code mAP},
 * {@code mAP_auc} (area under curve), {@code ap} and {@code ap_auc} per class in label order,
 * {@code positives} and {@code detections} per class, {@code images}, {@code model}, {@code data}, and
 * {@code reference_nan}: the classes whose 11-point AP the reference would report as NaN (see
 * {@link VocAveragePrecision}). An undefined AP (a class with no non-difficult object) is written as null.
 */
public final class MetricsReport {
    public static final String JSON_FILE = "metrics.json";
    public static final String TEXT_FILE = "report.txt";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final EvaluationResult result;
    private final String model;
    private final String data;
    private final int images;

    /** {@code model} and {@code data} name what was evaluated (checkpoint and data set paths, say). */
    public MetricsReport(EvaluationResult result, String model, String data, int images) {
        this.result = result;
        this.model = model;
        this.data = data;
        this.images = images;
    }

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("protocol", result.protocol().id());
        root.put("metric", ApMetric.VOC2007_11_POINT.id());
        putNumber(root, "mAP", result.meanAp(ApMetric.VOC2007_11_POINT));
        putNumber(root, "mAP_auc", result.meanAp(ApMetric.AREA_UNDER_CURVE));
        ObjectNode ap = root.putObject("ap");
        ObjectNode apAuc = root.putObject("ap_auc");
        ObjectNode positives = root.putObject("positives");
        ObjectNode detections = root.putObject("detections");
        for (ClassEvaluation c : result.classes()) {
            putNumber(ap, c.className(), c.ap11Point());
            putNumber(apAuc, c.className(), c.apArea());
            positives.put(c.className(), c.positives());
            detections.put(c.className(), c.detections());
        }
        root.put("images", images);
        root.put("model", model);
        root.put("data", data);
        var nan = root.putArray("reference_nan");
        result.classes().stream().filter(ClassEvaluation::referenceWouldBeNaN).forEach(c -> nan.add(c.className()));
        return root;
    }

    private static void putNumber(ObjectNode node, String key, double value) {
        if (Double.isFinite(value)) {
            node.put(key, value);
        } else {
            node.putNull(key);
        }
    }

    public String toText() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Evaluation: protocol %s, %d images%nmodel: %s%ndata:  %s%n%n",
                result.protocol().id(), images, model, data));
        int width = Math.max(8, result.classes().stream().mapToInt(c -> c.className().length()).max().orElse(0));
        String row = "%-" + width + "s %10s %10s %10s %10s %10s%n";
        s.append(String.format(Locale.ROOT, row, "class", "AP 11-pt", "AP area", "objects", "detections", "TP"));
        s.append("-".repeat(width + 55)).append('\n');
        for (ClassEvaluation c : result.classes()) {
            s.append(String.format(Locale.ROOT, row, c.className() + (c.referenceWouldBeNaN() ? "*" : ""),
                    number(c.ap11Point()), number(c.apArea()), c.positives(), c.detections(), c.truePositives()));
        }
        s.append("-".repeat(width + 55)).append('\n');
        s.append(String.format(Locale.ROOT, row, "mAP", number(result.meanAp(ApMetric.VOC2007_11_POINT)),
                number(result.meanAp(ApMetric.AREA_UNDER_CURVE)), "", "", ""));
        List<String> nan = result.classes().stream().filter(ClassEvaluation::referenceWouldBeNaN)
                .map(ClassEvaluation::className).toList();
        if (!nan.isEmpty()) {
            s.append("\n* the reference's eval_ssd.py reports NaN as this class's 11-point AP (a detection of a\n"
                    + "  difficult object is ranked first); shown is the AP with detections of difficult objects left out.\n");
        }
        return s.toString();
    }

    private static String number(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.4f", value) : "n/a";
    }

    /** Writes metrics.json and report.txt into {@code directory}, each atomically; returns both paths. */
    public List<Path> write(Path directory) {
        try {
            Files.createDirectories(directory);
            return List.of(writeAtomically(directory, JSON_FILE, JSON.writeValueAsString(toJson()) + "\n"),
                    writeAtomically(directory, TEXT_FILE, toText()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the metrics report to " + directory, e);
        }
    }

    private static Path writeAtomically(Path directory, String name, String content) throws IOException {
        Path temp = Files.createTempFile(directory, "." + name, ".tmp");
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        return Files.move(temp, directory.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }
}
