package org.ssdspark.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ssdspark.nn.SingleInputVertex;

/**
 * Flattens an NCHW activation [B, C, H, W] to [B, H*W*C] in (y, x, channel) order: the reference's
 * {@code permute(0, 2, 3, 1).view(B, -1, k)}, so that head outputs come out prior-major. DL4J's
 * {@code CnnToFeedForwardPreProcessor} flattens channel-major and its {@code PermutePreprocessor} gets the
 * backward pass wrong, hence this vertex (its backward pass is the inverse permutation; gradient-checked).
 *
 * <p>It stays in {@code model} under this name, though it is a generic vertex, because checkpoints name it.
 */
public class ChannelsLastFlattenVertex extends SingleInputVertex {

    @Override
    public ChannelsLastFlattenVertex clone() {
        return new ChannelsLastFlattenVertex();
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType networkDatatype) {
        return new ChannelsLastFlattenVertexImpl(graph, name, idx, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) throws InvalidInputTypeException {
        if (vertexInputs.length != 1 || !(vertexInputs[0] instanceof InputType.InputTypeConvolutional conv)) {
            throw new InvalidInputTypeException("ChannelsLastFlattenVertex takes one convolutional input");
        }
        if (conv.getFormat() != CNN2DFormat.NCHW) {
            throw new InvalidInputTypeException("ChannelsLastFlattenVertex expects NCHW input, got " + conv.getFormat());
        }
        return InputType.feedForward(conv.getChannels() * conv.getHeight() * conv.getWidth());
    }
}
