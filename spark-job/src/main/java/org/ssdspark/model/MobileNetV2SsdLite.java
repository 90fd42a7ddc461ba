package org.ssdspark.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;

import java.util.ArrayList;
import java.util.List;

/**
 * mb2-ssd-lite of qfgaohao/pytorch-ssd as a DL4J {@link ComputationGraph}.
 *
 * <p>Input {@value #INPUT}: [B, 3, S, S] NCHW. One output, the {@link LossLayer} {@value #OUTPUT}, whose input
 * (and, with identity activation, output) is [B, P*C + P*4]: the class logits of all P priors, prior-major
 * ([prior][class]), then their box regressions ([prior][4]). Priors are in the reference's order: level,
 * then y, then x, then anchor.
 *
 * <p>Layers carry the reference's state_dict module names ({@code base_net.14.conv.3},
 * {@code extras.0.conv.7}, {@code classification_headers.5}, ...); residual adds are {@code base_net.N.add}.
 * BatchNorm layers (DL4J BatchNormalizations to the importer and the trainer) apply the following ReLU6 themselves;
 * the ReLU6 module's index stays in the graph as a pass-through vertex. The layers are those of one {@link LayerSet},
 * by default the one {@link LayerSetChoice} picks for this JVM's ND4J backend; both sets make the same graph.
 */
public final class MobileNetV2SsdLite {

    public static final String INPUT = "input";
    public static final String OUTPUT = "loss";
    /** Vertex holding the concatenated head outputs (what {@link #OUTPUT} receives). */
    public static final String PREDICTIONS = "predictions";
    public static final String BASE_NET = "base_net";
    public static final String EXTRAS = "extras";
    public static final String CLASSIFICATION_HEADERS = "classification_headers";
    public static final String REGRESSION_HEADERS = "regression_headers";
    public static final int BOX_COORDINATES = 4;

    private MobileNetV2SsdLite() {
    }

    /** Settings used when the caller gives none: float32, plain SGD (the trainer replaces the updater). */
    public static NeuralNetConfiguration.Builder defaultBase() {
        return new NeuralNetConfiguration.Builder()
                .seed(12345)
                .dataType(DataType.FLOAT)
                .updater(new Sgd(0.01));
    }

    public static ComputationGraph build(SsdLiteConfig config, ILossFunction loss) {
        return build(config, loss, defaultBase());
    }

    /** An initialised graph; see {@link #configuration(SsdLiteConfig, ILossFunction, NeuralNetConfiguration.Builder)}. */
    public static ComputationGraph build(SsdLiteConfig config, ILossFunction loss, NeuralNetConfiguration.Builder base) {
        ComputationGraph graph = new ComputationGraph(configuration(config, loss, base));
        initialise(graph);
        return graph;
    }

    /**
     * {@code graph.init()} and the original's from-scratch initialisation that the configuration cannot express
     * (uniform convolution biases, {@link ReferenceInitialisation}), seeded by the configuration's seed.
     */
    public static void initialise(ComputationGraph graph) {
        graph.init();
        ReferenceInitialisation.torchDefaultBiases(graph, graph.getConfiguration().getDefaultConfiguration().getSeed());
    }

    /**
     * @param base global settings (seed, data type, updater, regularisation); this method sets {@code miniBatch(false)}
     *             on it because the SSD loss normalises by the number of positive priors, not by the batch size.
     *             Weight initialisation is per layer, as in the reference ({@link ConvInit}).
     */
    public static ComputationGraphConfiguration configuration(SsdLiteConfig config, ILossFunction loss,
                                                              NeuralNetConfiguration.Builder base) {
        return configuration(config, loss, base, LayerSetChoice.forThisJvm());
    }

    /** As {@link #configuration(SsdLiteConfig, ILossFunction, NeuralNetConfiguration.Builder)}, with {@code set}'s layers. */
    public static ComputationGraphConfiguration configuration(SsdLiteConfig config, ILossFunction loss,
                                                              NeuralNetConfiguration.Builder base, LayerSet set) {
        MobileNetV2Plan plan = MobileNetV2Plan.of(config.widthMultiplier());
        GraphBuilder graph = base.miniBatch(false).graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(config.imageSize(), config.imageSize(), 3));
        ReferenceLayers layers = new ReferenceLayers(graph, set);

        List<String> sources = new ArrayList<>();
        String x = convBnRelu6(layers, BASE_NET + ".0", INPUT, 3, plan.stemChannels(), 3, 2);
        for (int i = 0; i < plan.blocks().size(); i++) {
            int module = i + 1;
            InvertedResidualSpec block = plan.blocks().get(i);
            String firstSource = module == MobileNetV2Plan.FIRST_SOURCE_BLOCK ? BASE_NET + "." + module + ".conv.2" : null;
            x = invertedResidual(layers, BASE_NET + "." + module, x, block, ConvInit.MOBILENET_NORMAL);
            if (firstSource != null) {
                sources.add(firstSource);
            }
        }
        x = convBnRelu6(layers, BASE_NET + "." + plan.lastModuleIndex(), x, plan.blocks().get(plan.blocks().size() - 1).out(),
                plan.lastChannels(), 1, 1);
        sources.add(x);
        for (int i = 0; i < plan.extras().size(); i++) {
            x = invertedResidual(layers, EXTRAS + "." + i, x, plan.extras().get(i), ConvInit.TORCH_DEFAULT);
            sources.add(x);
        }

        int[] channels = plan.headInputChannels();
        int anchors = config.numPriorsPerLocation();
        List<String> confidences = new ArrayList<>();
        List<String> locations = new ArrayList<>();
        for (int level = 0; level < sources.size(); level++) {
            boolean last = level == sources.size() - 1;
            confidences.add(head(graph, layers, CLASSIFICATION_HEADERS + "." + level, sources.get(level), channels[level],
                    anchors * config.numClasses(), last));
            locations.add(head(graph, layers, REGRESSION_HEADERS + "." + level, sources.get(level), channels[level],
                    anchors * BOX_COORDINATES, last));
        }
        List<String> predictions = new ArrayList<>(confidences);
        predictions.addAll(locations);
        graph.addVertex(PREDICTIONS, new MergeVertex(), predictions.toArray(String[]::new));
        graph.addLayer(OUTPUT, new LossLayer.Builder(loss).activation(Activation.IDENTITY).build(), PREDICTIONS);
        graph.setOutputs(OUTPUT);
        return graph.build();
    }

    /** Width of the {@link #OUTPUT} activations: P*C class logits then P*4 regressions. */
    public static int outputWidth(SsdLiteConfig config) {
        return FeatureMapSizes.numPriors(config) * (config.numClasses() + BOX_COORDINATES);
    }

    /** {@code conv_bn} / {@code conv_1x1_bn}: convolution without bias, BatchNorm, ReLU6 (modules .0, .1, .2). */
    private static String convBnRelu6(ReferenceLayers layers, String prefix, String input, int in, int out, int kernel,
                                      int stride) {
        String c = layers.conv(prefix + ".0", input, in, out, kernel, stride, false, ConvInit.MOBILENET_NORMAL);
        return layers.batchNormRelu6(prefix + ".1", prefix + ".2", c, out);
    }

    /** {@code InvertedResidual} with {@code use_batch_norm=True}, ReLU6; module indices as in its {@code conv} Sequential. */
    private static String invertedResidual(ReferenceLayers layers, String prefix, String input, InvertedResidualSpec spec,
                                           ConvInit init) {
        String conv = prefix + ".conv.";
        int hidden = spec.hidden();
        int index = 0;
        String x = input;
        if (spec.expands()) {
            x = layers.conv(conv + index++, x, spec.in(), hidden, 1, 1, false, init);
            x = layers.batchNormRelu6(conv + index, conv + (index + 1), x, hidden);
            index += 2;
        }
        x = layers.depthwise(conv + index++, x, hidden, spec.stride(), false, init);
        x = layers.batchNormRelu6(conv + index, conv + (index + 1), x, hidden);
        index += 2;
        x = layers.conv(conv + index++, x, hidden, spec.out(), 1, 1, false, init);
        x = layers.batchNorm(conv + index, x, spec.out());
        return spec.residual() ? layers.add(prefix + ".add", input, x) : x;
    }

    /**
     * A prediction head: {@code SeperableConv2d} (depthwise 3x3 with bias, BatchNorm, ReLU6, pointwise 1x1 with bias)
     * or, on the last level, a plain 1x1 convolution; then flattened channels-last.
     */
    private static String head(GraphBuilder graph, ReferenceLayers layers, String prefix, String input, int in, int out,
                               boolean plain) {
        String x;
        if (plain) {
            x = layers.conv(prefix, input, in, out, 1, 1, true, ConvInit.TORCH_DEFAULT);
        } else {
            x = layers.depthwise(prefix + ".0", input, in, 1, true, ConvInit.TORCH_DEFAULT);
            x = layers.batchNormRelu6(prefix + ".1", prefix + ".2", x, in);
            x = layers.conv(prefix + ".3", x, in, out, 1, 1, true, ConvInit.TORCH_DEFAULT);
        }
        String flat = prefix + ".flatten";
        graph.addVertex(flat, new ChannelsLastFlattenVertex(), x);
        return flat;
    }
}
