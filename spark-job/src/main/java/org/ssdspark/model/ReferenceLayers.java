package org.ssdspark.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.nd4j.linalg.activations.Activation;
import org.ssdspark.nn.PassThroughVertex;

/**
 * The PyTorch modules the reference is made of, each added to a DL4J graph under the module's
 * state_dict name so that checkpoint keys map onto layer names, as layers of one {@link LayerSet}. Each method
 * returns the added vertex name.
 */
final class ReferenceLayers {

    /** PyTorch BatchNorm2d defaults: eps 1e-5, momentum 0.1 (DL4J's decay is the weight of the old statistic). */
    static final double BN_EPS = 1e-5;
    static final double BN_DECAY = 0.9;

    private final GraphBuilder graph;
    private final LayerSet layers;

    ReferenceLayers(GraphBuilder graph, LayerSet layers) {
        this.graph = graph;
        this.layers = layers;
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
        graph.addLayer(name, layers.convolution(layer), input);
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
        graph.addLayer(name, layers.depthwise(layer), input);
        return name;
    }

    /** BatchNorm2d without an activation after it. */
    String batchNorm(String name, String input, int channels) {
        graph.addLayer(name, layers.batchNorm(batchNormConfig(channels), false), input);
        return name;
    }

    /**
     * BatchNorm2d then ReLU6, as one layer named {@code bnName} that applies both (in either set); {@code reluName}
     * stays in the graph as a {@link PassThroughVertex}, so the reference's module names all remain and both sets
     * have the same vertices. Returns {@code reluName}.
     */
    String batchNormRelu6(String bnName, String reluName, String input, int channels) {
        graph.addLayer(bnName, layers.batchNorm(batchNormConfig(channels), true), input);
        graph.addVertex(reluName, new PassThroughVertex(), bnName);
        return reluName;
    }

    private static BatchNormalization batchNormConfig(int channels) {
        return new BatchNormalization.Builder()
                .nIn(channels)
                .nOut(channels)
                .eps(BN_EPS)
                .decay(BN_DECAY)
                // Store the running variance itself (not log10 of the std) so it maps 1:1 onto running_var.
                .useLogStd(false)
                .build();
    }

    String add(String name, String a, String b) {
        graph.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), a, b);
        return name;
    }
}
