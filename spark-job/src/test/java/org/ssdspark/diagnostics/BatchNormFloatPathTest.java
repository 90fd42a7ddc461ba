package org.ssdspark.diagnostics;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BatchNorm in float32, the precision training runs in: ND4J hands float CNN BatchNorm to oneDNN, a path the
 * model's own convention test (double precision) never takes. Checks, with the model's settings (eps 1e-5,
 * decay 0.9, variance stored directly, miniBatch(false)), that one training step moves the running statistics 10%
 * towards the biased batch statistics, that training mode normalises with the batch statistics and that
 * inference mode normalises with the running ones: the network validation and evaluation run is the one
 * training shaped.
 */
class BatchNormFloatPathTest {

    private static final int CHANNELS = 4;
    private static final double EPS = 1e-5;

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void runningStatisticsAndBothModesFollowTheFormula(DataType type) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .dataType(type).updater(new Sgd(0.0)).miniBatch(false)
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(10, 10, CHANNELS));
        g.addLayer("bn", new BatchNormalization.Builder().nOut(CHANNELS).eps(EPS).decay(0.9).useLogStd(false)
                .build(), "in");
        g.addLayer("out", new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                .build(), "bn").setOutputs("out");
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        Nd4j.getRandom().setSeed(1);
        // Means far from the initial running mean 0, as conv outputs are after a few steps.
        INDArray x = Nd4j.rand(type, 8, CHANNELS, 10, 10).muli(3).addi(Nd4j.createFromArray(5.0, 20.0, 35.0, 50.0)
                .castTo(type).reshape(1, CHANNELS, 1, 1).broadcast(8, CHANNELS, 10, 10));
        INDArray oldMean = graph.getLayer("bn").getParam("mean").dup().reshape(CHANNELS);
        INDArray oldVar = graph.getLayer("bn").getParam("var").dup().reshape(CHANNELS);
        graph.fit(new MultiDataSet(x, Nd4j.zeros(type, 8, CHANNELS, 10, 10)));

        INDArray batchMean = x.mean(0, 2, 3);
        INDArray batchVar = x.var(false, 0, 2, 3);
        INDArray mean = graph.getLayer("bn").getParam("mean").reshape(CHANNELS);
        INDArray var = graph.getLayer("bn").getParam("var").reshape(CHANNELS);
        double tol = type == DataType.FLOAT ? 1e-4 : 1e-9;
        for (int c = 0; c < CHANNELS; c++) {
            double m = 0.9 * oldMean.getDouble(c) + 0.1 * batchMean.getDouble(c);
            double v = 0.9 * oldVar.getDouble(c) + 0.1 * batchVar.getDouble(c);
            assertEquals(m, mean.getDouble(c), tol * Math.abs(m), type + " running mean, channel " + c);
            assertEquals(v, var.getDouble(c), tol * Math.abs(v), type + " running variance, channel " + c);
        }
        double train = maxAbsDiff(graph.outputSingle(true, x.dup()), normalise(graph, x, batchMean, batchVar));
        double inference = maxAbsDiff(graph.outputSingle(false, x.dup()), normalise(graph, x, mean, var));
        System.out.printf("%s BatchNorm: max |train-mode - formula| %.3g, max |inference-mode - formula| %.3g%n",
                type, train, inference);
        double outTol = type == DataType.FLOAT ? 1e-4 : 1e-10;
        assertTrue(train <= outTol, type + " training mode: " + train);
        assertTrue(inference <= outTol, type + " inference mode: " + inference);
    }

    private static INDArray normalise(ComputationGraph graph, INDArray x, INDArray mean, INDArray var) {
        long[] s = x.shape();
        INDArray gamma = graph.getLayer("bn").getParam("gamma").reshape(1, CHANNELS, 1, 1).broadcast(s);
        INDArray beta = graph.getLayer("bn").getParam("beta").reshape(1, CHANNELS, 1, 1).broadcast(s);
        INDArray m = mean.reshape(1, CHANNELS, 1, 1).broadcast(s);
        INDArray sd = Transforms.sqrt(var.add(EPS)).reshape(1, CHANNELS, 1, 1).broadcast(s);
        return x.sub(m).div(sd).mul(gamma).add(beta);
    }

    private static double maxAbsDiff(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }
}
