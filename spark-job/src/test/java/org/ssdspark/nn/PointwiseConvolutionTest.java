package org.ssdspark.nn;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The matrix-product 1x1 convolution against DL4J's ConvolutionLayer: outputs and every gradient; gradient check. */
class PointwiseConvolutionTest {

    private static ConvolutionLayer conv1x1(int in, int out, boolean bias) {
        return new ConvolutionLayer.Builder(1, 1).stride(1, 1).padding(0, 0).convolutionMode(ConvolutionMode.Truncate)
                .nIn(in).nOut(out).hasBias(bias).activation(Activation.IDENTITY).build();
    }

    /** 3x3 conv (so the input gradient is exercised) -> 1x1 under test -> 1x1 under test -> loss. */
    private static ComputationGraph graph(boolean custom, DataType type, double lr) {
        return graph(custom, type, lr, 4, 5);
    }

    private static ComputationGraph graph(boolean custom, DataType type, double lr, int h, int w) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(11).dataType(type).updater(new Sgd(lr))
                // CnnLossLayer divides the score by the batch size; the gradient matches it only with miniBatch(true)
                .miniBatch(type == DataType.DOUBLE).weightInit(WeightInit.XAVIER)
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(h, w, 3))
                .addLayer("c3", new ConvolutionLayer.Builder(3, 3).padding(1, 1).convolutionMode(ConvolutionMode.Truncate)
                        .nIn(3).nOut(6).activation(Activation.IDENTITY).build(), "in")
                .addLayer("pw1", custom ? PointwiseConvolution.of(conv1x1(6, 5, false)) : conv1x1(6, 5, false), "c3")
                .addLayer("pw2", custom ? PointwiseConvolution.of(conv1x1(5, 2, true)) : conv1x1(5, 2, true), "pw1")
                .addLayer("out", new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .build(), "pw2")
                .setOutputs("out");
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }

    /** 4x5: one product over the batch; 48x50 (over BATCHED_MAX_PLANE pixels): one product per image. */
    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"4, 5", "48, 50"})
    void matchesDl4jConvolutionInFloat(int h, int w) {
        assertEquals(h * w > PointwiseConvolutionLayer.BATCHED_MAX_PLANE, h == 48);
        ComputationGraph custom = graph(true, DataType.FLOAT, 0.1, h, w);
        ComputationGraph stock = graph(false, DataType.FLOAT, 0.1, h, w);
        stock.params().assign(custom.params());
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 3, h, w).subi(0.5);
        INDArray y = Nd4j.rand(DataType.FLOAT, 3, 2, h, w);
        INDArray a = custom.outputSingle(false, x);
        INDArray b = stock.outputSingle(false, x);
        double d = a.sub(b).amaxNumber().doubleValue();
        System.out.printf("max |output diff| %.2e%n", d);
        assertTrue(d < 1e-5);
        custom.setInputs(x);
        custom.setLabels(y);
        custom.computeGradientAndScore();
        stock.setInputs(x);
        stock.setLabels(y);
        stock.computeGradientAndScore();
        for (Map.Entry<String, INDArray> e : stock.gradient().gradientForVariable().entrySet()) {
            INDArray other = custom.gradient().gradientForVariable().get(e.getKey());
            double scale = Math.max(1e-3, e.getValue().amaxNumber().doubleValue());
            double r = other.sub(e.getValue()).amaxNumber().doubleValue() / scale;
            System.out.printf("gradient %s: max relative diff %.2e%n", e.getKey(), r);
            assertTrue(r < 1e-5, e.getKey() + " differs by " + r);
        }
    }

    @Test
    void gradientCheckInDoublePrecision() {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            ComputationGraph graph = graph(true, DataType.DOUBLE, 1.0);
            Nd4j.getRandom().setSeed(6);
            INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 4, 5).subi(0.5);
            INDArray y = Nd4j.rand(DataType.DOUBLE, 2, 2, 4, 5);
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(graph)
                    .inputs(new INDArray[]{x}).labels(new INDArray[]{y})
                    .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)));
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }
}
