package org.ssdspark.nn;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A vertex that hands its input on unchanged, forward and backward, without a copy. It keeps the name of an
 * activation that a fused layer now applies (the ReLU6 after {@link BatchNormRelu6}), so that the graph's vertex names
 * stay those of the reference's modules.
 */
public class PassThroughVertex extends SingleInputVertex {

    @Override
    public PassThroughVertex clone() {
        return new PassThroughVertex();
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType networkDatatype) {
        return new PassThroughVertexImpl(graph, name, idx, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) throws InvalidInputTypeException {
        if (vertexInputs.length != 1) {
            throw new InvalidInputTypeException("PassThroughVertex takes one input");
        }
        return vertexInputs[0];
    }
}
