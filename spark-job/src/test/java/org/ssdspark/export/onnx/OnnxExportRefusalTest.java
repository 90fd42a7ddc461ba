package org.ssdspark.export.onnx;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.ssdspark.model.ChannelsLastFlattenVertex;
import org.ssdspark.model.MobileNetV2SsdLite;
import org.ssdspark.model.SsdLiteConfig;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Graphs that are not of the mb2-ssd-lite layout are refused, naming what cannot be written. */
class OnnxExportRefusalTest {
    /** 5 classes at 32 px: 54 priors, so the network's output must be 54 x (5 + 4) = 486 wide. */
    private static final SsdLiteConfig TINY = new SsdLiteConfig(5, 0.25, 32, 6);
    private static final int WIDTH = 486;
    private static final List<String> SHAPES = List.of("circle", "square", "triangle", "star");

    @Test
    void aPoolingLayerIsRefusedByName() {
        String message = refusal(graph(g -> {
            g.addLayer("pool", new SubsamplingLayer.Builder(2, 2).stride(2, 2).build(), "input");
            return conv(g, "conv", "pool", 16, WIDTH);
        }));
        assertEquals("vertex \"pool\" is a layer of type SubsamplingLayer; the mb2-ssd-lite ONNX export cannot"
                + " represent it", message);
    }

    @Test
    void aBatchNormThatCannotBeFoldedIsRefused() {
        // a stock DL4J convolution: BatchNormFolding folds only into this project's convolutions
        String message = refusal(graph(g -> {
            conv(g, "conv", "input", 32, WIDTH);
            g.addLayer("bn", new BatchNormalization.Builder().nOut(WIDTH).build(), "conv");
            return "bn";
        }));
        assertTrue(message.startsWith("vertex \"bn\" is a BatchNorm that follows no convolution it can be folded into"),
                message);
    }

    @Test
    void aProductVertexIsRefused() {
        String message = refusal(graph(g -> {
            conv(g, "a", "input", 32, WIDTH);
            conv(g, "b", "input", 32, WIDTH);
            g.addVertex("product", new ElementWiseVertex(ElementWiseVertex.Op.Product), "a", "b");
            return "product";
        }));
        assertTrue(message.startsWith("vertex \"product\" is an ElementWiseVertex with op Product (Add only)"), message);
    }

    @Test
    void anOutputOfAnotherWidthIsRefused() {
        String message = refusal(graph(g -> conv(g, "conv", "input", 32, 100)));
        assertEquals("the network's output (\"flat\") is InputTypeFeedForward(100); mb2-ssd-lite's is 486 values per"
                + " image (54 priors x (5 classes + 4 box coordinates))", message);
    }

    /** A network of DL4J's stock layers (as a CUDA executor trains it) exports the same ONNX as this project's. */
    @Test
    void aStockLayerGraphExportsAsItsCpuCounterpart() {
        ComputationGraph cpu = MobileNetV2SsdLite.build(TINY, new LossMSE());
        ComputationGraph stock = org.ssdspark.model.LayerSetConversion.to(org.ssdspark.model.LayerSet.STOCK, cpu);
        byte[] fromCpu = OnnxExport.of(cpu, TINY, SHAPES, "tiny").bytes();
        byte[] fromStock = OnnxExport.of(stock, TINY, SHAPES, "tiny").bytes();
        assertTrue(fromCpu.length > 0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(fromCpu, fromStock);
    }

    private static String refusal(ComputationGraph graph) {
        return assertThrows(UnsupportedGraphException.class, () -> OnnxExport.of(graph, TINY, SHAPES, "test graph"))
                .getMessage();
    }

    /** input [3, 32, 32] -> body -> channels-last flatten -> identity loss, as mb2-ssd-lite ends. */
    private static ComputationGraph graph(Function<GraphBuilder, String> body) {
        GraphBuilder g = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).graphBuilder()
                .addInputs("input").setInputTypes(InputType.convolutional(32, 32, 3));
        String last = body.apply(g);
        g.addVertex("flat", new ChannelsLastFlattenVertex(), last);
        g.addLayer("loss", new LossLayer.Builder(new LossMSE()).activation(Activation.IDENTITY).build(), "flat");
        g.setOutputs("loss");
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }

    /** A convolution whose kernel covers its whole input: one output position of {@code out} channels. */
    private static String conv(GraphBuilder g, String name, String input, int kernel, int out) {
        g.addLayer(name, new ConvolutionLayer.Builder(kernel, kernel).nOut(out).activation(Activation.IDENTITY).build(),
                input);
        return name;
    }
}
