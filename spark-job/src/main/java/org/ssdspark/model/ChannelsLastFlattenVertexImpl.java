package org.ssdspark.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime side of {@link ChannelsLastFlattenVertex}. */
public class ChannelsLastFlattenVertexImpl extends BaseGraphVertex {

    public ChannelsLastFlattenVertexImpl(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
        super(graph, name, vertexIndex, null, null, dataType);
    }

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
        INDArray in = inputs[0];
        if (in.rank() != 4) {
            throw new IllegalStateException(getVertexName() + " expects a rank 4 NCHW input, got " + in.shapeInfoToString());
        }
        long b = in.size(0);
        INDArray nhwc = workspaceMgr.dup(ArrayType.ACTIVATIONS, in.permute(0, 2, 3, 1), 'c');
        return nhwc.reshape('c', b, in.length() / b);
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoBackward()) {
            throw new IllegalStateException("Cannot do backward pass in " + getVertexName() + ": epsilon not set");
        }
        INDArray in = inputs[0];
        INDArray nhwc = epsilon.reshape('c', in.size(0), in.size(2), in.size(3), in.size(1));
        INDArray nchw = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, nhwc.permute(0, 3, 1, 2), 'c');
        return new Pair<>(null, new INDArray[]{nchw});
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
        // Per-example masks pass through unchanged: flattening keeps one row per example.
        return new Pair<>(maskArrays == null || maskArrays.length == 0 ? null : maskArrays[0], currentMaskState);
    }

    @Override
    public String toString() {
        return "ChannelsLastFlattenVertex(id=" + getVertexIndex() + ",name=\"" + getVertexName() + "\")";
    }
}
