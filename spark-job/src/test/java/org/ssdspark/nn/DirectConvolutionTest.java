package org.ssdspark.nn;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The convolution on libnd4j's conv2d op against DL4J's ConvolutionLayer (outputs and every gradient in float) and a
 * double-precision gradient check, for the stem's shape (3x3 stride 2, odd and even sizes) and 1x1 and 3x3 stride 1.
 */
class DirectConvolutionTest {

    /** kernel, stride, height, width, bias (1 = with). */
    private static final int[][] CASES = {{3, 2, 7, 6, 0}, {3, 2, 6, 5, 1}, {3, 1, 5, 4, 1}, {1, 1, 4, 3, 0}};
    private static final int IN = 3;

    private static ConvolutionLayer stock(int kernel, int stride, boolean bias) {
        int pad = (kernel - 1) / 2;
        return new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).padding(pad, pad)
                .convolutionMode(ConvolutionMode.Truncate).nIn(IN).nOut(4).hasBias(bias)
                .activation(Activation.IDENTITY).build();
    }

    /** conv under test -> 1x1 conv -> loss; the input gradient is checked through the graph's own input. */
    private static ComputationGraph graph(boolean ours, int[] c, DataType type) {
        ConvolutionLayer layer = stock(c[0], c[1], c[4] == 1);
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .seed(12).dataType(type).updater(new Sgd(1.0)).miniBatch(true).weightInit(WeightInit.XAVIER)
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(c[2], c[3], IN))
                .addLayer("pre", new ConvolutionLayer.Builder(1, 1).nIn(IN).nOut(IN).activation(Activation.IDENTITY).build(), "in")
                .addLayer("conv", ours ? DirectConvolution.of(layer) : layer, "pre")
                .addLayer("post", new ConvolutionLayer.Builder(1, 1).nIn(4).nOut(2).activation(Activation.IDENTITY).build(), "conv")
                .addLayer("out", new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build(), "post")
                .setOutputs("out").build());
        graph.init();
        return graph;
    }

    @Test
    void matchesDl4jConvolutionInFloat() {
        for (int[] c : CASES) {
            CustomLayerChecks.matchesStock(ours -> graph(ours, c, DataType.FLOAT), "conv", new long[]{2, IN, c[2], c[3]}, 1e-5);
        }
    }

    @Test
    void gradientCheckInDoublePrecision() {
        for (int[] c : CASES) {
            CustomLayerChecks.gradientCheck(() -> graph(true, c, DataType.DOUBLE), new long[]{2, IN, c[2], c[3]});
        }
    }

    @Test
    void refusesSameModeAndUnequalStrides() {
        assertThrows(IllegalArgumentException.class, () -> DirectConvolution.of(new ConvolutionLayer.Builder(3, 3)
                .convolutionMode(ConvolutionMode.Same).nIn(1).nOut(1).build()));
        assertThrows(IllegalArgumentException.class, () -> DirectConvolution.of(new ConvolutionLayer.Builder(3, 3)
                .stride(1, 2).convolutionMode(ConvolutionMode.Truncate).nIn(1).nOut(1).build()));
    }
}
