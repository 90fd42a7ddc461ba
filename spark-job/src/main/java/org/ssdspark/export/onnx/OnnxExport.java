package org.ssdspark.export.onnx;

import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.ssdspark.model.FeatureMapSizes;
import org.ssdspark.model.SsdLiteConfig;
import org.ssdspark.model.LayerSet;
import org.ssdspark.model.LayerSetConversion;
import org.ssdspark.nn.BatchNormFolding;
import org.ssdspark.ssd.SsdSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An mb2-ssd-lite network as an ONNX model that does what the original's {@code SSD.forward} does in test mode:
 * input {@value #INPUT} float32 [N, 3, S, S] (RGB, resized to S x S, already normalised (x - 127) / 128), outputs
 * {@value DetectionOutputs#SCORES} [N, P, C] (softmax over classes, BACKGROUND first) and
 * {@value DetectionOutputs#BOXES} [N, P, 4] (corner form x0, y0, x1, y1 relative to the image); N is dynamic.
 * Opset {@value #OPSET}. The network is the {@link BatchNormFolding} inference copy (so every BatchNorm is inside
 * its convolution's weights and bias), translated by {@link GraphTranslator}; {@link DetectionOutputs} adds
 * softmax and box decoding. The class names go into the model's metadata ({@value #LABELS_KEY}, one per line).
 */
public final class OnnxExport {
    public static final int OPSET = 13;
    /** The IR version that opset 13 came with; runtimes read it as the format's version. */
    public static final long IR_VERSION = 7;
    public static final String INPUT = "input";
    public static final String SCORES = DetectionOutputs.SCORES;
    public static final String BOXES = DetectionOutputs.BOXES;
    public static final String LABELS_KEY = "labels";
    private static final String BATCH = "N";
    private static final String PRODUCER = "ssdlite-spark";

    private OnnxExport() {
    }

    /**
     * @param classes the object classes in label order, without BACKGROUND (label 0)
     * @throws UnsupportedGraphException when the graph is not of mb2-ssd-lite layout
     */
    public static OnnxModel of(ComputationGraph graph, SsdLiteConfig config, List<String> classes, String description) {
        int side = config.imageSize();
        int numClasses = config.numClasses();
        SsdSpec spec = SsdSpec.forImageSize(side);
        checkOutputWidth(graph, config, spec);

        OnnxGraph onnx = new OnnxGraph();
        String input = onnx.input(INPUT, List.of(BATCH, 3L, (long) side, (long) side));
        // a network of DL4J's stock layers (trained on a card) is rebuilt in this project's, whose BatchNorms fold
        ComputationGraph foldable = LayerSetConversion.to(LayerSet.CPU, graph);
        String raw = new GraphTranslator(BatchNormFolding.fold(foldable), onnx).translate(input);
        DetectionOutputs.append(onnx, raw, spec, numClasses);
        onnx.output(SCORES, List.of(BATCH, (long) spec.numPriors(), (long) numClasses));
        onnx.output(BOXES, List.of(BATCH, (long) spec.numPriors(), 4L));

        String doc = "mb2-ssd-lite (qfgaohao/pytorch-ssd layout) from " + description + ": " + spec.numPriors()
                + " priors, " + numClasses + " classes incl. BACKGROUND, width " + config.widthMultiplier() + ", " + side
                + " px. Input: RGB resized to " + side + "x" + side + ", (x - 127) / 128, NCHW. Outputs: softmax scores;"
                + " boxes in corner form relative to the image. BatchNorm folded into the convolutions.";
        Map<String, String> metadata = new LinkedHashMap<>();
        List<String> labels = new ArrayList<>();
        labels.add("BACKGROUND");
        labels.addAll(classes);
        metadata.put(LABELS_KEY, String.join("\n", labels));
        String version = OnnxExport.class.getPackage().getImplementationVersion();
        byte[] bytes = OnnxMessages.model(IR_VERSION, OPSET, PRODUCER, version == null ? "dev" : version, doc,
                onnx.encode("mb2-ssd-lite", doc), metadata);
        return new OnnxModel(bytes, OPSET, IR_VERSION, onnx.inputSummaries(), onnx.outputSummaries(), onnx.opTypes(),
                onnx.parameters());
    }

    /** The output must be the P*C logits and P*4 regressions of the prior table that the outputs decode against. */
    private static void checkOutputWidth(ComputationGraph graph, SsdLiteConfig config, SsdSpec spec) {
        int side = config.imageSize();
        if (FeatureMapSizes.numPriors(config) != spec.numPriors()) {
            throw new UnsupportedGraphException("the prior table for " + side + " px has " + spec.numPriors()
                    + " priors but the network's heads predict " + FeatureMapSizes.numPriors(config));
        }
        var conf = graph.getConfiguration();
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new UnsupportedGraphException("the graph has inputs " + conf.getNetworkInputs() + " and outputs "
                    + conf.getNetworkOutputs() + "; mb2-ssd-lite has one of each");
        }
        Map<String, InputType> types;
        try {
            types = conf.getLayerActivationTypes(InputType.convolutional(side, side, 3));
        } catch (RuntimeException e) {
            throw new UnsupportedGraphException("the graph does not take a [N, 3, " + side + ", " + side + "] image: "
                    + e.getMessage());
        }
        // DL4J types a LossLayer's output by its unset nOut (0); it passes its input on, so that is what to check
        String last = conf.getNetworkOutputs().get(0);
        if (conf.getVertices().get(last) instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof LossLayer
                && conf.getVertexInputs().get(last).size() == 1) {
            last = conf.getVertexInputs().get(last).get(0);
        }
        InputType out = types.get(last);
        long expected = (long) spec.numPriors() * (config.numClasses() + 4);
        if (out == null || out.getType() != InputType.Type.FF || out.arrayElementsPerExample() != expected) {
            throw new UnsupportedGraphException("the network's output (\"" + last + "\") is "
                    + out + "; mb2-ssd-lite's is " + expected + " values per image (" + spec.numPriors()
                    + " priors x (" + config.numClasses() + " classes + 4 box coordinates))");
        }
    }
}
