package org.ssdspark.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.nd4j.linalg.activations.Activation;
import org.ssdspark.nn.BatchNormRelu6;
import org.ssdspark.nn.DirectConvolution;
import org.ssdspark.nn.DepthwiseConvolution3x3;
import org.ssdspark.nn.PassThroughVertex;
import org.ssdspark.nn.PointwiseConvolution;

/**
 * The PyTorch modules the reference is made of, each added to a DL4J graph under the module's
 * state_dict name so that checkpoint keys map onto layer names. Each method returns the added vertex name.
 */
final class ReferenceLayers {

    /** PyTorch BatchNorm2d defaults: eps 1e-5, momentum 0.1 (DL4J's decay is the weight of the old statistic). */
    static final double BN_EPS = 1e-5;
    static final double BN_DECAY = 0.9;

    /**
     * Benchmark-only switch ({@code -Dssdspark.stockLayers=true}): DL4J's own BatchNormalization, ReLU6
     * ActivationLayer, 1x1 ConvolutionLayer and DepthwiseConvolution2D instead of {@link BatchNormRelu6},
     * {@link PointwiseConvolution} and {@link DepthwiseConvolution3x3},
     * for before/after measurements in one build.
     */
    static final String STOCK_LAYERS_PROPERTY = "ssdspark.stockLayers";
    /** Benchmark-only: DL4J's DepthwiseConvolution2D while the other layers stay ours, to measure that layer alone. */
    static final String DL4J_DEPTHWISE_PROPERTY = "ssdspark.dl4jDepthwise";
    /** Benchmark-only: 1x1 convolutions on libnd4j's conv2d op ({@link DirectConvolution}) instead of one gemm per image. */
    static final String DIRECT_POINTWISE_PROPERTY = "ssdspark.directPointwise";

    private final GraphBuilder graph;
    private final boolean stock;
    private final boolean dl4jDepthwise;

    ReferenceLayers(GraphBuilder graph) {
        this.graph = graph;
        this.stock = Boolean.getBoolean(STOCK_LAYERS_PROPERTY);
        this.dl4jDepthwise = stock || Boolean.getBoolean(DL4J_DEPTHWISE_PROPERTY);
    }

    /** Conv2d with PyTorch's explicit padding (k - 1) / 2; Truncate gives its floor arithmetic for stride 2. */
    String conv(String name, String input, int in, int out, int kernel, int stride, boolean bias, ConvInit init) {
        int pad = (kernel - 1) / 2;
        ConvolutionLayer layer = new ConvolutionLayer.Builder(kernel, kernel)
                .stride(stride, stride)
                .padding(pad, pad)
                .convolutionMode(ConvolutionMode.Truncate)
                .nIn(in)
                .nOut(out)
                .hasBias(bias)
                .activation(Activation.IDENTITY)
                .weightInit(init.distribution(in, out, kernel))
                .build();
        // 1x1 stride 1: a matrix product per image instead of DL4J's im2col path
        boolean pointwise = !stock && kernel == 1 && stride == 1 && !Boolean.getBoolean(DIRECT_POINTWISE_PROPERTY);
        graph.addLayer(name, stock ? layer : pointwise ? PointwiseConvolution.of(layer) : DirectConvolution.of(layer), input);
        return name;
    }

    /** Conv2d with groups == channels, depth multiplier 1. */
    String depthwise(String name, String input, int channels, int stride, boolean bias, ConvInit init) {
        DepthwiseConvolution2D layer = new DepthwiseConvolution2D.Builder(3, 3)
                .stride(stride, stride)
                .padding(1, 1)
                .convolutionMode(ConvolutionMode.Truncate)
                .depthMultiplier(1)
                .nIn(channels)
                .nOut(channels)
                .hasBias(bias)
                .activation(Activation.IDENTITY)
                .weightInit(init.distribution(1, channels, 3))
                .build();
        graph.addLayer(name, dl4jDepthwise ? layer : DepthwiseConvolution3x3.of(layer), input);
        return name;
    }

    /** BatchNorm2d without an activation after it. */
    String batchNorm(String name, String input, int channels) {
        graph.addLayer(name, stock ? stockBatchNorm(channels) : BatchNormRelu6.of(stockBatchNorm(channels), false), input);
        return name;
    }

    /**
     * BatchNorm2d then ReLU6, as one fused layer named {@code bnName}; {@code reluName} stays in the graph as a
     * {@link PassThroughVertex}, so the reference's module names all remain. Returns {@code reluName}.
     */
    String batchNormRelu6(String bnName, String reluName, String input, int channels) {
        if (stock) {
            return relu6(reluName, batchNorm(bnName, input, channels));
        }
        graph.addLayer(bnName, BatchNormRelu6.of(stockBatchNorm(channels), true), input);
        graph.addVertex(reluName, new PassThroughVertex(), bnName);
        return reluName;
    }

    /** DL4J ignores an activation set on its BatchNormalization, hence the separate ReLU6 in the stock graph. */
    private static BatchNormalization stockBatchNorm(int channels) {
        return new BatchNormalization.Builder()
                .nIn(channels)
                .nOut(channels)
                .eps(BN_EPS)
                .decay(BN_DECAY)
                // Store the running variance itself (not log10 of the std) so it maps 1:1 onto running_var.
                .useLogStd(false)
                .build();
    }

    String relu6(String name, String input) {
        graph.addLayer(name, new ActivationLayer.Builder().activation(Activation.RELU6).build(), input);
        return name;
    }

    String add(String name, String a, String b) {
        graph.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), a, b);
        return name;
    }
}
