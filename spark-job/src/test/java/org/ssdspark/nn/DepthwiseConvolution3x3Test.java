package org.ssdspark.nn;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
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

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The 3x3 depthwise convolution with the Java backward against DL4J's DepthwiseConvolution2D (outputs and every gradient, float, stride
 * 1 and 2, odd and even sizes, with and without bias) and a double-precision gradient check of its own.
 */
class DepthwiseConvolution3x3Test {

    private static final int C = 3;

    private static DepthwiseConvolution2D stock(int stride, boolean bias) {
        return new DepthwiseConvolution2D.Builder(3, 3).stride(stride, stride).padding(1, 1)
                .convolutionMode(ConvolutionMode.Truncate).depthMultiplier(1).nIn(C).nOut(C).hasBias(bias)
                .activation(Activation.IDENTITY).build();
    }

    /** conv 1x1 -> depthwise -> conv 1x1 -> loss, with the Java layer or DL4J's (the first layer's gradient needs dx). */
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

    private static final int[][] SHAPES = {{5, 6, 1}, {5, 6, 2}, {7, 4, 2}, {4, 4, 2}, {1, 3, 1}, {3, 1, 2}};

    @Test
    void matchesDl4jDepthwiseInFloat() {
        for (int[] s : SHAPES) {
            for (boolean bias : new boolean[]{false, true}) {
                int h = s[0];
                int w = s[1];
                int stride = s[2];
                ComputationGraph ours = graph(true, stride, bias, h, w, DataType.FLOAT);
                ComputationGraph stock = graph(false, stride, bias, h, w, DataType.FLOAT);
                if (bias) {
                    ours.getLayer("dw").getParam("b").assign(Nd4j.createFromArray(-1f, 0.5f, 1f).reshape(ours.getLayer("dw").getParam("b").shape()));
                }
                stock.params().assign(ours.params());
                Nd4j.getRandom().setSeed(2);
                INDArray x = Nd4j.rand(DataType.FLOAT, 2, C, h, w).subi(0.5);
                INDArray a = ours.feedForward(new INDArray[]{x}, true, false).get("dw");
                INDArray b = stock.feedForward(new INDArray[]{x}, true, false).get("dw");
                assertArrayEquals(b.shape(), a.shape());
                double d = a.sub(b).amaxNumber().doubleValue();
                assertTrue(d < 1e-6, "outputs differ by " + d);

                INDArray y = Nd4j.rand(DataType.FLOAT, b.size(0), 2, b.size(2), b.size(3));
                ours.setInputs(x);
                ours.setLabels(y);
                ours.computeGradientAndScore();
                stock.setInputs(x);
                stock.setLabels(y);
                stock.computeGradientAndScore();
                double worst = 0;
                for (Map.Entry<String, INDArray> e : stock.gradient().gradientForVariable().entrySet()) {
                    INDArray other = ours.gradient().gradientForVariable().get(e.getKey());
                    double scale = Math.max(1e-3, e.getValue().amaxNumber().doubleValue());
                    worst = Math.max(worst, other.sub(e.getValue()).amaxNumber().doubleValue() / scale);
                }
                System.out.printf("%dx%d stride %d bias %s: max |output diff| %.2e, max relative gradient diff %.2e%n",
                        h, w, stride, bias, d, worst);
                assertTrue(worst < 1e-5, "gradients differ by " + worst);
            }
        }
    }

    @Test
    void gradientCheckInDoublePrecision() {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            for (int[] s : SHAPES) {
                for (boolean bias : new boolean[]{false, true}) {
                    ComputationGraph graph = graph(true, s[2], bias, s[0], s[1], DataType.DOUBLE);
                    Nd4j.getRandom().setSeed(4);
                    INDArray x = Nd4j.rand(DataType.DOUBLE, 2, C, s[0], s[1]).subi(0.5);
                    long[] out = graph.outputSingle(x).shape();
                    INDArray y = Nd4j.rand(DataType.DOUBLE, out[0], out[1], out[2], out[3]);
                    boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(graph)
                            .inputs(new INDArray[]{x}).labels(new INDArray[]{y})
                            .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                            .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
                    assertTrue(ok, "gradient check failed for " + java.util.Arrays.toString(s) + " bias " + bias);
                }
            }
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }
}
