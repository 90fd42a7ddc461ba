package org.ssdspark.evaljob;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.ssdspark.eval.Detection;
import org.ssdspark.eval.DetectionFileReader;
import org.ssdspark.eval.DetectionFileWriter;
import org.ssdspark.eval.EvaluationResult;
import org.ssdspark.eval.GroundTruthBox;
import org.ssdspark.eval.MetricsReport;
import org.ssdspark.eval.PrCurvePlotter;
import org.ssdspark.eval.VocAveragePrecision;
import org.ssdspark.prep.records.RecordObject;
import org.ssdspark.prep.voc.LabelMap;
import org.ssdspark.spark.HadoopPaths;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The driver's half: detection files in the reference's format and order (by image in the data set's order, then
 * as the predictor returned them), AP computed from those files read back as the reference's eval_ssd.py does
 * (boxes +1 on the way out and -1 on the way in, in float32), metrics.json, report.txt and the PNG charts.
 *
 * <p>Everything is written to a local folder: {@code eval_dir} itself when it is local, else a temporary folder
 * whose files are then copied up with the Hadoop FileSystem. metrics.json is written last: its presence means the
 * evaluation finished.
 */
final class EvalOutputs {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What the driver knows about the run besides the per-image results. */
    record RunInfo(String model, String data, String layout, String split, long rejectedImages, List<String> notes,
                   double imagesPerSecond, double busySeconds, double inferenceSeconds, int partitions,
                   Map<String, Integer> graphsPerExecutor, List<String> devices, PostProcessing postProcessing,
                   int batchSize) {
    }

    private EvalOutputs() {
    }

    static EvalMetrics write(List<ImageResult> results, List<String> classes, EvalOptions options, RunInfo info,
                             Configuration conf) throws IOException {
        Path target = HadoopPaths.qualify(options.evalDir(), conf);
        FileSystem fs = target.getFileSystem(conf);
        boolean local = fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem;
        java.nio.file.Path dir = local ? Paths.get(target.toUri()) : Files.createTempDirectory("ssd-eval-");
        try {
            Files.createDirectories(dir);
            EvaluationResult result = score(results, classes, options, dir);
            int failed = (int) results.stream().filter(ImageResult::failed).count();
            MetricsReport report = new MetricsReport(result, info.model(), info.data(), results.size());
            ObjectNode json = report.toJson();
            addRunFields(json, info, failed);
            String text = report.toText() + runSummary(info, results.size(), failed);

            List<java.nio.file.Path> written = new ArrayList<>();
            for (String c : classes) {
                written.add(dir.resolve("det_test_" + c + ".txt"));
            }
            written.addAll(new PrCurvePlotter().plotAll(result, dir));
            written.add(writeAtomically(dir, MetricsReport.TEXT_FILE, text));
            written.add(writeAtomically(dir, MetricsReport.JSON_FILE, JSON.writeValueAsString(json) + "\n"));

            List<String> files = new ArrayList<>();
            if (local) {
                written.forEach(p -> files.add(p.toString()));
            } else {
                fs.mkdirs(target);
                for (java.nio.file.Path p : written) {
                    Path up = new Path(target, p.getFileName().toString());
                    fs.copyFromLocalFile(false, true, new Path(p.toUri()), up);
                    files.add(up.toString());
                }
            }
            return new EvalMetrics(result, results.size(), failed, info.rejectedImages(), info.imagesPerSecond(),
                    info.busySeconds(), target.toString(), files, json, text);
        } finally {
            if (!local) {
                deleteTree(dir);
            }
        }
    }

    /** Writes the detection files into {@code dir} and scores them as the reference does. */
    static EvaluationResult score(List<ImageResult> results, List<String> classes, EvalOptions options,
                                  java.nio.file.Path dir) {
        Map<String, List<Detection>> byClass = new LinkedHashMap<>();
        classes.forEach(c -> byClass.put(c, new ArrayList<>()));
        Map<String, String> byNormalisedName = new HashMap<>();
        classes.forEach(c -> byNormalisedName.put(LabelMap.normalise(c), c));
        List<GroundTruthBox> truth = new ArrayList<>();
        for (ImageResult r : results) {
            float[] d = r.detections();
            for (int k = 0; k < d.length; k += ImageResult.STRIDE) {
                String className = classes.get((int) d[k] - 1);
                byClass.get(className).add(new Detection(r.id(), d[k + 1], d[k + 2], d[k + 3], d[k + 4], d[k + 5]));
            }
            for (RecordObject o : r.objects()) {
                String className = byNormalisedName.getOrDefault(LabelMap.normalise(o.name()), o.name());
                truth.add(GroundTruthBox.fromVocCoordinates(r.id(), className, o.xmin(), o.ymin(), o.xmax(), o.ymax(),
                        o.difficult()));
            }
        }
        new DetectionFileWriter().writeAll(dir, classes, byClass);
        Map<String, List<Detection>> readBack = new DetectionFileReader().readAll(dir, classes);
        return new VocAveragePrecision(options.protocol()).evaluate(classes, readBack, truth);
    }

    /** Results in the data set's order: by list position where known, else by image id. */
    static List<ImageResult> inDataSetOrder(List<ImageResult> results) {
        List<ImageResult> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparingLong(ImageResult::order).thenComparing(ImageResult::id));
        return sorted;
    }

    private static void addRunFields(ObjectNode json, RunInfo info, int failed) {
        json.put("split", info.split());
        json.put("data_layout", info.layout());
        json.put("failed_images", failed);
        json.put("rejected_images", info.rejectedImages());
        json.put("images_per_second", round(info.imagesPerSecond()));
        json.put("inference_seconds", round(info.busySeconds()));
        json.put("inference_wall_seconds", round(info.inferenceSeconds()));
        json.put("partitions", info.partitions());
        json.put("batch_size", info.batchSize());
        ObjectNode graphs = json.putObject("graphs_per_executor");
        info.graphsPerExecutor().forEach(graphs::put);
        info.devices().forEach(json.putArray("devices")::add);
        ObjectNode predictor = json.putObject("predictor");
        predictor.put("prob_threshold", info.postProcessing().probThreshold());
        predictor.put("nms_iou_threshold", info.postProcessing().iouThreshold());
        predictor.put("candidate_size", info.postProcessing().candidateSize());
        predictor.put("top_k", info.postProcessing().topK());
        var notes = json.putArray("notes");
        info.notes().stream().limit(100).forEach(notes::add);
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : 0;
    }

    private static String runSummary(RunInfo info, int images, int failed) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%nInference: %d images (split %s) in %.2f s busy, %.2f images/s"
                        + " (decode + preprocessing + forward + NMS; batch %d, %d partitions; %.2f s wall incl. model"
                        + " start-up on executors)%n", images, info.split(), info.busySeconds(), info.imagesPerSecond(),
                info.batchSize(), info.partitions(), info.inferenceSeconds()));
        if (failed > 0 || info.rejectedImages() > 0) {
            s.append(String.format(Locale.ROOT, "%d images could not be decoded (their objects count as missed), %d"
                    + " listed images were rejected when reading the data set (not evaluated)%n", failed,
                    info.rejectedImages()));
        }
        if (!info.notes().isEmpty()) {
            s.append(info.notes().size()).append(" notes about the data (see metrics.json \"notes\"), e.g. ")
                    .append(info.notes().get(0)).append('\n');
        }
        return s.toString();
    }

    private static java.nio.file.Path writeAtomically(java.nio.file.Path dir, String name, String content)
            throws IOException {
        java.nio.file.Path temp = Files.createTempFile(dir, "." + name, ".tmp");
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        return Files.move(temp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void deleteTree(java.nio.file.Path dir) throws IOException {
        try (Stream<java.nio.file.Path> walk = Files.walk(dir)) {
            for (java.nio.file.Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
