/**
 * Getting a trained network out of this project: as the original's PyTorch {@code state_dict}, or as an ONNX model
 * ({@code export.onnx}). Depends on {@code model} (names and layout), {@code nn}, {@code ssd}, {@code evaljob}
 * (loading checkpoints) and {@code torch} (the file format); nothing depends on it but entry points.
 */
package org.ssdspark.export;
