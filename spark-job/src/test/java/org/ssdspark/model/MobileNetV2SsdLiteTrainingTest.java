package org.ssdspark.model;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Backprop through the whole architecture is right (gradient check) and it learns (loss falls on a fixed batch). */
class MobileNetV2SsdLiteTrainingTest {

    @Test
    void gradientCheckOnTinyNetwork() {
        assertTrue(DoublePrecision.run(MobileNetV2SsdLiteTrainingTest::checkTinyNetwork));
    }

    private static boolean checkTinyNetwork() {
        Nd4j.getRandom().setSeed(1);
        ComputationGraph graph = TinySsdLite.buildForGradientCheck();
        int width = MobileNetV2SsdLite.outputWidth(TinySsdLite.CONFIG);
        INDArray input = Nd4j.rand(DataType.DOUBLE, 2, 3, 32, 32).subi(0.5).muli(2);
        INDArray labels = Nd4j.rand(DataType.DOUBLE, 2, width);
        // DL4J M2.1 checks every parameter of a graph (subset/maxPerParam apply to MultiLayerNetwork only), and the
        // fixed-width extras keep even this network above 1M parameters: check a few small arrays whose gradients
        // need the whole backward chain (the stem BatchNorm), each layer kind, and both ends of the flattening.
        Set<String> checked = Set.of(
                "base_net.0.1_gamma", "base_net.0.1_beta",      // gradient through every layer and vertex
                "base_net.1.conv.0_W",                          // depthwise weights
                "base_net.1.conv.3_W",                          // pointwise weights
                "extras.3.conv.7_gamma",                        // a BatchNorm on a 1x1 map
                "classification_headers.0.3_b",                 // 2x2 head level, channels-last flattening
                "classification_headers.5_b", "regression_headers.5_b");
        // Step 1e-8, not DL4J's usual 1e-6: training-mode BatchNorm over 1x1 maps and a batch of 2 normalises two values,
        // which makes the score sharply curved; measured on base_net.1.conv.0_W[0]: analytic -1.1197058, central
        // differences -453.7 (h=1e-4), -0.8124 (h=1e-6), -1.1196816 (h=1e-8).
        Set<String> excluded = new HashSet<>(graph.paramTable().keySet());
        assertTrue(excluded.containsAll(checked), "parameter names changed");
        excluded.removeAll(checked);
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(graph)
                .inputs(new INDArray[]{input}).labels(new INDArray[]{labels})
                .excludeParams(excluded)
                .epsilon(1e-8).maxRelError(1e-3).minAbsoluteError(1e-6)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }

    @Test
    void lossFallsOnAFixedBatch() {
        Nd4j.getRandom().setSeed(2);
        ComputationGraph graph = TinySsdLite.build(DataType.FLOAT, new Adam(1e-3));
        int width = MobileNetV2SsdLite.outputWidth(TinySsdLite.CONFIG);
        MultiDataSet batch = new MultiDataSet(Nd4j.rand(DataType.FLOAT, 4, 3, 32, 32).subi(0.5),
                Nd4j.rand(DataType.FLOAT, 4, width).subi(0.5));
        double first = graph.score(batch, true);
        double last = first;
        for (int i = 0; i < 20; i++) {
            graph.fit(batch);
            last = graph.score(batch, true);
        }
        System.out.printf("tiny ssd-lite MSE on a fixed batch: %.5f -> %.5f after 20 iterations%n", first, last);
        assertTrue(last < 0.5 * first, "loss " + first + " -> " + last);
        assertArrayEquals(new long[]{4, width}, graph.outputSingle(false, batch.getFeatures(0)).shape());
    }
}
