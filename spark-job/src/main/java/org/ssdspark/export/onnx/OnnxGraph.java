package org.ssdspark.export.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX graph being built: nodes in the order added (the caller adds them in topological order, as ONNX asks),
 * initializers, inputs and outputs. Every value name is defined once (ONNX graphs are in SSA form); defining one
 * twice is a bug here and throws.
 */
final class OnnxGraph {
    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();
    private final List<String> inputSummaries = new ArrayList<>();
    private final List<String> outputSummaries = new ArrayList<>();
    private final Set<String> values = new HashSet<>();
    private final Set<String> nodeNames = new HashSet<>();
    private final Map<String, Integer> opTypes = new LinkedHashMap<>();
    private final Map<String, String> int64Constants = new LinkedHashMap<>();
    private long parameters;

    /** Adds a node with one output and returns that output's name. */
    String node(String opType, String name, List<String> inputNames, String output, byte[]... attributes) {
        for (String in : inputNames) {
            if (!values.contains(in)) {
                throw new IllegalStateException("node " + name + " reads " + in + ", which is not defined yet");
            }
        }
        if (!nodeNames.add(name)) {
            throw new IllegalStateException("node name " + name + " used twice");
        }
        define(output);
        nodes.add(OnnxMessages.node(opType, name, inputNames, List.of(output), List.of(attributes)));
        opTypes.merge(opType, 1, Integer::sum);
        return output;
    }

    /** A float32 initializer (weights, biases, priors, scalars). */
    String floats(String name, long[] dims, float[] values) {
        if (Arrays.stream(dims).reduce(1, (a, b) -> a * b) != values.length) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for dims " + Arrays.toString(dims));
        }
        define(name);
        initializers.add(OnnxMessages.floatTensor(name, dims, values));
        parameters += values.length;
        return name;
    }

    /** A 1-D int64 initializer (shapes, slice bounds, axes), shared by every node that needs the same values. */
    String int64s(long... values) {
        String key = Arrays.toString(values);
        String existing = int64Constants.get(key);
        if (existing != null) {
            return existing;
        }
        String name = "const.int64." + int64Constants.size();
        define(name);
        initializers.add(OnnxMessages.int64Tensor(name, new long[]{values.length}, values));
        int64Constants.put(key, name);
        return name;
    }

    /** A float32 graph input; dims as in {@link OnnxMessages#tensorValueInfo}. */
    String input(String name, List<Object> dims) {
        define(name);
        inputs.add(OnnxMessages.tensorValueInfo(name, OnnxMessages.FLOAT, dims));
        inputSummaries.add(summary(name, dims));
        return name;
    }

    /** Declares an already computed value a float32 graph output. */
    void output(String name, List<Object> dims) {
        if (!values.contains(name)) {
            throw new IllegalStateException("output " + name + " is not computed by the graph");
        }
        outputs.add(OnnxMessages.tensorValueInfo(name, OnnxMessages.FLOAT, dims));
        outputSummaries.add(summary(name, dims));
    }

    byte[] encode(String name, String doc) {
        return OnnxMessages.graph(name, doc, nodes, initializers, inputs, outputs);
    }

    /** How many nodes of each operator, in order of first use. */
    Map<String, Integer> opTypes() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(opTypes));
    }

    List<String> inputSummaries() {
        return List.copyOf(inputSummaries);
    }

    List<String> outputSummaries() {
        return List.copyOf(outputSummaries);
    }

    int nodeCount() {
        return nodes.size();
    }

    /** Float values held by initializers. */
    long parameters() {
        return parameters;
    }

    private void define(String value) {
        if (!values.add(value)) {
            throw new IllegalStateException("value " + value + " defined twice");
        }
    }

    private static String summary(String name, List<Object> dims) {
        return "\"" + name + "\" float32 " + dims;
    }
}
