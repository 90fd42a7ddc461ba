package org.ssdspark.export.onnx;

import org.ssdspark.ssd.PriorBoxes;
import org.ssdspark.ssd.SsdSpec;

import java.util.List;

/**
 * The original's {@code SSD.forward} in test mode on the network's raw output [N, P*C + P*4] (class logits
 * prior-major, then regressions, {@link org.ssdspark.ssd.MultiBoxLayout}): {@code scores} [N, P, C], the softmax over
 * each prior's classes, and {@code boxes} [N, P, 4], the regressions decoded against the priors (an initializer,
 * center form [P, 4] as {@link PriorBoxes} makes them) and turned to corner form relative to the image. The decoding
 * keeps {@link org.ssdspark.ssd.BoxCoder}'s operation order: center = loc * 0.1 * prior size + prior center,
 * size = exp(loc * 0.2) * prior size, corners = center -/+ size / 2.
 */
final class DetectionOutputs {
    static final String SCORES = "scores";
    static final String BOXES = "boxes";
    static final String PRIORS = "priors";

    private DetectionOutputs() {
    }

    static void append(OnnxGraph onnx, String raw, SsdSpec spec, int classes) {
        long p = spec.numPriors();
        long logits = p * classes;
        String conf = onnx.node("Slice", "confidences.flat", List.of(raw, onnx.int64s(0), onnx.int64s(logits),
                onnx.int64s(1)), "confidences.flat");
        String confidences = onnx.node("Reshape", "confidences", List.of(conf, onnx.int64s(0, p, classes)), "confidences");
        onnx.node("Softmax", SCORES, List.of(confidences), SCORES, OnnxMessages.intAttribute("axis", 2));

        String loc = onnx.node("Slice", "locations.flat", List.of(raw, onnx.int64s(logits), onnx.int64s(logits + 4 * p),
                onnx.int64s(1)), "locations.flat");
        String locations = onnx.node("Reshape", "locations", List.of(loc, onnx.int64s(0, p, 4)), "locations");

        String priors = onnx.floats(PRIORS, new long[]{p, 4}, PriorBoxes.centerForm(spec));
        String priorCenter = slice(onnx, "priors.center", priors, 0, 2, 1);
        String priorSize = slice(onnx, "priors.size", priors, 2, 4, 1);
        String locCenter = slice(onnx, "locations.center", locations, 0, 2, 2);
        String locSize = slice(onnx, "locations.size", locations, 2, 4, 2);
        String centerVariance = onnx.floats("center_variance", new long[0], new float[]{(float) spec.centerVariance()});
        String sizeVariance = onnx.floats("size_variance", new long[0], new float[]{(float) spec.sizeVariance()});
        String two = onnx.floats("two", new long[0], new float[]{2f});

        String center = binary(onnx, "Add", "boxes.center",
                binary(onnx, "Mul", "boxes.center.offset",
                        binary(onnx, "Mul", "locations.center.scaled", locCenter, centerVariance), priorSize),
                priorCenter);
        String exp = onnx.node("Exp", "boxes.size.ratio", List.of(binary(onnx, "Mul", "locations.size.scaled", locSize,
                sizeVariance)), "boxes.size.ratio");
        String size = binary(onnx, "Mul", "boxes.size", exp, priorSize);
        String half = binary(onnx, "Div", "boxes.half_size", size, two);
        onnx.node("Concat", BOXES, List.of(binary(onnx, "Sub", "boxes.min", center, half),
                binary(onnx, "Add", "boxes.max", center, half)), BOXES, OnnxMessages.intAttribute("axis", 2));
    }

    /** {@code data[..., from:to]} on {@code axis}. */
    private static String slice(OnnxGraph onnx, String name, String data, long from, long to, long axis) {
        return onnx.node("Slice", name, List.of(data, onnx.int64s(from), onnx.int64s(to), onnx.int64s(axis)), name);
    }

    private static String binary(OnnxGraph onnx, String op, String name, String a, String b) {
        return onnx.node(op, name, List.of(a, b), name);
    }
}
