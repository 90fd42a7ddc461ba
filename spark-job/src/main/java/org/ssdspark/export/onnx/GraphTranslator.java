package org.ssdspark.export.onnx;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ssdspark.model.ChannelsLastFlattenVertex;
import org.ssdspark.nn.DepthwiseConvolution3x3;
import org.ssdspark.nn.DirectConvolution;
import org.ssdspark.nn.PassThroughVertex;
import org.ssdspark.nn.PointwiseConvolution;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the vertices of a DL4J graph whose BatchNorms are already folded ({@link org.ssdspark.nn.BatchNormFolding})
 * as ONNX nodes, vertex by vertex in the graph's topological order, and returns the ONNX value of its one output.
 * What mb2-ssd-lite is made of has a translation: convolutions (Conv with bias; depthwise as Conv with
 * group = channels), ReLU6 (Clip 0..6), residual adds (Add), the heads' channels-last flatten (Transpose to NHWC then
 * Reshape to [N, -1], so priors keep the graph's order), the merge of the heads (Concat on axis 1) and the identity
 * loss layer. Pass-through vertices (the folded BatchNorms, the fused ReLU6 modules) add no node. Anything else is
 * refused with an {@link UnsupportedGraphException} that names the vertex and what it is.
 */
final class GraphTranslator {
    private static final String RELU6_MIN = "relu6.min";
    private static final String RELU6_MAX = "relu6.max";

    private final ComputationGraph graph;
    private final ComputationGraphConfiguration conf;
    private final OnnxGraph onnx;
    /** The ONNX value holding each vertex's activations. */
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> scalars = new HashSet<>();

    GraphTranslator(ComputationGraph foldedGraph, OnnxGraph onnx) {
        this.graph = foldedGraph;
        this.conf = foldedGraph.getConfiguration();
        this.onnx = onnx;
    }

    /** @param input the ONNX graph input standing for the DL4J graph's one input */
    String translate(String input) {
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new UnsupportedGraphException("the graph has inputs " + conf.getNetworkInputs() + " and outputs "
                    + conf.getNetworkOutputs() + "; mb2-ssd-lite has one of each");
        }
        values.put(conf.getNetworkInputs().get(0), input);
        org.deeplearning4j.nn.graph.vertex.GraphVertex[] vertices = graph.getVertices();
        for (int index : graph.topologicalSortOrder()) {
            String name = vertices[index].getVertexName();
            if (!vertices[index].isInputVertex()) {
                translateVertex(name, conf.getVertices().get(name), inputsOf(name));
            }
        }
        return values.get(conf.getNetworkOutputs().get(0));
    }

    private List<String> inputsOf(String vertex) {
        List<String> in = new ArrayList<>();
        for (String source : conf.getVertexInputs().get(vertex)) {
            in.add(values.get(source));
        }
        return in;
    }

    private void translateVertex(String name, GraphVertex vertex, List<String> in) {
        if (vertex instanceof LayerVertex lv) {
            if (lv.getPreProcessor() != null) {
                throw unsupported(name, "a layer with the input preprocessor "
                        + lv.getPreProcessor().getClass().getSimpleName());
            }
            translateLayer(name, lv.getLayerConf().getLayer(), in.get(0));
        } else if (vertex instanceof PassThroughVertex) {
            values.put(name, in.get(0));
        } else if (vertex instanceof ElementWiseVertex ew && ew.getOp() == ElementWiseVertex.Op.Add) {
            String sum = in.get(0);
            for (int i = 1; i < in.size(); i++) {
                String out = i == in.size() - 1 ? name : name + "." + i;
                sum = onnx.node("Add", out, List.of(sum, in.get(i)), out);
            }
            values.put(name, sum);
        } else if (vertex instanceof ChannelsLastFlattenVertex) {
            // [N, C, H, W] -> [N, H, W, C] -> [N, H*W*C]: (y, x, channel) order, as the vertex flattens
            String nhwc = onnx.node("Transpose", name + ".nhwc", in, name + ".nhwc",
                    OnnxMessages.intsAttribute("perm", 0, 2, 3, 1));
            values.put(name, onnx.node("Reshape", name, List.of(nhwc, onnx.int64s(0, -1)), name));
        } else if (vertex instanceof MergeVertex merge && merge.getMergeAxis() == 1) {
            values.put(name, onnx.node("Concat", name, in, name, OnnxMessages.intAttribute("axis", 1)));
        } else {
            throw unsupported(name, describe(vertex));
        }
    }

    private void translateLayer(String name, Layer layer, String in) {
        if (layer instanceof DepthwiseConvolution2D dw
                && (dw.getClass() == DepthwiseConvolution2D.class || dw instanceof DepthwiseConvolution3x3)) {
            convolution(name, dw, in, depthwiseWeights(name, dw), dw.getNIn());
        } else if (layer instanceof ConvolutionLayer c && (c.getClass() == ConvolutionLayer.class
                || c instanceof DirectConvolution || c instanceof PointwiseConvolution)) {
            convolution(name, c, in, param(name, ConvolutionParamInitializer.WEIGHT_KEY), 1);
        } else if (layer instanceof ActivationLayer a) {
            values.put(name, activation(name, a.getActivationFn(), in, name));
        } else if (layer instanceof LossLayer loss && loss.getActivationFn() instanceof ActivationIdentity) {
            values.put(name, in);
        } else if (layer instanceof BatchNormalization) {
            // BatchNormFolding folds a BatchNorm only into this project's convolution right before it
            throw unsupported(name, "a BatchNorm that follows no convolution it can be folded into");
        } else {
            throw unsupported(name, "a layer of type " + layer.getClass().getSimpleName()
                    + (layer instanceof BaseLayer b ? " (activation " + b.getActivationFn() + ")" : ""));
        }
    }

    /** Conv with explicit pads (DL4J Truncate/Strict and ONNX both floor the output size), bias, then Clip for ReLU6. */
    private void convolution(String name, ConvolutionLayer c, String in, INDArray weights, long group) {
        if (c.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
            throw unsupported(name, "a convolution on " + c.getCnn2dDataFormat() + " activations (NCHW only)");
        }
        if (c.getConvolutionMode() != ConvolutionMode.Truncate && c.getConvolutionMode() != ConvolutionMode.Strict) {
            throw unsupported(name, "a convolution in " + c.getConvolutionMode() + " mode (explicit padding only)");
        }
        IActivation fn = c.getActivationFn();
        if (!(fn instanceof ActivationIdentity) && !(fn instanceof ActivationReLU6)) {
            throw unsupported(name, "a convolution with activation " + fn + " (identity or ReLU6 only)");
        }
        int[] k = c.getKernelSize();
        int[] s = c.getStride();
        int[] p = c.getPadding();
        int[] d = c.getDilation();
        List<String> inputs = new ArrayList<>(List.of(in, onnx.floats(name + ".weight", weights.shape(), floats(weights))));
        if (c.hasBias()) {
            INDArray bias = param(name, ConvolutionParamInitializer.BIAS_KEY);
            inputs.add(onnx.floats(name + ".bias", new long[]{bias.length()}, floats(bias)));
        }
        boolean relu6 = fn instanceof ActivationReLU6;
        String out = relu6 ? name + ".conv" : name;
        onnx.node("Conv", out, inputs, out,
                OnnxMessages.intsAttribute("kernel_shape", k[0], k[1]),
                OnnxMessages.intsAttribute("strides", s[0], s[1]),
                OnnxMessages.intsAttribute("pads", p[0], p[1], p[0], p[1]),
                OnnxMessages.intsAttribute("dilations", d[0], d[1]),
                OnnxMessages.intAttribute("group", group));
        values.put(name, relu6 ? activation(name, fn, out, name) : out);
    }

    /** DL4J keeps depthwise weights as [kH, kW, C, multiplier]; ONNX's grouped Conv wants [C * multiplier, 1, kH, kW]. */
    private INDArray depthwiseWeights(String name, DepthwiseConvolution2D dw) {
        INDArray w = param(name, ConvolutionParamInitializer.WEIGHT_KEY);
        int[] k = dw.getKernelSize();
        return w.permute(2, 3, 0, 1).dup('c').reshape('c', dw.getNIn() * dw.getDepthMultiplier(), 1, k[0], k[1]);
    }

    private String activation(String name, IActivation fn, String in, String out) {
        if (fn instanceof ActivationIdentity) {
            return in;
        }
        if (fn instanceof ActivationReLU6) {
            return onnx.node("Clip", out, List.of(in, scalar(RELU6_MIN, 0f), scalar(RELU6_MAX, 6f)), out);
        }
        throw unsupported(name, "activation " + fn + " (identity or ReLU6 only)");
    }

    /** Clip's bounds are scalar inputs since opset 11; one pair serves every Clip. */
    private String scalar(String name, float value) {
        if (scalars.add(name)) {
            onnx.floats(name, new long[0], new float[]{value});
        }
        return name;
    }

    private INDArray param(String layer, String key) {
        return graph.getLayer(layer).getParam(key);
    }

    private static float[] floats(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    private static String describe(GraphVertex vertex) {
        if (vertex instanceof ElementWiseVertex ew) {
            return "an ElementWiseVertex with op " + ew.getOp() + " (Add only)";
        }
        if (vertex instanceof MergeVertex m) {
            return "a MergeVertex on axis " + m.getMergeAxis() + " (axis 1 only)";
        }
        return "a vertex of type " + vertex.getClass().getSimpleName();
    }

    private static UnsupportedGraphException unsupported(String vertex, String what) {
        return new UnsupportedGraphException("vertex \"" + vertex + "\" is " + what + "; the mb2-ssd-lite ONNX export"
                + " cannot represent it");
    }
}
