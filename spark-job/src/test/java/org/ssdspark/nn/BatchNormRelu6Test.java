package org.ssdspark.nn;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused BatchNorm(+ReLU6) layer against DL4J's BatchNormalization followed by a ReLU6 ActivationLayer: the same
 * outputs, the same gradients for every parameter, the same running statistics after a step, in training and
 * inference mode; and a double-precision gradient check of its own.
 */
class BatchNormRelu6Test {

    private static BatchNormalization stockBn(int channels) {
        return new BatchNormalization.Builder().nIn(channels).nOut(channels).eps(1e-5).decay(0.9).useLogStd(false).build();
    }

    /** conv 3x3 -> BN (+ReLU6) -> conv 1x1 -> loss, with the fused layer or DL4J's pair. */
    private static ComputationGraph graph(boolean fused, boolean relu6, DataType type) {
        // GradientCheckUtil insists on SGD with lr 1 (it never steps)
        return graph(fused, relu6, type, type == DataType.DOUBLE ? 1.0 : 0.1);
    }

    private static ComputationGraph graph(boolean fused, boolean relu6, DataType type, double lr) {
        int c = 4;
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(7).dataType(type).updater(new Sgd(lr))
                // CnnLossLayer divides the score by the batch size; the gradient matches it only with miniBatch(true)
                .miniBatch(type == DataType.DOUBLE).l2(1e-2).l2Bias(1e-2)
                .weightInit(WeightInit.XAVIER)
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(5, 6, 3))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).padding(1, 1).convolutionMode(ConvolutionMode.Truncate)
                        .nIn(3).nOut(c).hasBias(false).activation(Activation.IDENTITY).build(), "in");
        String last;
        if (fused) {
            g.addLayer("bn", BatchNormRelu6.of(stockBn(c), relu6), "conv");
            last = "bn";
        } else {
            g.addLayer("bn", WeightDecayedBatchNormalization.of(stockBn(c)), "conv");
            last = "bn";
            if (relu6) {
                g.addLayer("relu", new ActivationLayer.Builder().activation(Activation.RELU6).build(), "bn");
                last = "relu";
            }
        }
        g.addLayer("pw", new ConvolutionLayer.Builder(1, 1).nIn(c).nOut(2).activation(Activation.IDENTITY).build(), last)
                .addLayer("out", new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .build(), "pw")
                .setOutputs("out");
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }

    private static INDArray input(DataType type) {
        Nd4j.getRandom().setSeed(3);
        // scaled so that a good share of the BN outputs land below 0 and above 6 (gamma is set to 4 below)
        return Nd4j.rand(type, 3, 3, 5, 6).subi(0.4).muli(5);
    }

    @Test
    void matchesDl4jBatchNormAndRelu6InFloat() {
        for (boolean relu6 : new boolean[]{true, false}) {
            ComputationGraph fused = graph(true, relu6, DataType.FLOAT);
            ComputationGraph stock = graph(false, relu6, DataType.FLOAT);
            stock.params().assign(fused.params());
            fused.getLayer("bn").getParam("gamma").assign(Nd4j.linspace(DataType.FLOAT, 2, 4, 4).reshape(1, 4));
            stock.getLayer("bn").getParam("gamma").assign(fused.getLayer("bn").getParam("gamma"));
            INDArray x = input(DataType.FLOAT);
            INDArray y = Nd4j.rand(DataType.FLOAT, 3, 2, 5, 6);

            for (boolean train : new boolean[]{true, false}) {
                INDArray a = fused.feedForward(new INDArray[]{x}, train, false).get("bn");
                Map<String, INDArray> s = stock.feedForward(new INDArray[]{x}, train, false);
                INDArray b = s.get(relu6 ? "relu" : "bn");
                double d = a.sub(b).amaxNumber().doubleValue();
                System.out.printf("relu6=%s train=%s: max |output diff| %.2e%n", relu6, train, d);
                assertTrue(d < 1e-5, "outputs differ by " + d);
            }

            MultiDataSet batch = new MultiDataSet(x, y);
            fused.setInputs(x);
            fused.setLabels(y);
            fused.computeGradientAndScore();
            stock.setInputs(x);
            stock.setLabels(y);
            stock.computeGradientAndScore();
            for (Map.Entry<String, INDArray> e : stock.gradient().gradientForVariable().entrySet()) {
                INDArray other = fused.gradient().gradientForVariable().get(e.getKey());
                if (e.getKey().equals("bn_var")) {
                    // DL4J moves the running variance towards the biased batch variance, we (as PyTorch) towards the
                    // unbiased one: ours = DL4J's - (1 - decay) * biased / (n - 1), n = 3 images x 5 x 6 pixels
                    INDArray bnInput = stock.feedForward(new INDArray[]{x}, true, false).get("conv");
                    INDArray biased = bnInput.castTo(DataType.DOUBLE).var(false, 0, 2, 3).castTo(DataType.FLOAT);
                    INDArray expected = e.getValue().sub(biased.reshape(e.getValue().shape()).mul(0.1 / (3 * 5 * 6 - 1)));
                    double d = other.sub(expected).amaxNumber().doubleValue();
                    System.out.printf("relu6=%s running variance step (unbiased): max diff %.2e%n", relu6, d);
                    assertTrue(d < 1e-5, "running variance step differs by " + d);
                    continue;
                }
                double scale = Math.max(1e-3, e.getValue().amaxNumber().doubleValue());
                double d = other.sub(e.getValue()).amaxNumber().doubleValue() / scale;
                System.out.printf("relu6=%s gradient %s: max relative diff %.2e%n", relu6, e.getKey(), d);
                assertTrue(d < 1e-4, e.getKey() + " differs by " + d);
            }

            fused.fit(batch);
            stock.fit(batch);
            // the running variances differ by design (checked above): compare the rest
            fused.getLayer("bn").getParam("var").assign(stock.getLayer("bn").getParam("var"));
            double d = fused.params().sub(stock.params()).amaxNumber().doubleValue()
                    / stock.params().amaxNumber().doubleValue();
            System.out.printf("relu6=%s: max parameter diff after one SGD step with L2, relative to the largest %.2e%n",
                    relu6, d);
            assertTrue(d < 1e-6, "parameters after a step differ by " + d);
        }
    }

    @Test
    void gammaAndBetaTakeTheLayersL2() {
        BatchNormRelu6 bn = BatchNormRelu6.of(stockBn(4), true);
        ComputationGraph graph = graph(true, true, DataType.FLOAT);
        BatchNormRelu6 conf = (BatchNormRelu6) graph.getLayer("bn").conf().getLayer();
        assertTrue(conf.getRegularizationByParam("gamma").get(0) instanceof L2Regularization);
        assertTrue(conf.getRegularizationByParam("beta").get(0) instanceof L2Regularization);
        assertEquals(null, conf.getRegularizationByParam("mean"));
        assertTrue(bn.isRelu6());
    }

    @Test
    void gradientCheckInDoublePrecision() {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            for (boolean relu6 : new boolean[]{true, false}) {
                ComputationGraph graph = graph(true, relu6, DataType.DOUBLE);
                graph.getLayer("bn").getParam("gamma").assign(Nd4j.linspace(DataType.DOUBLE, 2, 4, 4).reshape(1, 4));
                graph.getLayer("bn").getParam("beta").assign(Nd4j.linspace(DataType.DOUBLE, 0.5, 3, 4).reshape(1, 4));
                INDArray x = input(DataType.DOUBLE);
                INDArray y = Nd4j.rand(DataType.DOUBLE, 3, 2, 5, 6);
                boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(graph)
                        .inputs(new INDArray[]{x}).labels(new INDArray[]{y})
                        .excludeParams(java.util.Set.of("bn_mean", "bn_var"))
                        .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                        .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
                if (!ok) {
                    printWorstParameter(graph, x, y);
                }
                assertTrue(ok, "gradient check failed, relu6=" + relu6);
            }
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }

    /** GradientCheckUtil logs through slf4j, which prints nothing here: the worst central difference, for the report. */
    private static void printWorstParameter(ComputationGraph graph, INDArray x, INDArray y) {
        graph.setInputs(x);
        graph.setLabels(y);
        graph.computeGradientAndScore();
        INDArray analytic = graph.getFlattenedGradients().dup();
        INDArray params = graph.params();
        double worst = 0;
        for (long i = 0; i < params.length(); i++) {
            double p = params.getDouble(i);
            params.putScalar(i, p + 1e-6);
            double plus = graph.score(new MultiDataSet(x, y), true);
            params.putScalar(i, p - 1e-6);
            double minus = graph.score(new MultiDataSet(x, y), true);
            params.putScalar(i, p);
            double numeric = (plus - minus) / 2e-6;
            double a = analytic.getDouble(i);
            double rel = Math.abs(a - numeric) / Math.max(1e-12, Math.abs(a) + Math.abs(numeric));
            if (rel > worst && Math.abs(a - numeric) > 1e-9) {
                worst = rel;
                System.out.printf("param %d: analytic %.10e numeric %.10e rel %.3e%n", i, a, numeric, rel);
            }
        }
    }
}
