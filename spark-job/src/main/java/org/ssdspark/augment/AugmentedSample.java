package org.ssdspark.augment;

/**
 * One augmented training example: the network input as normalised CHW floats ({@code 3*size*size}),
 * boxes in corner form (x0, y0, x1, y1) as fractions of the output image, and their labels.
 */
public record AugmentedSample(float[] image, int size, float[][] boxes, int[] labels) {
}
