package org.ssdspark.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ssdspark.nn.SingleInputVertexImpl;

/** Runtime side of {@link ChannelsLastFlattenVertex}. */
public class ChannelsLastFlattenVertexImpl extends SingleInputVertexImpl {

    public ChannelsLastFlattenVertexImpl(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
        super("ChannelsLastFlattenVertex", graph, name, vertexIndex, dataType);
    }

    @Override
    protected INDArray forward(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        if (input.rank() != 4) {
            throw new IllegalStateException(getVertexName() + " expects a rank 4 NCHW input, got " + input.shapeInfoToString());
        }
        long b = input.size(0);
        INDArray nhwc = workspaceMgr.dup(ArrayType.ACTIVATIONS, input.permute(0, 2, 3, 1), 'c');
        return nhwc.reshape('c', b, input.length() / b);
    }

    @Override
    protected INDArray backward(INDArray input, INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        INDArray nhwc = epsilon.reshape('c', input.size(0), input.size(2), input.size(3), input.size(1));
        return workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, nhwc.permute(0, 3, 1, 2), 'c');
    }
}
