package org.ssdspark.checkpoint;

import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.ssdspark.model.ChannelsLastFlattenVertex;
import org.ssdspark.model.SsdLiteConfig;
import org.ssdspark.nn.BatchNormRelu6;
import org.ssdspark.nn.DepthwiseConvolution3x3;
import org.ssdspark.nn.DirectConvolution;
import org.ssdspark.nn.PassThroughVertex;
import org.ssdspark.nn.PointwiseConvolution;
import org.ssdspark.nn.WeightDecayedBatchNormalization;
import org.ssdspark.train.optim.ReferenceSgd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A network small enough to keep in the repository that holds one of each of the project's classes whose names
 * DL4J writes into a checkpoint's configuration JSON: the layer configurations of {@code nn}, both vertices, the
 * updater {@code SgdMomentum} with both schedules (not the SSD losses: they need the SSD's output layout). The
 * mb2-ssd-lite itself, even at width 0.25, is several MB with its updater state.
 *
 * <p>{@link #main} writes it, trained a few steps so that running statistics and momentum are not trivial, with
 * {@link SsdCheckpoint#save}: run it before moving or renaming one of these classes, to keep a checkpoint with
 * the names as they were (see {@code src/test/fixtures/legacy-checkpoints/README.md}).
 */
final class ClassNamesCheckpoint {

    static final List<String> CLASSES = List.of("circle", "square");
    static final SsdLiteConfig CONFIG = new SsdLiteConfig(CLASSES.size() + 1, 0.25, 8, 6);
    static final int CHANNELS = 4;
    static final int OUT_CHANNELS = 6;
    static final long SEED = 15;
    static final ReferenceSgd COSINE = ReferenceSgd.cosine(0.05, 10, 1);
    static final ReferenceSgd MULTI_STEP = ReferenceSgd.multiStep(0.02, new int[] {1, 3}, 0);

    private ClassNamesCheckpoint() {
    }

    /**
     * input [B, 3, 8, 8] -> direct 3x3 conv -> weight-decayed BN -> fused BN + ReLU6 -> pass-through -> depthwise
     * 3x3 stride 2 -> pointwise (its own multi-step updater) -> channels-last flatten -> MSE loss; cosine SGD.
     */
    static ComputationGraph network() {
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(SEED)
                .dataType(DataType.FLOAT)
                .miniBatch(false)
                .weightInit(WeightInit.XAVIER);
        COSINE.applyTo(base);
        ComputationGraphConfiguration conf = base.graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.convolutional(CONFIG.imageSize(), CONFIG.imageSize(), 3))
                .addLayer("conv", DirectConvolution.of(new ConvolutionLayer.Builder(3, 3).stride(1, 1).padding(1, 1)
                        .convolutionMode(ConvolutionMode.Truncate).nOut(CHANNELS).hasBias(false)
                        .activation(Activation.IDENTITY).build()), "input")
                .addLayer("bn", WeightDecayedBatchNormalization.of(batchNorm()), "conv")
                .addLayer("bnRelu6", BatchNormRelu6.of(batchNorm(), true), "bn")
                .addVertex("relu6", new PassThroughVertex(), "bnRelu6")
                .addLayer("depthwise", DepthwiseConvolution3x3.of(new DepthwiseConvolution2D.Builder(3, 3)
                        .stride(2, 2).padding(1, 1).convolutionMode(ConvolutionMode.Truncate).depthMultiplier(1)
                        .nOut(CHANNELS).hasBias(true).activation(Activation.IDENTITY).build()), "relu6")
                .addLayer("pointwise", PointwiseConvolution.of(new ConvolutionLayer.Builder(1, 1).stride(1, 1)
                        .padding(0, 0).convolutionMode(ConvolutionMode.Truncate).nOut(OUT_CHANNELS).hasBias(true)
                        .activation(Activation.IDENTITY).updater(MULTI_STEP.updater()).build()), "depthwise")
                .addVertex("flatten", new ChannelsLastFlattenVertex(), "pointwise")
                .addLayer("loss", new LossLayer.Builder(new LossMSE()).activation(Activation.IDENTITY).build(),
                        "flatten")
                .setOutputs("loss")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    private static BatchNormalization batchNorm() {
        return new BatchNormalization.Builder().nOut(CHANNELS).eps(1e-5).decay(0.9).useLogStd(false).build();
    }

    /** A seeded input batch [size, 3, 8, 8]. */
    static INDArray input(long seed, int size) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, size, 3, CONFIG.imageSize(), CONFIG.imageSize()).subi(0.5).muli(4);
    }

    /** Width of the loss layer's input: [y][x][channel] of the 4x4 pointwise output. */
    static int outputWidth() {
        int side = CONFIG.imageSize() / 2;
        return side * side * OUT_CHANNELS;
    }

    /** {@code ClassNamesCheckpoint FOLDER}: trains three epochs of two steps and writes checkpoint-epoch-2 there. */
    public static void main(String[] args) throws IOException {
        Path folder = Path.of(args[0]);
        ComputationGraph graph = network();
        int epochs = 3;
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int step = 0; step < 2; step++) {
                long seed = 100L * epoch + step;
                Nd4j.getRandom().setSeed(seed + 50);
                INDArray labels = Nd4j.rand(DataType.FLOAT, 4, outputWidth()).subi(0.5);
                graph.fit(new INDArray[] {input(seed, 4)}, new INDArray[] {labels});
            }
            graph.incrementEpochCount();
        }
        SsdCheckpoint.save(folder.toAbsolutePath().toUri().toString(), new Configuration(), graph, CLASSES, CONFIG,
                new TrainingState(epochs - 1, graph.getConfiguration().getIterationCount(),
                        COSINE.learningRate().valueAt(0, epochs - 1), "{}", Double.NaN),
                "{\"writtenBy\":\"" + ClassNamesCheckpoint.class.getName() + "\"}");
    }
}
