package org.ssdspark.evaljob;

import org.ssdspark.prep.records.RecordObject;

import java.io.Serializable;
import java.util.List;

/**
 * What an executor sends back for one image: its detections packed as {@value #STRIDE} floats each
 * (label, score, xmin, ymin, xmax, ymax; pixels of the original image, 0-based, the predictor's order), its ground
 * truth, and the reason when the image could not be decoded (then no detections).
 */
public record ImageResult(String id, long order, int width, int height, float[] detections,
                          List<RecordObject> objects, String failure) implements Serializable {
    public static final int STRIDE = 6;

    public int detectionCount() {
        return detections.length / STRIDE;
    }

    public boolean failed() {
        return failure != null;
    }
}
