package org.ssdspark.train;

import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.ssdspark.checkpoint.SsdCheckpoint;
import org.ssdspark.checkpoint.TrainingState;
import org.ssdspark.model.LayerSet;
import org.ssdspark.model.SsdLiteWeightImporter;
import org.ssdspark.torch.TorchCheckpointReader;
import org.ssdspark.train.optim.ReferenceSgd;
import org.ssdspark.train.optim.WeightDecayAudit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The training job's network built with the CPU layer set and with the stock one (the set a CUDA backend gets), on
 * CPU in float64, from the same weights (the reference trajectory's {@code init.pth}): the same graph and parameter
 * layout, the same forward pass in training and inference mode, the same gradients, the same parameters, running
 * statistics and momentum after one training step of the job's SGD; and a checkpoint of either set resumes in the
 * other.
 *
 * <p>A difference is the largest absolute difference over a family of tensors (all activations, all gradients, all
 * weights, ...) divided by the family's largest magnitude, as {@link TrajectoryFixture#compare} measures against the
 * reference: many quantities here are zero in exact arithmetic (the running mean of a BatchNorm fed by a bias-free
 * convolution of another BatchNorm's output, the gradient of a beta whose output feeds a BatchNorm), and their rounding
 * noise has no meaningful size of its own.
 */
class LayerSetParityTest {

    /** Inference-mode forward: the running statistics make each BatchNorm an affine map (measured: 3.6e-16). */
    static final double INFERENCE_TOLERANCE = 1e-13;
    /**
     * Training-mode forward: batch statistics of channels whose mean is large against their spread (and the 1x1 maps
     * of the last levels, 8 values a channel) amplify each BatchNorm's rounding, ~50 of them deep (measured: 7.8e-12;
     * the loss 2.3e-14).
     */
    static final double TRAINING_TOLERANCE = 1e-10;
    /** Gradients: the training-mode forward's differences through BatchNorm backward (measured: 3.8e-11). */
    static final double GRADIENT_TOLERANCE = 1e-9;
    /**
     * Weights, running statistics and momentum after one SGD step (measured: 3.9e-11, 8.8e-13, 3.8e-11; after a
     * checkpoint crossed sets and one more step: 4.2e-12, 2.1e-14, 8.6e-12). TrajectoryParityTest's bound against
     * PyTorch.
     */
    static final double STEP_TOLERANCE = 1e-9;

    @TempDir
    Path tmp;

    private static ComputationGraph network(LayerSet layers) throws Exception {
        ComputationGraph graph = TrainingJob.trainingNetwork(TrajectoryFixture.CONFIG, TrajectoryFixture.sgd(), 1,
                DataType.DOUBLE, layers);
        SsdLiteWeightImporter.importStateDict(graph,
                TorchCheckpointReader.readStateDict(TrajectoryFixture.dir().resolve("init.pth")));
        assertEquals(layers, LayerSet.of(graph.getConfiguration()).orElseThrow());
        return graph;
    }

    @Test
    void bothSetsMakeTheSameGraphAndParameterLayout() throws Exception {
        ComputationGraph cpu = network(LayerSet.CPU);
        ComputationGraph stock = network(LayerSet.STOCK);
        assertEquals(new ArrayList<>(cpu.getConfiguration().getVertices().keySet()),
                new ArrayList<>(stock.getConfiguration().getVertices().keySet()), "vertex names and order");
        assertEquals(cpu.getConfiguration().getVertexInputs(), stock.getConfiguration().getVertexInputs(), "wiring");
        Layer[] a = cpu.getLayers();
        Layer[] b = stock.getLayers();
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            String name = a[i].conf().getLayer().getLayerName();
            assertEquals(name, b[i].conf().getLayer().getLayerName(), "layer " + i);
            assertEquals(new ArrayList<>(a[i].paramTable().keySet()), new ArrayList<>(b[i].paramTable().keySet()), name);
            for (Map.Entry<String, INDArray> p : a[i].paramTable().entrySet()) {
                assertArrayEquals(p.getValue().shape(), b[i].paramTable().get(p.getKey()).shape(), name + "_" + p.getKey());
            }
        }
        // the same flattening: the same weights give the same flat vector, and the same updater blocks over it
        assertEquals(cpu.params(), stock.params(), "init.pth flattens identically");
        List<UpdaterBlock> ua = cpu.getUpdater().getUpdaterBlocks();
        List<UpdaterBlock> ub = stock.getUpdater().getUpdaterBlocks();
        assertEquals(ua.size(), ub.size(), "updater blocks");
        for (int i = 0; i < ua.size(); i++) {
            assertEquals(ua.get(i).getParamOffsetStart(), ub.get(i).getParamOffsetStart(), "updater block " + i);
            assertEquals(ua.get(i).getParamOffsetEnd(), ub.get(i).getParamOffsetEnd(), "updater block " + i);
            assertEquals(ua.get(i).getUpdaterViewOffsetStart(), ub.get(i).getUpdaterViewOffsetStart(), "updater block " + i);
            assertEquals(ua.get(i).getGradientUpdater().getConfig(), ub.get(i).getGradientUpdater().getConfig(),
                    "updater block " + i);
        }
        assertEquals(SsdLiteWeightImporter.stateDict(cpu).keySet(), SsdLiteWeightImporter.stateDict(stock).keySet(),
                "the same PyTorch names");
        // the job's check that every parameter trains as the reference's SGD (weight decay on BatchNorm too)
        assertEquals(List.of(), WeightDecayAudit.untreated(stock, ReferenceSgd.WEIGHT_DECAY));
        assertEquals(List.of(), WeightDecayAudit.untreated(cpu, ReferenceSgd.WEIGHT_DECAY));
    }

    @Test
    void forwardBackwardAndOneTrainingStepAgree() throws Exception {
        ComputationGraph cpu = network(LayerSet.CPU);
        ComputationGraph stock = network(LayerSet.STOCK);
        MultiDataSet batch = TrajectoryFixture.batch(0);
        INDArray x = batch.getFeatures(0);

        Difference inference = compare(Map.of("output", cpu.outputSingle(false, x)),
                Map.of("output", stock.outputSingle(false, x)));
        Difference training = compare(cpu.feedForward(x, true), stock.feedForward(x, true));

        cpu.setInputs(x);
        cpu.setLabels(batch.getLabels(0));
        cpu.computeGradientAndScore();
        stock.setInputs(x);
        stock.setLabels(batch.getLabels(0));
        stock.computeGradientAndScore();
        Difference gradients = compare(cpu.gradient().gradientForVariable(), stock.gradient().gradientForVariable());
        double loss = Math.abs(cpu.score() - stock.score()) / Math.abs(cpu.score());

        cpu.fit(batch);
        stock.fit(batch);
        Step step = Step.of(cpu, stock);
        System.out.printf("layer sets, float64: forward inference %s, training %s; loss %.2e; gradients %s;"
                + " after one step %s%n", inference, training, loss, gradients, step);
        inference.require(INFERENCE_TOLERANCE, "inference-mode forward");
        training.require(TRAINING_TOLERANCE, "training-mode forward");
        assertTrue(loss <= TRAINING_TOLERANCE, "loss differs by " + loss);
        gradients.require(GRADIENT_TOLERANCE, "gradients");
        step.require(STEP_TOLERANCE);
    }

    @Test
    void checkpointsOfEitherSetResumeInTheOther() throws Exception {
        MultiDataSet first = TrajectoryFixture.batch(0);
        MultiDataSet second = TrajectoryFixture.batch(1);
        for (LayerSet writer : LayerSet.values()) {
            LayerSet reader = writer == LayerSet.CPU ? LayerSet.STOCK : LayerSet.CPU;
            ComputationGraph trained = network(writer);
            trained.fit(first); // momentum and running statistics away from their initial values
            trained.getConfiguration().setEpochCount(1);
            org.apache.hadoop.fs.Path folder = SsdCheckpoint.save(tmp.resolve(writer.label()).toString(), new Configuration(), trained,
                    List.of("a", "b", "c"), TrajectoryFixture.CONFIG, new TrainingState(0, 1, TrajectoryFixture.LR, "{}",
                            Double.NaN), "{}");
            ComputationGraph resumed = SsdCheckpoint.load(folder.toString(), new Configuration(), reader).graph();

            assertEquals(reader, LayerSet.of(resumed.getConfiguration()).orElseThrow(), writer + " -> " + reader);
            // carried over bit for bit
            assertIdentical(trained.params(), resumed.params(), writer + " -> " + reader + ": parameters");
            assertIdentical(trained.getUpdater().getStateViewArray(), resumed.getUpdater().getStateViewArray(),
                    writer + " -> " + reader + ": updater state");
            assertEquals(trained.getConfiguration().getIterationCount(), resumed.getConfiguration().getIterationCount());
            assertEquals(1, resumed.getConfiguration().getEpochCount());
            assertIdentical(trained.params(), SsdCheckpoint.load(folder.toString(), new Configuration(), writer).graph()
                    .params(), writer + " -> " + writer);

            // the resumed network trains on as the one that wrote it
            trained.fit(second);
            resumed.fit(second);
            Step step = Step.of(trained, resumed);
            System.out.printf("checkpoint %s -> %s, then one step: %s%n", writer, reader, step);
            step.require(STEP_TOLERANCE);
        }
    }

    private static void assertIdentical(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        assertEquals(0.0, actual.sub(expected).amaxNumber().doubleValue(), what);
    }

    /** Weights, running statistics and updater state (SGD's momentum) of two networks. */
    private record Step(Difference weights, Difference statistics, Difference momentum) {
        static Step of(ComputationGraph expected, ComputationGraph actual) {
            Map<String, INDArray> a = SsdLiteWeightImporter.stateDict(expected);
            Map<String, INDArray> b = SsdLiteWeightImporter.stateDict(actual);
            return new Step(compare(filter(a, false), filter(b, false)), compare(filter(a, true), filter(b, true)),
                    compare(Map.of("updater state", expected.getUpdater().getStateViewArray()),
                            Map.of("updater state", actual.getUpdater().getStateViewArray())));
        }

        private static Map<String, INDArray> filter(Map<String, INDArray> state, boolean statistics) {
            Map<String, INDArray> out = new java.util.LinkedHashMap<>();
            state.forEach((k, v) -> {
                if (TrajectoryFixture.isRunningStatistic(k) == statistics) {
                    out.put(k, v);
                }
            });
            return out;
        }

        void require(double tolerance) {
            weights.require(tolerance, "weights");
            statistics.require(tolerance, "running statistics");
            momentum.require(tolerance, "momentum");
        }

        @Override
        public String toString() {
            return "weights " + weights + ", running statistics " + statistics + ", momentum " + momentum;
        }
    }

    /** The largest absolute difference over a family of tensors relative to its largest magnitude, and where. */
    private record Difference(double relative, String at) {
        void require(double tolerance, String what) {
            assertTrue(relative <= tolerance, what + " differ by " + this);
        }

        @Override
        public String toString() {
            return String.format("%.2e (%s)", relative, at);
        }
    }

    private static Difference compare(Map<String, INDArray> expected, Map<String, INDArray> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        double scale = 0;
        double worst = 0;
        String at = "-";
        for (Map.Entry<String, INDArray> e : expected.entrySet()) {
            INDArray other = actual.get(e.getKey());
            assertArrayEquals(e.getValue().shape(), other.shape(), e.getKey());
            scale = Math.max(scale, e.getValue().amaxNumber().doubleValue());
            double d = other.sub(e.getValue()).amaxNumber().doubleValue();
            if (d > worst || Double.isNaN(d)) {
                worst = d;
                at = e.getKey();
            }
        }
        return new Difference(worst / scale, at);
    }
}
