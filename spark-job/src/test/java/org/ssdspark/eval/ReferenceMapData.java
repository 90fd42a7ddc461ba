package org.ssdspark.eval;

import org.ssdspark.testing.ReferenceFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The reference's map/ test data, loaded once: labels, the test split's ground truth, each set's AP. */
final class ReferenceMapData {
    static final List<String> CLASSES;
    static final List<GroundTruthBox> GROUND_TRUTH;

    static {
        try {
            Path voc = ReferenceFiles.map().resolve("ground-truth");
            CLASSES = VocTestAnnotations.labels(voc);
            GROUND_TRUTH = VocTestAnnotations.read(voc, VocTestAnnotations.testImageIds(voc));
        } catch (Exception e) {
            throw new IllegalStateException("cannot load " + ReferenceFiles.map(), e);
        }
    }

    private ReferenceMapData() {
    }

    static Map<String, List<Detection>> detections(String set) {
        return new DetectionFileReader().readAll(ReferenceFiles.map().resolve("detections/" + set), CLASSES);
    }

    static EvaluationResult evaluate(String set, EvalProtocol protocol) {
        return new VocAveragePrecision(protocol).evaluate(CLASSES, detections(set), GROUND_TRUTH);
    }
}
