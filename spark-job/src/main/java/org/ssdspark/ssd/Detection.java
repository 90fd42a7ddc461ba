package org.ssdspark.ssd;

/** One detection: class index (1.. , never background), its probability and a corner-form box. */
public record Detection(int label, float score, float xMin, float yMin, float xMax, float yMax) {
}
