package org.ssdspark.evaljob;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ssdspark.eval.ApMetric;
import org.ssdspark.eval.EvaluationResult;

import java.util.List;

/**
 * The outcome of an evaluation run: per-class AP under both metrics ({@link #result}), the counts, the inference
 * throughput, where the outputs went, and the content of {@code metrics.json} and {@code report.txt}.
 *
 * @param imagesPerSecond images over the executors' busy window (decode, preprocessing, forward pass and NMS;
 *                        without Spark or model start-up)
 */
public record EvalMetrics(EvaluationResult result, int images, int failedImages, long rejectedImages,
                          double imagesPerSecond, double inferenceSeconds, String evalDir, List<String> files,
                          ObjectNode json, String report) {

    /** VOC2007 11-point mAP, the reference's default. */
    public double mAP() {
        return result.meanAp(ApMetric.VOC2007_11_POINT);
    }

    /** Area-under-curve mAP (VOC2010+). */
    public double mAPArea() {
        return result.meanAp(ApMetric.AREA_UNDER_CURVE);
    }
}
