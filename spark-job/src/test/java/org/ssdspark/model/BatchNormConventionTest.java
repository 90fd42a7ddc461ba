package org.ssdspark.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
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

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * DL4J's running statistics under the settings the model uses (decay 0.9, miniBatch(false), running variance stored
 * directly): one training step moves them 10% of the way to the batch statistics, like PyTorch's momentum 0.1.
 * The running variance moves towards the unbiased batch variance (n / (n - 1) times the biased one), as PyTorch's
 * running_var does; DL4J's own BatchNormalization takes the biased one, which the stock layer set's corrects. Both
 * layer sets.
 */
class BatchNormConventionTest {

    @ParameterizedTest
    @EnumSource(LayerSet.class)
    void runningStatisticsMoveTenPercentTowardsTheBatch(LayerSet layers) {
        int channels = 2;
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).updater(new Sgd(0.0)).miniBatch(false)
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(3, 3, channels));
        new ReferenceLayers(g, layers).batchNorm("bn", "in", channels);
        g.addLayer("out", new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build(), "bn")
                .setOutputs("out");
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();

        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, channels, 3, 3).muli(3).addi(1);
        INDArray oldMean = graph.getLayer("bn").getParam("mean").dup();
        INDArray oldVar = graph.getLayer("bn").getParam("var").dup();
        graph.fit(new MultiDataSet(x, Nd4j.zeros(DataType.DOUBLE, 4, channels, 3, 3)));

        INDArray batchMean = x.mean(0, 2, 3);
        INDArray unbiasedVar = x.var(true, 0, 2, 3);
        INDArray newMean = graph.getLayer("bn").getParam("mean");
        INDArray newVar = graph.getLayer("bn").getParam("var");
        for (int c = 0; c < channels; c++) {
            assertEquals(0.9 * oldMean.getDouble(c) + 0.1 * batchMean.getDouble(c), newMean.getDouble(c), 1e-9, "mean");
            assertEquals(0.9 * oldVar.getDouble(c) + 0.1 * unbiasedVar.getDouble(c), newVar.getDouble(c), 1e-9, "var");
        }
    }
}
