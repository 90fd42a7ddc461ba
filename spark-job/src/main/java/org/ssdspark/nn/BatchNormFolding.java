package org.ssdspark.nn;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An inference copy of a graph in which every BatchNorm (with or without its fused ReLU6) that follows one of this
 * package's convolutions is folded into that convolution: W' = W s and b' = s (b - mean) + beta per output channel,
 * s = gamma / sqrt(var + eps), with the ReLU6 applied in place by the convolution. At inference the BatchNorm is an
 * affine map of the running statistics, so the folded graph computes the same function up to float rounding, without
 * one read and write of every activation per BatchNorm. The folded BatchNorms and the graph's other
 * {@link PassThroughVertex}es (the reference's ReLU6 names) are then taken out and their consumers wired to what fed
 * them: at inference DL4J gives each vertex its own workspace, so a pass-through copied every activation it passed,
 * up to two copies per convolution block and about a third of the full model's forward pass. Layer names, and so
 * parameters, are unchanged. The copy is for inference only: its convolutions refuse backprop with a ReLU6.
 */
public final class BatchNormFolding {

    private BatchNormFolding() {
    }

    /** The folded copy; {@code graph} is not changed. A graph with nothing to fold comes back as a plain copy. */
    public static ComputationGraph fold(ComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        Map<String, String> convOfBatchNorm = new LinkedHashMap<>();
        for (Map.Entry<String, GraphVertex> e : graph.getConfiguration().getVertices().entrySet()) {
            String conv = foldableInput(graph.getConfiguration(), e.getKey());
            if (conv != null) {
                convOfBatchNorm.put(e.getKey(), conv);
            }
        }
        for (Map.Entry<String, String> e : convOfBatchNorm.entrySet()) {
            BatchNormRelu6 bn = batchNorm(conf.getVertices().get(e.getKey()));
            LayerVertex convVertex = (LayerVertex) conf.getVertices().get(e.getValue());
            ConvolutionLayer convLayer = (ConvolutionLayer) convVertex.getLayerConf().getLayer().clone();
            convLayer.setHasBias(true);
            convLayer.setActivationFn((bn.isRelu6() ? Activation.RELU6 : Activation.IDENTITY).getActivationFunction());
            NeuralNetConfiguration layerConf = convVertex.getLayerConf().clone();
            layerConf.setLayer(convLayer);
            conf.getVertices().put(e.getValue(), new LayerVertex(layerConf, convVertex.getPreProcessor()));
            conf.getVertices().put(e.getKey(), new PassThroughVertex());
        }
        bypassPassThroughs(conf);
        ComputationGraph folded = new ComputationGraph(conf);
        folded.init();
        for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (folded.getVertex(name) == null || !folded.getVertex(name).hasLayer()) {
                continue;
            }
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                folded.getLayer(name).setParam(p.getKey(), p.getValue().dup());
            }
        }
        for (Map.Entry<String, String> e : convOfBatchNorm.entrySet()) {
            foldInto(graph.getLayer(e.getKey()), graph.getLayer(e.getValue()), folded.getLayer(e.getValue()));
        }
        return folded;
    }

    /**
     * Removes every {@link PassThroughVertex} that is not a network output, wiring its consumers to its input (chains
     * of them resolve to the first real vertex, whatever the order of removal).
     */
    static void bypassPassThroughs(ComputationGraphConfiguration conf) {
        Map<String, List<String>> inputs = new LinkedHashMap<>();
        conf.getVertexInputs().forEach((k, v) -> inputs.put(k, new ArrayList<>(v)));
        List<String> passThroughs = new ArrayList<>();
        conf.getVertices().forEach((name, vertex) -> {
            if (vertex instanceof PassThroughVertex && !conf.getNetworkOutputs().contains(name)) {
                passThroughs.add(name);
            }
        });
        for (String p : passThroughs) {
            String source = inputs.get(p).get(0);
            for (List<String> in : inputs.values()) {
                in.replaceAll(n -> n.equals(p) ? source : n);
            }
            inputs.remove(p);
            conf.getVertices().remove(p);
        }
        conf.setVertexInputs(inputs);
        // the cached order names the removed vertices; DL4J recomputes it when absent
        conf.setTopologicalOrder(null);
        conf.setTopologicalOrderStr(null);
    }

    /** The convolution feeding {@code vertex} if {@code vertex} is a BatchNorm that can absorb it, else null. */
    private static String foldableInput(ComputationGraphConfiguration conf, String vertex) {
        if (batchNorm(conf.getVertices().get(vertex)) == null) {
            return null;
        }
        List<String> inputs = conf.getVertexInputs().get(vertex);
        if (inputs == null || inputs.size() != 1 || ((LayerVertex) conf.getVertices().get(vertex)).getPreProcessor() != null) {
            return null;
        }
        String input = inputs.get(0);
        if (!(conf.getVertices().get(input) instanceof LayerVertex lv) || !isOurConvolution(lv.getLayerConf().getLayer())
                || !(lv.getLayerConf().getLayer() instanceof ConvolutionLayer c)
                || !(c.getActivationFn() instanceof ActivationIdentity)) {
            return null;
        }
        long consumers = conf.getVertexInputs().values().stream().filter(in -> in.contains(input)).count()
                + conf.getNetworkOutputs().stream().filter(input::equals).count();
        return consumers == 1 ? input : null;
    }

    private static boolean isOurConvolution(org.deeplearning4j.nn.conf.layers.Layer layer) {
        return layer instanceof PointwiseConvolution || layer instanceof DirectConvolution
                || layer instanceof DepthwiseConvolution3x3;
    }

    private static BatchNormRelu6 batchNorm(GraphVertex vertex) {
        return vertex instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BatchNormRelu6 bn ? bn : null;
    }

    /** Writes W' and b' of {@code target} from the trained convolution and BatchNorm layers. */
    private static void foldInto(org.deeplearning4j.nn.api.Layer bnLayer, org.deeplearning4j.nn.api.Layer conv,
                                 org.deeplearning4j.nn.api.Layer target) {
        BatchNormRelu6 bn = (BatchNormRelu6) bnLayer.conf().getLayer();
        INDArray gamma = bnLayer.getParam(BatchNormalizationParamInitializer.GAMMA).reshape(-1);
        INDArray beta = bnLayer.getParam(BatchNormalizationParamInitializer.BETA).reshape(-1);
        INDArray mean = bnLayer.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).reshape(-1);
        INDArray var = bnLayer.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).reshape(-1);
        // in double, then rounded once to the network's type
        INDArray s = gamma.castTo(DataType.DOUBLE)
                .div(Transforms.sqrt(var.castTo(DataType.DOUBLE).add(bn.getEps()), false));
        INDArray w = conv.getParam(ConvolutionParamInitializer.WEIGHT_KEY).castTo(DataType.DOUBLE);
        INDArray folded;
        if (conv.conf().getLayer() instanceof DepthwiseConvolution3x3) {
            // [kH, kW, C, 1]: channels on axis 2
            folded = w.dup('c').reshape('c', -1, s.length()).mulRowVector(s).reshape('c', w.shape());
        } else {
            // [out, in, kH, kW]: output channels on axis 0
            folded = w.dup('c').reshape('c', s.length(), -1).mulColumnVector(s.reshape(-1, 1)).reshape('c', w.shape());
        }
        INDArray b = conv.conf().getLayer() instanceof ConvolutionLayer c && c.hasBias()
                ? conv.getParam(ConvolutionParamInitializer.BIAS_KEY).reshape(-1).castTo(DataType.DOUBLE)
                : Nd4j.zeros(DataType.DOUBLE, s.length());
        INDArray bias = b.sub(mean.castTo(DataType.DOUBLE)).mul(s)
                .add(beta.castTo(DataType.DOUBLE));
        INDArray targetW = target.getParam(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray targetB = target.getParam(ConvolutionParamInitializer.BIAS_KEY);
        targetW.assign(folded.castTo(targetW.dataType()));
        targetB.assign(bias.castTo(targetB.dataType()).reshape(targetB.shape()));
    }
}
