package org.ssdspark.augment;

/**
 * What RandomSampleCrop kept: the rectangle of the canvas, the boxes in its coordinates, and the
 * minimum IoU of the mode that chose it (NaN for the whole image, -infinity for the unbounded mode).
 */
record CropResult(CropRect rect, LabeledBoxes boxes, double modeMinIou) {
}
