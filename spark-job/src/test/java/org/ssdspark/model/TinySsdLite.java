package org.ssdspark.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/** A small network of the same architecture for tests that train or gradient-check: width 0.25, 32x32, 3 classes. */
final class TinySsdLite {

    static final SsdLiteConfig CONFIG = new SsdLiteConfig(3, 0.25, 32, 6);

    private TinySsdLite() {
    }

    /**
     * With miniBatch(false) (the product setting) the updater applies the gradient of the summed loss while DL4J
     * reports the score divided by the batch size, so GradientCheckUtil's numerical gradient (of the score) is 1/B of
     * the analytic one. The check therefore runs the same graph with the updater's 1/B scaling switched back on.
     */
    static ComputationGraph buildForGradientCheck() {
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(42).dataType(DataType.DOUBLE).updater(new NoOp());
        ComputationGraphConfiguration conf = MobileNetV2SsdLite.configuration(CONFIG, new LossMSE(), base);
        conf.getDefaultConfiguration().setMiniBatch(true);
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    static ComputationGraph build(DataType dataType, IUpdater updater) {
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(42).dataType(dataType).updater(updater);
        return MobileNetV2SsdLite.build(CONFIG, new LossMSE(), base);
    }
}
