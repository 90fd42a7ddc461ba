package org.ssdspark.nn;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime side of a {@link SingleInputVertex}: DL4J's bookkeeping (no layer, no parameters, masks passed on, the
 * checks that input and epsilon are set) around the two things a subclass does, {@link #forward} and
 * {@link #backward}.
 */
public abstract class SingleInputVertexImpl extends BaseGraphVertex {

    private final String kind;

    /** @param kind the configuration's name, for messages and {@code toString} */
    protected SingleInputVertexImpl(String kind, ComputationGraph graph, String name, int vertexIndex,
                                    DataType dataType) {
        super(graph, name, vertexIndex, null, null, dataType);
        this.kind = kind;
    }

    /** The activation for {@code input}, in the workspace {@code workspaceMgr} gives activations. */
    protected abstract INDArray forward(INDArray input, LayerWorkspaceMgr workspaceMgr);

    /** The gradient with respect to {@code input} given the gradient {@code epsilon} of the output. */
    protected abstract INDArray backward(INDArray input, INDArray epsilon, LayerWorkspaceMgr workspaceMgr);

    @Override
    public boolean hasLayer() {
        return false;
    }

    @Override
    public Layer getLayer() {
        return null;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoForward()) {
            throw new IllegalStateException("Cannot do forward pass in " + getVertexName() + ": input not set");
        }
        return forward(inputs[0], workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoBackward()) {
            throw new IllegalStateException("Cannot do backward pass in " + getVertexName() + ": epsilon not set");
        }
        return new Pair<>(null, new INDArray[]{backward(inputs[0], epsilon, workspaceMgr)});
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
        if (backpropGradientsViewArray != null) {
            throw new IllegalStateException(getVertexName() + " has no parameters");
        }
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                           int minibatchSize) {
        // Per-example masks pass through unchanged: one input, one row per example out.
        return new Pair<>(maskArrays == null || maskArrays.length == 0 ? null : maskArrays[0], currentMaskState);
    }

    @Override
    public String toString() {
        return kind + "(id=" + getVertexIndex() + ",name=\"" + getVertexName() + "\")";
    }
}
