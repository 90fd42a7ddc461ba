package org.ssdspark.nn;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.ssdspark.model.MobileNetV2SsdLite;
import org.ssdspark.model.SsdLiteConfig;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Folding on a small mb2-ssd-lite (width 0.25, 64 px) whose BatchNorm layers have non-trivial gamma, beta and running
 * statistics: the folded copy computes the same outputs, has no BatchNorm layer left, keeps every vertex name,
 * survives serialisation and refuses to train.
 */
class BatchNormFoldingTest {

    private static ComputationGraph trainedLooking() {
        ComputationGraph graph = MobileNetV2SsdLite.build(new SsdLiteConfig(4, 0.25, 64, 6), new LossMSE(),
                MobileNetV2SsdLite.defaultBase().updater(new Sgd(0.1)).dataType(DataType.FLOAT).seed(3));
        Nd4j.getRandom().setSeed(9);
        for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
            if (layer.conf().getLayer() instanceof BatchNormRelu6) {
                long c = layer.getParam("gamma").length();
                layer.getParam("gamma").assign(Nd4j.rand(DataType.FLOAT, c).addi(0.5).reshape(layer.getParam("gamma").shape()));
                layer.getParam("beta").assign(Nd4j.rand(DataType.FLOAT, c).subi(0.5).reshape(layer.getParam("beta").shape()));
                layer.getParam("mean").assign(Nd4j.rand(DataType.FLOAT, c).subi(0.5).muli(0.2).reshape(layer.getParam("mean").shape()));
                layer.getParam("var").assign(Nd4j.rand(DataType.FLOAT, c).addi(0.5).reshape(layer.getParam("var").shape()));
            }
        }
        return graph;
    }

    @Test
    void foldedGraphComputesTheSameOutputs() {
        ComputationGraph graph = trainedLooking();
        ComputationGraph folded = BatchNormFolding.fold(graph);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 3, 64, 64).muli(2).subi(1);
        INDArray expected = graph.outputSingle(false, x);
        INDArray actual = folded.outputSingle(false, x);
        double scale = expected.amaxNumber().doubleValue();
        double diff = actual.sub(expected).amaxNumber().doubleValue();
        System.out.printf("folded vs unfolded: max |diff| %.2e of max |output| %.2e%n", diff, scale);
        assertTrue(diff < 1e-5 * scale, "outputs differ by " + diff);
        // the trained graph is unchanged and still has its BatchNorm layers
        assertTrue(Arrays.stream(graph.getLayers()).anyMatch(l -> l.conf().getLayer() instanceof BatchNormRelu6));
    }

    @Test
    void everyBatchNormIsFoldedAndOnlyBatchNormsAndPassThroughsLeave() {
        ComputationGraph graph = trainedLooking();
        ComputationGraph folded = BatchNormFolding.fold(graph);
        long batchNorms = Arrays.stream(graph.getLayers()).filter(l -> l.conf().getLayer() instanceof BatchNormRelu6).count();
        assertTrue(batchNorms > 40, "expected mb2-ssd-lite's BatchNorm layers, found " + batchNorms);
        assertEquals(0, Arrays.stream(folded.getLayers()).filter(l -> l.conf().getLayer() instanceof BatchNormRelu6).count());
        // every other vertex keeps its name; the BatchNorms and the ReLU6 pass-throughs are wired around (a
        // pass-through copies its activation at inference)
        java.util.Set<String> kept = new java.util.LinkedHashSet<>();
        graph.getConfiguration().getVertices().forEach((name, v) -> {
            boolean batchNorm = v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv
                    && lv.getLayerConf().getLayer() instanceof BatchNormRelu6;
            if (!batchNorm && !(v instanceof PassThroughVertex)) {
                kept.add(name);
            }
        });
        assertEquals(kept, folded.getConfiguration().getVertices().keySet());
        assertTrue(folded.getConfiguration().getVertices().size() < graph.getConfiguration().getVertices().size() - 80);
        assertEquals(graph.numParams() - 4 * sumChannels(graph) + biasesAdded(graph), folded.numParams());
    }

    @Test
    void foldedGraphSurvivesSerialisation() throws IOException {
        ComputationGraph folded = BatchNormFolding.fold(trainedLooking());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(folded, bytes, false);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()), false);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 3, 64, 64);
        assertEquals(0.0, restored.outputSingle(false, x).sub(folded.outputSingle(false, x)).amaxNumber().doubleValue(), 0.0);
    }

    @Test
    void foldedGraphRefusesToTrain() {
        ComputationGraph folded = BatchNormFolding.fold(trainedLooking());
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64);
        INDArray y = Nd4j.rand(DataType.FLOAT, folded.outputSingle(false, x).shape());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> folded.fit(new INDArray[]{x}, new INDArray[]{y}));
        assertTrue(e.getMessage().contains("folded"), e.getMessage());
    }

    private static long sumChannels(ComputationGraph g) {
        return Arrays.stream(g.getLayers()).filter(l -> l.conf().getLayer() instanceof BatchNormRelu6)
                .mapToLong(l -> l.getParam("gamma").length()).sum();
    }

    /** Bias parameters the fold adds: one per output channel of each folded convolution that had none. */
    private static long biasesAdded(ComputationGraph g) {
        long added = 0;
        for (org.deeplearning4j.nn.api.Layer bn : g.getLayers()) {
            if (bn.conf().getLayer() instanceof BatchNormRelu6) {
                String input = g.getConfiguration().getVertexInputs().get(bn.conf().getLayer().getLayerName()).get(0);
                if (!((org.deeplearning4j.nn.conf.layers.ConvolutionLayer) g.getLayer(input).conf().getLayer()).hasBias()) {
                    added += bn.getParam("gamma").length();
                }
            }
        }
        return added;
    }
}
