package org.ssdspark.model;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The vertex reproduces PyTorch's permute(0, 2, 3, 1).reshape(B, -1) and its backward pass is the inverse. */
class ChannelsLastFlattenVertexTest {

    private static final int C = 3;
    private static final int H = 2;
    private static final int W = 4;

    @Test
    void flattensInYxChannelOrder() {
        ComputationGraph graph = graph(false);
        INDArray in = Nd4j.rand(DataType.DOUBLE, 2, C, H, W);
        INDArray out = graph.outputSingle(in);
        assertArrayEquals(new long[]{2, (long) C * H * W}, out.shape());
        for (int b = 0; b < 2; b++) {
            for (int c = 0; c < C; c++) {
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        assertEquals(in.getDouble(b, c, y, x), out.getDouble(b, (y * W + x) * C + c), 0.0);
                    }
                }
            }
        }
    }

    @Test
    void gradientCheckThroughTheVertex() {
        assertTrue(DoublePrecision.run(() -> {
            ComputationGraph graph = graph(true);
            INDArray in = Nd4j.rand(DataType.DOUBLE, 2, 2, H, W);
            INDArray labels = Nd4j.rand(DataType.DOUBLE, 2, C * H * W);
            return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(graph)
                    .inputs(new INDArray[]{in}).labels(new INDArray[]{labels})
                    .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-10));
        }));
    }

    /** miniBatch(true) so that GradientCheckUtil compares like with like (see TinySsdLite). Input, optionally a 1x1 convolution 2 -> C (so there is a parameter upstream of the vertex), the vertex, MSE. */
    private static ComputationGraph graph(boolean withConv) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).seed(7).updater(new NoOp()).miniBatch(true)
                .graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(H, W, withConv ? 2 : C));
        String previous = "in";
        if (withConv) {
            g.addLayer("conv", new ConvolutionLayer.Builder(1, 1).nIn(2).nOut(C).convolutionMode(ConvolutionMode.Truncate)
                    .activation(Activation.IDENTITY).weightInit(new NormalDistribution(0, 1)).build(), "in");
            previous = "conv";
        }
        g.addVertex("flat", new ChannelsLastFlattenVertex(), previous)
                .addLayer("out", new LossLayer.Builder(new LossMSE()).activation(Activation.IDENTITY).build(), "flat")
                .setOutputs("out");
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }
}
