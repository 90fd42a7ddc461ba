/**
 * Image decoding and the evaluation input, pixel for pixel as the reference (OpenCV imread with
 * IMREAD_COLOR, BGR to RGB, bilinear resize on uint8, {@code (x - 127) / 128}, CHW). Native
 * matrices are owned by {@link org.ssdspark.image.RgbImage} and released on close.
 */
package org.ssdspark.image;
