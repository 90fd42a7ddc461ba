package org.ssdspark.bench;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.MirroringPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a training step's time goes, by kind of layer: the graph's vertices run one at a time in topological order
 * (forward in training mode, then backward in reverse order), each timed. Runs without workspaces, so the totals are
 * a little above a real {@code fit}; the shares are what this table is for. The kind of a vertex is read from its
 * configuration (1x1 convolution, 3x3 convolution, depthwise, BatchNorm, ReLU6, ...), or its class name.
 */
final class LayerProfile {
    private final Map<String, double[]> byKind = new TreeMap<>();
    private int steps;

    /** One forward and backward pass over {@code input}; parameters are not updated. */
    void step(ComputationGraph graph, INDArray input, INDArray labels) {
        forwardAndMaybeBackward(graph, input, labels, true, LayerWorkspaceMgr.noWorkspaces());
    }

    /**
     * One forward pass in inference mode over {@code input} (for the folded inference graph); no loss, no backward.
     * Unlike a training step's profile it runs in a workspace, as inference does: every layer's output then reuses the
     * memory of the pass before, where fresh off-heap arrays would add page faults to every layer's time.
     */
    void forward(ComputationGraph graph, INDArray input) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(PROFILE_WORKSPACE, "PROFILE_WS")) {
            forwardAndMaybeBackward(graph, input, null, false,
                    LayerWorkspaceMgr.builder().defaultWorkspace("PROFILE_WS", PROFILE_WORKSPACE).build());
        }
    }

    private static final WorkspaceConfiguration PROFILE_WORKSPACE = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.STRICT).policyLearning(LearningPolicy.FIRST_LOOP)
            .policyMirroring(MirroringPolicy.FULL).policySpill(SpillPolicy.REALLOCATE).build();

    private void forwardAndMaybeBackward(ComputationGraph graph, INDArray input, INDArray labels, boolean training,
                                         LayerWorkspaceMgr mgr) {
        GraphVertex[] vertices = graph.getVertices();
        int[] order = graph.topologicalSortOrder();
        for (int idx : order) {
            GraphVertex v = vertices[idx];
            INDArray out;
            long t0 = System.nanoTime();
            if (v.isInputVertex()) {
                out = input;
            } else {
                if (training && v.isOutputVertex() && v.getLayer() instanceof IOutputLayer outputLayer) {
                    outputLayer.setLabels(labels);
                }
                out = v.doForward(training, mgr);
            }
            add(kind(v), 0, System.nanoTime() - t0);
            VertexIndices[] outputs = v.getOutputVertices();
            if (outputs != null) {
                for (VertexIndices o : outputs) {
                    vertices[o.getVertexIndex()].setInput(o.getVertexEdgeNumber(), out, mgr);
                }
            }
        }
        if (!training) {
            graph.clearLayersStates();
            steps++;
            return;
        }
        INDArray[] epsilons = new INDArray[vertices.length];
        for (int i = order.length - 1; i >= 0; i--) {
            GraphVertex v = vertices[order[i]];
            if (v.isInputVertex()) {
                continue;
            }
            long t0 = System.nanoTime();
            if (!v.isOutputVertex()) {
                v.setEpsilon(epsilons[order[i]]);
            }
            Pair<Gradient, INDArray[]> result = v.doBackward(false, mgr);
            add(kind(v), 1, System.nanoTime() - t0);
            VertexIndices[] inputs = v.getInputVertices();
            INDArray[] eps = result.getSecond();
            for (int j = 0; inputs != null && j < inputs.length; j++) {
                int target = inputs[j].getVertexIndex();
                epsilons[target] = epsilons[target] == null ? eps[j] : epsilons[target].add(eps[j]);
            }
        }
        graph.clearLayersStates();
        steps++;
    }

    private void add(String kind, int direction, long nanos) {
        byKind.computeIfAbsent(kind, k -> new double[2])[direction] += nanos / 1e6;
    }

    static String kind(GraphVertex v) {
        Layer layer = v.getLayer();
        if (layer == null) {
            return "vertex " + v.getClass().getSimpleName().replace("Vertex", "");
        }
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
        if (conf instanceof org.ssdspark.nn.BatchNormRelu6 f) {
            return f.isRelu6() ? "BatchNorm+ReLU6 (fused)" : "BatchNorm (fused kernel)";
        }
        if (conf instanceof org.ssdspark.nn.PointwiseConvolution) {
            return "conv 1x1 (gemm)";
        }
        if (conf instanceof org.ssdspark.nn.DepthwiseConvolution3x3 d) {
            boolean onednn = layer instanceof org.ssdspark.nn.DepthwiseConvolution3x3Layer l && l.onOneDnn();
            return "depthwise 3x3 stride " + d.getStride()[0] + (onednn ? " (oneDNN op)" : " (Java kernel)");
        }
        if (conf instanceof org.ssdspark.nn.DirectConvolution c) {
            return "conv " + c.getKernelSize()[0] + "x" + c.getKernelSize()[1] + " stride " + c.getStride()[0] + " (oneDNN op)";
        }
        if (conf instanceof DepthwiseConvolution2D d) {
            return "depthwise 3x3 stride " + d.getStride()[0];
        }
        if (conf instanceof ConvolutionLayer c) {
            return "conv " + c.getKernelSize()[0] + "x" + c.getKernelSize()[1] + " stride " + c.getStride()[0];
        }
        if (conf instanceof BatchNormalization) {
            return "BatchNorm";
        }
        if (conf instanceof ActivationLayer a) {
            return "activation " + a.getActivationFn();
        }
        return conf.getClass().getSimpleName();
    }

    /** Milliseconds per step, forward and backward, by kind; largest total first. */
    String table() {
        Map<String, double[]> sorted = new LinkedHashMap<>();
        byKind.entrySet().stream()
                .sorted((a, b) -> Double.compare(b.getValue()[0] + b.getValue()[1], a.getValue()[0] + a.getValue()[1]))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        double total = sorted.values().stream().mapToDouble(t -> t[0] + t[1]).sum();
        StringBuilder sb = new StringBuilder(String.format("| %-28s | %9s | %9s | %9s | %6s |%n", "layer kind",
                "fwd ms", "bwd ms", "total ms", "share"));
        sb.append("|------------------------------|-----------|-----------|-----------|--------|\n");
        for (Map.Entry<String, double[]> e : sorted.entrySet()) {
            double f = e.getValue()[0] / steps;
            double b = e.getValue()[1] / steps;
            sb.append(String.format("| %-28s | %9.1f | %9.1f | %9.1f | %5.1f%% |%n", e.getKey(), f, b, f + b,
                    100 * (f + b) * steps / total));
        }
        sb.append(String.format("| %-28s | %9s | %9s | %9.1f | %6s |%n", "all (per step)", "", "", total / steps, ""));
        return sb.toString();
    }
}
