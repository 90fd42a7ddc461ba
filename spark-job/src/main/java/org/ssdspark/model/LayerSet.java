package org.ssdspark.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.ssdspark.nn.BatchNormRelu6;
import org.ssdspark.nn.DepthwiseConvolution3x3;
import org.ssdspark.nn.DirectConvolution;
import org.ssdspark.nn.LayerConfigs;
import org.ssdspark.nn.PointwiseConvolution;
import org.ssdspark.nn.StockBatchNormRelu6;

import java.util.Optional;

/**
 * The two implementations of the network's convolutions and BatchNorms. Both make the same graph: the same vertices
 * under the same names, the same parameters (names, shapes, flattening order), initialisers, updaters and weight
 * decay; so parameters, updater state and checkpoints move from one to the other ({@link LayerSetConversion}).
 * Which one a JVM builds is {@link LayerSetChoice}'s decision.
 */
public enum LayerSet {

    /**
     * This project's layers ({@code org.ssdspark.nn}): BatchNorm fused with ReLU6, 1x1 convolutions as matrix
     * products, the 3x3 depthwise convolution in Java, other convolutions on libnd4j's conv2d op. Fast on ND4J's CPU
     * backend and only there: they read and write its buffers on the host.
     */
    CPU("cpu") {
        @Override
        public Layer convolution(ConvolutionLayer layer) {
            if (PointwiseConvolution.covers(layer) && !Boolean.getBoolean(DIRECT_POINTWISE_PROPERTY)) {
                return PointwiseConvolution.of(layer);
            }
            return DirectConvolution.covers(layer) ? DirectConvolution.of(layer) : STOCK.convolution(layer);
        }

        @Override
        public Layer depthwise(DepthwiseConvolution2D layer) {
            return DepthwiseConvolution3x3.covers(layer) && !Boolean.getBoolean(DL4J_DEPTHWISE_PROPERTY)
                    ? DepthwiseConvolution3x3.of(layer) : STOCK.depthwise(layer);
        }

        @Override
        public Layer batchNorm(BatchNormalization layer, boolean relu6) {
            return BatchNormRelu6.of(layer, relu6);
        }

        @Override
        boolean owns(Layer layer) {
            return layer instanceof BatchNormRelu6 || layer instanceof PointwiseConvolution
                    || layer instanceof DirectConvolution || layer instanceof DepthwiseConvolution3x3;
        }
    },

    /**
     * DL4J's own ConvolutionLayer and DepthwiseConvolution2D, and {@link StockBatchNormRelu6} (DL4J's
     * BatchNormalization with PyTorch's running variance and the ReLU6 by ND4J ops): ND4J ops throughout, so every
     * backend runs them, CUDA's (with cuDNN) included.
     */
    STOCK("stock") {
        @Override
        public Layer convolution(ConvolutionLayer layer) {
            ConvolutionLayer copy = new ConvolutionLayer.Builder().build();
            LayerConfigs.copyFields(ConvolutionLayer.class, layer, copy);
            return copy;
        }

        @Override
        public Layer depthwise(DepthwiseConvolution2D layer) {
            DepthwiseConvolution2D copy = new DepthwiseConvolution2D.Builder().build();
            LayerConfigs.copyFields(DepthwiseConvolution2D.class, layer, copy);
            return copy;
        }

        @Override
        public Layer batchNorm(BatchNormalization layer, boolean relu6) {
            return StockBatchNormRelu6.of(layer, relu6);
        }

        @Override
        boolean owns(Layer layer) {
            return layer instanceof StockBatchNormRelu6;
        }
    };

    /** Benchmark-only: DL4J's DepthwiseConvolution2D in the CPU set, to measure {@link DepthwiseConvolution3x3} alone. */
    static final String DL4J_DEPTHWISE_PROPERTY = "ssdspark.dl4jDepthwise";
    /** Benchmark-only: 1x1 convolutions of the CPU set on libnd4j's conv2d op ({@link DirectConvolution}). */
    static final String DIRECT_POINTWISE_PROPERTY = "ssdspark.directPointwise";

    private final String label;

    LayerSet(String label) {
        this.label = label;
    }

    /** This set's layer for a configured convolution (any ConvolutionLayer of either set): a copy, every field kept. */
    public abstract Layer convolution(ConvolutionLayer layer);

    /** This set's layer for a configured depthwise convolution (of either set). */
    public abstract Layer depthwise(DepthwiseConvolution2D layer);

    /** This set's BatchNorm, with the ReLU6 after it applied by the layer or not. */
    public abstract Layer batchNorm(BatchNormalization layer, boolean relu6);

    /** Whether {@code layer} is of a class only this set uses. */
    abstract boolean owns(Layer layer);

    /** The name in {@code -Dssdspark.layers}, logs and metrics: {@code cpu} or {@code stock}. */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }

    /** The set named {@code label} ({@code cpu} or {@code stock}, any case). */
    public static LayerSet parse(String label) {
        for (LayerSet set : values()) {
            if (set.label.equalsIgnoreCase(label.trim())) {
                return set;
            }
        }
        throw new IllegalArgumentException("unknown layer set '" + label + "': cpu or stock");
    }

    /**
     * The set a configuration was built with: the one whose own layer classes it holds; empty for a graph of neither
     * (one made of DL4J's layers alone, which both sets leave as it is).
     */
    public static Optional<LayerSet> of(ComputationGraphConfiguration configuration) {
        for (GraphVertex vertex : configuration.getVertices().values()) {
            if (vertex instanceof LayerVertex lv) {
                for (LayerSet set : values()) {
                    if (set.owns(lv.getLayerConf().getLayer())) {
                        return Optional.of(set);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
