package org.ssdspark.evaljob;

import org.ssdspark.ssd.DetectionPostProcessor;

import java.io.Serializable;

/** The predictor's settings (the reference's defaults: 0.01, 0.45, 200, all kept), shipped to executors. */
public record PostProcessing(double probThreshold, double iouThreshold, int candidateSize, int topK)
        implements Serializable {

    public static PostProcessing reference() {
        return new PostProcessing(DetectionPostProcessor.DEFAULT_PROB_THRESHOLD,
                DetectionPostProcessor.DEFAULT_IOU_THRESHOLD, DetectionPostProcessor.DEFAULT_CANDIDATE_SIZE, -1);
    }

    public DetectionPostProcessor processor() {
        return new DetectionPostProcessor(probThreshold, iouThreshold, candidateSize, topK);
    }
}
