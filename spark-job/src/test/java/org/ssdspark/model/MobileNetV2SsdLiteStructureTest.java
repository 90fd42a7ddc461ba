package org.ssdspark.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The full-size reference network: parameter counts, BatchNorm count, head input shapes and output layout. */
class MobileNetV2SsdLiteStructureTest {

    private static final SsdLiteConfig VOC = SsdLiteConfig.of(21);
    private static ComputationGraph graph;

    @BeforeAll
    static void buildOnce() {
        graph = MobileNetV2SsdLite.build(VOC, new LossMSE());
    }

    @Test
    void parameterCountsMatchTheReference() {
        long runningStats = 0;
        int batchNorms = 0;
        for (Layer layer : graph.getLayers()) {
            if (layer instanceof BatchNormalization) {
                batchNorms++;
                runningStats += layer.getParam("mean").length() + layer.getParam("var").length();
            }
        }
        assertEquals(74, batchNorms);
        assertEquals(3_438_340L, graph.numParams());
        assertEquals(3_388_228L, graph.numParams() - runningStats);
    }

    @Test
    void featureMapsFollowPyTorchPaddingArithmetic() {
        assertArrayEquals(new int[]{19, 10, 5, 3, 2, 1}, FeatureMapSizes.of(300));
        assertEquals(3000, FeatureMapSizes.numPriors(VOC));
        assertEquals(3000 * 21 + 3000 * 4, MobileNetV2SsdLite.outputWidth(VOC));
    }

    @Test
    void headInputsAndOutputHaveTheReferenceShapes() {
        Map<String, INDArray> acts = graph.feedForward(Nd4j.rand(1, 3, 300, 300).subi(0.5), false);
        assertArrayEquals(new long[]{1, 32, 150, 150}, acts.get("base_net.0.2").shape());
        assertArrayEquals(new long[]{1, 576, 19, 19}, acts.get("base_net.14.conv.2").shape());
        assertArrayEquals(new long[]{1, 160, 10, 10}, acts.get("base_net.14.conv.7").shape());
        assertArrayEquals(new long[]{1, 1280, 10, 10}, acts.get("base_net.18.2").shape());
        assertArrayEquals(new long[]{1, 512, 5, 5}, acts.get("extras.0.conv.7").shape());
        assertArrayEquals(new long[]{1, 256, 3, 3}, acts.get("extras.1.conv.7").shape());
        assertArrayEquals(new long[]{1, 256, 2, 2}, acts.get("extras.2.conv.7").shape());
        assertArrayEquals(new long[]{1, 64, 1, 1}, acts.get("extras.3.conv.7").shape());
        assertArrayEquals(new long[]{1, 6 * 21, 19, 19}, acts.get("classification_headers.0.3").shape());
        assertArrayEquals(new long[]{1, 6 * 4, 1, 1}, acts.get("regression_headers.5").shape());
        assertArrayEquals(new long[]{1, 75_000}, acts.get(MobileNetV2SsdLite.OUTPUT).shape());
    }

    @Test
    void configurationSurvivesJson() {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
    }

    @Test
    void widthsTheReferenceCannotBuildAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> MobileNetV2Plan.of(0.3));
        assertThrows(IllegalArgumentException.class, () -> MobileNetV2Plan.of(1.4));
        assertEquals(144, MobileNetV2Plan.of(0.25).firstSourceChannels());
    }
}
