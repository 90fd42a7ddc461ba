package org.ssdspark.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/** A small network of the same architecture for tests that train or gradient-check: width 0.25, 32x32, 3 classes. */
final class TinySsdLite {

    static final SsdLiteConfig CONFIG = new SsdLiteConfig(3, 0.25, 32, 6);

    private TinySsdLite() {
    }

    static ComputationGraph build(DataType dataType, IUpdater updater) {
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(42).dataType(dataType).updater(updater);
        return MobileNetV2SsdLite.build(CONFIG, new LossMSE(), base);
    }
}
