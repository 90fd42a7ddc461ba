package org.ssdspark.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.ssdspark.nn.BatchNormFolding;
import org.ssdspark.nn.PassThroughVertex;
import org.ssdspark.nn.PointwiseConvolution;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a conversion keeps beyond parameters and updater state (LayerSetParityTest checks those on the full model):
 * counters and listeners (a training worker's), a graph already in the set is not copied, and an inference graph
 * with its BatchNorms folded (what evaluation broadcasts) converts too.
 */
class LayerSetConversionTest {

    private static ComputationGraph tiny(LayerSet layers) {
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(42).dataType(DataType.DOUBLE).updater(new Nesterovs(0.01, 0.9));
        ComputationGraph graph = new ComputationGraph(
                MobileNetV2SsdLite.configuration(TinySsdLite.CONFIG, new LossMSE(), base, layers));
        MobileNetV2SsdLite.initialise(graph);
        return graph;
    }

    @Test
    void countersAndListenersComeAlongAndTheSameSetIsNotCopied() {
        ComputationGraph cpu = tiny(LayerSet.CPU);
        assertSame(cpu, LayerSetConversion.to(LayerSet.CPU, cpu));
        assertSame(cpu, LayerSetConversion.forThisJvm(cpu), "this test JVM runs the CPU set");
        cpu.getConfiguration().setIterationCount(17);
        cpu.getConfiguration().setEpochCount(3);
        cpu.setListeners(new ScoreIterationListener(5));

        ComputationGraph stock = LayerSetConversion.to(LayerSet.STOCK, cpu);
        assertEquals(LayerSet.STOCK, LayerSet.of(stock.getConfiguration()).orElseThrow());
        assertEquals(17, stock.getConfiguration().getIterationCount());
        assertEquals(3, stock.getConfiguration().getEpochCount());
        assertEquals(1, stock.getListeners().size());
        assertTrue(stock.getListeners().iterator().next() instanceof ScoreIterationListener);
        assertEquals(0.0, stock.params().sub(cpu.params()).amaxNumber().doubleValue());
        assertEquals(0.0, stock.getUpdater().getStateViewArray().sub(cpu.getUpdater().getStateViewArray())
                .amaxNumber().doubleValue());
        assertEquals(cpu.getConfiguration().getVertexInputs(), stock.getConfiguration().getVertexInputs());
    }

    @Test
    void aFoldedInferenceGraphConvertsWithItsReLU6() {
        ComputationGraph cpu = tiny(LayerSet.CPU);
        Nd4j.getRandom().setSeed(5);
        // running statistics away from 0 and 1, so that folding changes the weights
        for (org.deeplearning4j.nn.api.Layer layer : cpu.getLayers()) {
            if (layer.paramTable().containsKey("var")) {
                layer.getParam("var").assign(Nd4j.rand(DataType.DOUBLE, layer.getParam("var").shape()).addi(0.5));
                layer.getParam("mean").assign(Nd4j.rand(DataType.DOUBLE, layer.getParam("mean").shape()).subi(0.5));
            }
        }
        ComputationGraph folded = BatchNormFolding.fold(cpu);
        assertTrue(Arrays.stream(folded.getLayers()).anyMatch(l -> l.conf().getLayer() instanceof PointwiseConvolution));
        // the folded BatchNorm and the ReLU6 name are gone: at inference a pass-through copies its activation
        assertFalse(folded.getConfiguration().getVertices().containsKey("base_net.0.1"));
        assertTrue(folded.getConfiguration().getVertices().values().stream().noneMatch(v -> v instanceof PassThroughVertex));

        ComputationGraph stock = LayerSetConversion.to(LayerSet.STOCK, folded);
        List<Class<?>> convolutions = Arrays.stream(stock.getLayers()).map(l -> l.conf().getLayer())
                .filter(l -> l instanceof ConvolutionLayer).<Class<?>>map(Object::getClass).distinct().toList();
        assertTrue(convolutions.stream().allMatch(c -> c.getName().startsWith("org.deeplearning4j")), convolutions.toString());
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 32, 32);
        INDArray expected = cpu.outputSingle(false, x);
        double d = stock.outputSingle(false, x).sub(expected).amaxNumber().doubleValue()
                / expected.amaxNumber().doubleValue();
        System.out.printf("folded CPU graph converted to the stock set: max relative output diff %.2e%n", d);
        assertTrue(d < 1e-12, "outputs differ by " + d);
    }
}
