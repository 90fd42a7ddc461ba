/**
 * ONNX export of an mb2-ssd-lite network: the graph translated node by node (BatchNorm folded), softmax and box
 * decoding appended, written with a small protobuf encoder of the few ONNX messages needed. Depends on {@code model},
 * {@code nn} and {@code ssd}; only {@link org.ssdspark.export.ExportMain} uses it.
 */
package org.ssdspark.export.onnx;
