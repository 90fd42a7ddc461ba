package org.ssdspark.train.optim;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small graphs and data for the optimiser tests; {@code miniBatch(false)} as the SSD trainer uses it. */
final class TinyGraphs {

    static final int N_IN = 5;
    static final int N_HIDDEN = 4;
    static final int N_OUT = 3;

    private TinyGraphs() {
    }

    static NeuralNetConfiguration.Builder base(DataType dataType, IUpdater updater, double weightDecay) {
        return new NeuralNetConfiguration.Builder()
                .seed(7)
                .dataType(dataType)
                .miniBatch(false)
                .weightInit(WeightInit.XAVIER)
                .updater(updater)
                .l2(weightDecay)
                .l2Bias(weightDecay);
    }

    /** in -> dense (tanh) -> output (identity, MSE): no BatchNormalization. */
    static ComputationGraph denseOutput(NeuralNetConfiguration.Builder base) {
        ComputationGraphConfiguration conf = base.graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.feedForward(N_IN))
                .addLayer("dense", new DenseLayer.Builder().nOut(N_HIDDEN).activation(Activation.TANH)
                        .biasInit(0.1).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(N_OUT)
                        .activation(Activation.IDENTITY).biasInit(-0.2).build(), "dense")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /**
     * in -> [bnIn] -> dense (identity) -> bn -> output (softmax, MCXENT). With {@code bnFirst} a BatchNormalization
     * also sits on the raw input, where its running statistics depend on the data only.
     */
    static ComputationGraphConfiguration withBatchNorm(NeuralNetConfiguration.Builder base, boolean bnFirst) {
        ComputationGraphConfiguration.GraphBuilder g = base.graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.feedForward(N_IN));
        String denseInput = "in";
        if (bnFirst) {
            g.addLayer("bnIn", new BatchNormalization.Builder().build(), "in");
            denseInput = "bnIn";
        }
        return g.addLayer("dense", new DenseLayer.Builder().nOut(N_HIDDEN).activation(Activation.IDENTITY)
                        .build(), denseInput)
                .addLayer("bn", new BatchNormalization.Builder().build(), "dense")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(N_OUT)
                        .activation(Activation.SOFTMAX).build(), "bn")
                .setOutputs("out")
                .build();
    }

    static ComputationGraph init(ComputationGraphConfiguration conf) {
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** A seeded batch; {@code oneHot} labels for softmax, real-valued ones otherwise. */
    static DataSet batch(long seed, int size, DataType dataType, boolean oneHot) {
        Nd4j.getRandom().setSeed(seed);
        INDArray features = Nd4j.rand(dataType, size, N_IN).muli(4).subi(1.5);
        INDArray labels;
        if (oneHot) {
            labels = Nd4j.zeros(dataType, size, N_OUT);
            for (int i = 0; i < size; i++) {
                labels.putScalar(i, (i * 7 + seed) % N_OUT, 1.0);
            }
        } else {
            labels = Nd4j.rand(dataType, size, N_OUT).subi(0.5);
        }
        return new DataSet(features, labels);
    }
}
