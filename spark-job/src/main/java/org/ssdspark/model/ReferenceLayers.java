package org.ssdspark.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.nd4j.linalg.activations.Activation;

/**
 * The PyTorch modules the reference is made of, each added to a DL4J graph under the module's
 * state_dict name so that checkpoint keys map onto layer names. Each method returns the added vertex name.
 */
final class ReferenceLayers {

    /** PyTorch BatchNorm2d defaults: eps 1e-5, momentum 0.1 (DL4J's decay is the weight of the old statistic). */
    static final double BN_EPS = 1e-5;
    static final double BN_DECAY = 0.9;

    private final GraphBuilder graph;

    ReferenceLayers(GraphBuilder graph) {
        this.graph = graph;
    }

    /** Conv2d with PyTorch's explicit padding (k - 1) / 2; Truncate gives its floor arithmetic for stride 2. */
    String conv(String name, String input, int in, int out, int kernel, int stride, boolean bias, ConvInit init) {
        int pad = (kernel - 1) / 2;
        graph.addLayer(name, new ConvolutionLayer.Builder(kernel, kernel)
                .stride(stride, stride)
                .padding(pad, pad)
                .convolutionMode(ConvolutionMode.Truncate)
                .nIn(in)
                .nOut(out)
                .hasBias(bias)
                .activation(Activation.IDENTITY)
                .weightInit(init.distribution(in, out, kernel))
                .build(), input);
        return name;
    }

    /** Conv2d with groups == channels, depth multiplier 1. */
    String depthwise(String name, String input, int channels, int stride, boolean bias, ConvInit init) {
        graph.addLayer(name, new DepthwiseConvolution2D.Builder(3, 3)
                .stride(stride, stride)
                .padding(1, 1)
                .convolutionMode(ConvolutionMode.Truncate)
                .depthMultiplier(1)
                .nIn(channels)
                .nOut(channels)
                .hasBias(bias)
                .activation(Activation.IDENTITY)
                .weightInit(init.distribution(1, channels, 3))
                .build(), input);
        return name;
    }

    /** BatchNorm2d; DL4J ignores an activation set on this layer, so ReLU6 is always a separate layer. */
    String batchNorm(String name, String input, int channels) {
        graph.addLayer(name, new BatchNormalization.Builder()
                .nIn(channels)
                .nOut(channels)
                .eps(BN_EPS)
                .decay(BN_DECAY)
                // Store the running variance itself (not log10 of the std) so it maps 1:1 onto running_var.
                .useLogStd(false)
                .build(), input);
        return name;
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
