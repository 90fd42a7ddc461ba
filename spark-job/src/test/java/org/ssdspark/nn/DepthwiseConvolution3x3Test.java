package org.ssdspark.nn;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The 3x3 depthwise convolution on libnd4j's ops against DL4J's DepthwiseConvolution2D (outputs and every gradient, float, stride
 * 1 and 2, odd and even sizes, with and without bias) and a double-precision gradient check of its own.
 */
class DepthwiseConvolution3x3Test {

    private static final int C = 3;

    private static DepthwiseConvolution2D stock(int stride, boolean bias) {
        return new DepthwiseConvolution2D.Builder(3, 3).stride(stride, stride).padding(1, 1)
                .convolutionMode(ConvolutionMode.Truncate).depthMultiplier(1).nIn(C).nOut(C).hasBias(bias)
                .activation(Activation.IDENTITY).build();
    }

    /** conv 1x1 -> depthwise -> conv 1x1 -> loss, with ours or DL4J's (the first layer's gradient needs dx). */
    private static ComputationGraph graph(boolean ours, int stride, boolean bias, int h, int w, DataType type) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                                // no L2 in double: with L2 and a depthwise bias DL4J's gradient check fails DL4J's own layer as well
                .seed(11).dataType(type).updater(new Sgd(1.0)).miniBatch(true).l2(type == DataType.DOUBLE ? 0.0 : 1e-2)
                .weightInit(WeightInit.XAVIER)
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(h, w, C))
                .addLayer("pre", new ConvolutionLayer.Builder(1, 1).nIn(C).nOut(C).activation(Activation.IDENTITY).build(), "in")
                .addLayer("dw", ours ? DepthwiseConvolution3x3.of(stock(stride, bias)) : stock(stride, bias), "pre")
                .addLayer("pw", new ConvolutionLayer.Builder(1, 1).nIn(C).nOut(2).activation(Activation.IDENTITY).build(), "dw")
                .addLayer("out", new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .build(), "pw")
                .setOutputs("out");
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }

    private static final int[][] SHAPES = {{5, 6, 1}, {5, 6, 2}, {7, 4, 2}, {4, 4, 2}, {1, 3, 1}, {3, 1, 2}, {19, 19, 2},
            {20, 17, 1}};

    @Test
    void matchesDl4jDepthwiseInFloat() {
        for (int[] s : SHAPES) {
            for (boolean bias : new boolean[]{false, true}) {
                CustomLayerChecks.matchesStock(ours -> {
                    ComputationGraph g = graph(ours, s[2], bias, s[0], s[1], DataType.FLOAT);
                    if (bias) {
                        INDArray b = g.getLayer("dw").getParam("b");
                        b.assign(Nd4j.createFromArray(-1f, 0.5f, 1f).reshape(b.shape()));
                    }
                    return g;
                }, "dw", new long[]{2, C, s[0], s[1]}, 1e-6);
            }
        }
    }

    @Test
    void gradientCheckInDoublePrecision() {
        for (int[] s : SHAPES) {
            for (boolean bias : new boolean[]{false, true}) {
                CustomLayerChecks.gradientCheck(() -> graph(true, s[2], bias, s[0], s[1], DataType.DOUBLE),
                        new long[]{2, C, s[0], s[1]});
            }
        }
    }
}
