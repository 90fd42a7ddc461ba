package org.ssdspark.eval;

/**
 * One detection of one class: the image it was found in, its confidence and its box in pixels of the
 * original image, 0-based (the predictor's coordinates; {@link DetectionFileWriter} adds 1 on the way out).
 */
public record Detection(String imageId, double score, double xmin, double ymin, double xmax, double ymax) {
}
