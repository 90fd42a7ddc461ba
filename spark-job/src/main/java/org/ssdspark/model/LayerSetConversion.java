package org.ssdspark.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ssdspark.nn.BatchNormRelu6;
import org.ssdspark.nn.DepthwiseConvolution3x3;
import org.ssdspark.nn.DirectConvolution;
import org.ssdspark.nn.PointwiseConvolution;
import org.ssdspark.nn.StockBatchNormRelu6;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Moves a network from one {@link LayerSet} to the other. DL4J's JSON names every layer's class, so a graph saved,
 * broadcast or serialised with one set comes back with it; on a JVM of the other set (a GPU run's checkpoint resumed
 * on CPU, a CPU driver's network on a CUDA executor) it is rebuilt with that set's layers and given the same
 * parameters and updater state, which both sets lay out identically (checked here, layer by layer).
 */
public final class LayerSetConversion {

    private static final Logger log = LoggerFactory.getLogger(LayerSetConversion.class);

    private LayerSetConversion() {
    }

    /** {@code graph} in this JVM's set ({@link LayerSetChoice#forThisJvm}). */
    public static ComputationGraph forThisJvm(ComputationGraph graph) {
        return to(LayerSetChoice.forThisJvm(), graph);
    }

    /**
     * {@code graph} itself if it is in {@code set} already (or holds neither set's own layers); else a new graph of
     * {@code set}'s layers with copies of its parameters, updater state, counters and listeners.
     */
    public static ComputationGraph to(LayerSet set, ComputationGraph graph) {
        Optional<LayerSet> current = LayerSet.of(graph.getConfiguration());
        if (current.isEmpty() || current.get() == set) {
            return graph;
        }
        ComputationGraph converted = new ComputationGraph(to(set, graph.getConfiguration()));
        converted.init(graph.params().dup(), false);
        requireSameLayout(graph, converted);
        ComputationGraphUpdater updater = graph.getUpdater(false);
        if (updater != null && updater.getStateViewArray() != null) {
            INDArray state = updater.getStateViewArray();
            INDArray target = converted.getUpdater().getStateViewArray();
            if (target == null || target.length() != state.length()) {
                throw new IllegalStateException("updater state of " + state.length() + " values, the " + set
                        + " layer set lays out " + (target == null ? 0 : target.length()));
            }
            converted.getUpdater().setStateViewArray(state.dup());
        }
        converted.setListeners(graph.getListeners());
        log.info("Network of the {} layer set rebuilt with the {} set (parameters and updater state carried over)",
                current.get(), set);
        return converted;
    }

    /**
     * A copy of {@code configuration} (through its JSON, so counters and every setting are kept) with each layer of
     * the other set replaced by {@code set}'s counterpart; vertices keep their names, order and inputs.
     */
    public static ComputationGraphConfiguration to(LayerSet set, ComputationGraphConfiguration configuration) {
        ComputationGraphConfiguration copy = ComputationGraphConfiguration.fromJson(configuration.toJson());
        for (GraphVertex vertex : copy.getVertices().values()) {
            if (vertex instanceof LayerVertex lv) {
                Layer layer = lv.getLayerConf().getLayer();
                Layer counterpart = counterpart(set, layer);
                if (counterpart != layer) {
                    lv.getLayerConf().setLayer(counterpart);
                }
            }
        }
        return copy;
    }

    /** {@code set}'s layer for one of either set's layers; any other layer as it is. */
    private static Layer counterpart(LayerSet set, Layer layer) {
        if (layer instanceof BatchNormRelu6 bn) {
            return set.batchNorm(bn, bn.isRelu6());
        }
        if (layer instanceof StockBatchNormRelu6 bn) {
            return set.batchNorm(bn, bn.isRelu6());
        }
        // exact classes: DL4J's other subclasses (separable, deconvolution, ...) are no set's
        Class<?> c = layer.getClass();
        if (c == DepthwiseConvolution2D.class || c == DepthwiseConvolution3x3.class) {
            return set.depthwise((DepthwiseConvolution2D) layer);
        }
        if (c == ConvolutionLayer.class || c == PointwiseConvolution.class || c == DirectConvolution.class) {
            return set.convolution((ConvolutionLayer) layer);
        }
        return layer;
    }

    /** Same layers in the same order, each with the same parameter names and shapes in the same order. */
    private static void requireSameLayout(ComputationGraph from, ComputationGraph to) {
        org.deeplearning4j.nn.api.Layer[] a = from.getLayers();
        org.deeplearning4j.nn.api.Layer[] b = to.getLayers();
        if (a.length != b.length) {
            throw new IllegalStateException("layer sets differ in layer count: " + a.length + " and " + b.length);
        }
        for (int i = 0; i < a.length; i++) {
            String name = a[i].conf().getLayer().getLayerName();
            if (!name.equals(b[i].conf().getLayer().getLayerName())) {
                throw new IllegalStateException("layer " + i + " is " + name + " in one layer set and "
                        + b[i].conf().getLayer().getLayerName() + " in the other");
            }
            Map<String, INDArray> pa = a[i].paramTable();
            Map<String, INDArray> pb = b[i].paramTable();
            if (!pa.keySet().stream().toList().equals(pb.keySet().stream().toList())) {
                throw new IllegalStateException(name + ": parameters " + pa.keySet() + " and " + pb.keySet());
            }
            for (Map.Entry<String, INDArray> e : pa.entrySet()) {
                long[] other = pb.get(e.getKey()).shape();
                if (!Arrays.equals(e.getValue().shape(), other)) {
                    throw new IllegalStateException(name + "_" + e.getKey() + ": shape "
                            + Arrays.toString(e.getValue().shape()) + " and " + Arrays.toString(other));
                }
            }
        }
    }
}
