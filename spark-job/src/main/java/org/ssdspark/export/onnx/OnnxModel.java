package org.ssdspark.export.onnx;

import java.util.List;
import java.util.Map;

/**
 * An encoded ONNX model and what it holds, for reports and tests.
 *
 * @param bytes      the ModelProto, what an .onnx file holds
 * @param inputs     each graph input as {@code "name" float32 [dims]}
 * @param outputs    each graph output likewise
 * @param opTypes    how many nodes of each operator, in order of first use
 * @param parameters float values held by initializers (weights, biases, priors)
 */
public record OnnxModel(byte[] bytes, int opset, long irVersion, List<String> inputs, List<String> outputs,
                        Map<String, Integer> opTypes, long parameters) {

    public int nodes() {
        return opTypes.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** One line: opset, inputs, outputs, size of the graph. */
    public String describe() {
        return "opset " + opset + ", IR " + irVersion + "; input " + String.join(", ", inputs) + "; outputs "
                + String.join(", ", outputs) + "; " + nodes() + " nodes, " + parameters + " parameters";
    }
}
