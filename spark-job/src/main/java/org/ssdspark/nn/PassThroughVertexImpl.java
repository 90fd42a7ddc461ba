package org.ssdspark.nn;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime side of {@link PassThroughVertex}. */
public class PassThroughVertexImpl extends SingleInputVertexImpl {

    public PassThroughVertexImpl(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
        super("PassThroughVertex", graph, name, vertexIndex, dataType);
    }

    @Override
    protected INDArray forward(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        // In training all activations share one workspace and this returns the input itself; inference gives each
        // vertex its own, and then the input is copied into it.
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, input);
    }

    @Override
    protected INDArray backward(INDArray input, INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        return workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, epsilon);
    }
}
