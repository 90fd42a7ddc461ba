package org.ssdspark.nn;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stock set's BatchNorm(+ReLU6) against the CPU set's fused {@link BatchNormRelu6} in float64: the same outputs
 * (training and inference), the same gradients, the same running-statistics steps (both towards the unbiased batch
 * variance) and the same parameters after an SGD step with L2; and a gradient check of its own.
 */
class StockBatchNormRelu6Test {

    /** Relative to the largest magnitude of the compared quantity: float64 rounding of two summation orders. */
    private static final double TOLERANCE = 1e-12;

    private static BatchNormalization bnConfig(int channels) {
        return new BatchNormalization.Builder().nIn(channels).nOut(channels).eps(1e-5).decay(0.9).useLogStd(false).build();
    }

    /** conv 3x3 -> BN (+ReLU6) -> conv 1x1 -> loss, with the stock set's BatchNorm or the CPU set's. */
    private static ComputationGraph graph(boolean stock, boolean relu6, double lr) {
        int c = 4;
        BatchNormalization bn = stock ? StockBatchNormRelu6.of(bnConfig(c), relu6) : BatchNormRelu6.of(bnConfig(c), relu6);
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(7).dataType(DataType.DOUBLE).updater(new Sgd(lr))
                .miniBatch(true).l2(1e-2).l2Bias(1e-2)
                .weightInit(WeightInit.XAVIER)
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(5, 6, 3))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).padding(1, 1).convolutionMode(ConvolutionMode.Truncate)
                        .nIn(3).nOut(c).hasBias(false).activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn", bn, "conv")
                .addLayer("pw", new ConvolutionLayer.Builder(1, 1).nIn(c).nOut(2).activation(Activation.IDENTITY).build(), "bn")
                .addLayer("out", new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .build(), "pw")
                .setOutputs("out");
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        // gamma 2..4, beta 0.5..3: a good share of the outputs lands below 0 and above 6
        graph.getLayer("bn").getParam("gamma").assign(Nd4j.linspace(DataType.DOUBLE, 2, 4, 4).reshape(1, 4));
        graph.getLayer("bn").getParam("beta").assign(Nd4j.linspace(DataType.DOUBLE, 0.5, 3, 4).reshape(1, 4));
        return graph;
    }

    private static INDArray input() {
        Nd4j.getRandom().setSeed(3);
        return Nd4j.rand(DataType.DOUBLE, 3, 3, 5, 6).subi(0.4).muli(5);
    }

    private static double relativeDiff(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue() / Math.max(1e-3, b.amaxNumber().doubleValue());
    }

    @Test
    void matchesTheCpuSetsFusedLayer() {
        for (boolean relu6 : new boolean[]{true, false}) {
            ComputationGraph stock = graph(true, relu6, 0.1);
            ComputationGraph cpu = graph(false, relu6, 0.1);
            stock.params().assign(cpu.params());
            // running statistics away from their initial 0 and 1, so that inference mode uses something
            cpu.getLayer("bn").getParam("mean").assign(Nd4j.linspace(DataType.DOUBLE, -0.5, 0.5, 4).reshape(1, 4));
            cpu.getLayer("bn").getParam("var").assign(Nd4j.linspace(DataType.DOUBLE, 0.5, 2, 4).reshape(1, 4));
            stock.params().assign(cpu.params());
            INDArray x = input();
            INDArray y = Nd4j.rand(DataType.DOUBLE, 3, 2, 5, 6);

            for (boolean train : new boolean[]{true, false}) {
                INDArray a = stock.feedForward(new INDArray[]{x}, train, false).get("bn");
                INDArray b = cpu.feedForward(new INDArray[]{x}, train, false).get("bn");
                double d = relativeDiff(a, b);
                System.out.printf("relu6=%s train=%s: max relative output diff %.2e%n", relu6, train, d);
                assertTrue(d < TOLERANCE, "outputs differ by " + d);
            }
            if (relu6) {
                INDArray out = cpu.feedForward(new INDArray[]{x}, true, false).get("bn");
                assertTrue(out.eq(0.0).any() && out.eq(6.0).any(), "the input reaches both ReLU6 bounds");
            }

            stock.setInputs(x);
            stock.setLabels(y);
            stock.computeGradientAndScore();
            cpu.setInputs(x);
            cpu.setLabels(y);
            cpu.computeGradientAndScore();
            Map<String, INDArray> expected = cpu.gradient().gradientForVariable();
            assertEquals(expected.keySet(), stock.gradient().gradientForVariable().keySet());
            for (Map.Entry<String, INDArray> e : expected.entrySet()) {
                // bn_mean and bn_var are the running-statistics steps: the unbiased variance in both
                double d = relativeDiff(stock.gradient().gradientForVariable().get(e.getKey()), e.getValue());
                System.out.printf("relu6=%s gradient %s: max relative diff %.2e%n", relu6, e.getKey(), d);
                assertTrue(d < TOLERANCE, e.getKey() + " differs by " + d);
            }

            MultiDataSet batch = new MultiDataSet(x, y);
            stock.fit(batch);
            cpu.fit(batch);
            double d = relativeDiff(stock.params(), cpu.params());
            System.out.printf("relu6=%s: max parameter diff after one SGD step with L2 %.2e%n", relu6, d);
            assertTrue(d < TOLERANCE, "parameters after a step differ by " + d);
        }
    }

    @Test
    void gammaAndBetaTakeTheLayersL2AndUnsupportedSettingsAreRefused() {
        StockBatchNormRelu6 conf = (StockBatchNormRelu6) graph(true, true, 0.1).getLayer("bn").conf().getLayer();
        assertTrue(conf.isRelu6());
        assertTrue(conf.getRegularizationByParam("gamma").get(0) instanceof L2Regularization);
        assertTrue(conf.getRegularizationByParam("beta").get(0) instanceof L2Regularization);
        assertEquals(null, conf.getRegularizationByParam("var"));

        BatchNormalization locked = new BatchNormalization.Builder().nIn(2).nOut(2).lockGammaBeta(true).useLogStd(false).build();
        ComputationGraphConfiguration c = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(2, 2, 2))
                .addLayer("bn", StockBatchNormRelu6.of(locked, true), "in").setOutputs("bn").build();
        assertThrows(IllegalStateException.class, () -> new ComputationGraph(c).init());
    }

    @Test
    void gradientCheckInDoublePrecision() {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            for (boolean relu6 : new boolean[]{true, false}) {
                // GradientCheckUtil insists on SGD with lr 1 (it never steps)
                ComputationGraph graph = graph(true, relu6, 1.0);
                boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(graph)
                        .inputs(new INDArray[]{input()}).labels(new INDArray[]{Nd4j.rand(DataType.DOUBLE, 3, 2, 5, 6)})
                        .excludeParams(java.util.Set.of("bn_mean", "bn_var"))
                        .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                        .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
                assertTrue(ok, "gradient check failed, relu6=" + relu6);
            }
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }
}
