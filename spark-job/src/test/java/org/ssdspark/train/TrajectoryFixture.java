package org.ssdspark.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.ssdspark.model.SsdLiteConfig;
import org.ssdspark.model.SsdLiteWeightImporter;
import org.ssdspark.testing.ReferenceFiles;
import org.ssdspark.torch.TorchCheckpointReader;
import org.ssdspark.train.optim.ReferenceSgd;
import org.ssdspark.train.optim.SgdMomentum;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reference's training trajectory ({@code reference/trajectory/}, see its README): a width-0.25, 96 px, 4-class
 * mb2-ssd-lite with the original's from-scratch initialisation, six fixed batches of 8 inputs and matched targets,
 * and the original's float64 state after SGD steps. Everything here is float64.
 */
final class TrajectoryFixture {

    static final SsdLiteConfig CONFIG = SsdLiteConfig.of(4).withWidthMultiplier(0.25).withImageSize(96);
    static final double LR = 0.03;
    static final int BATCHES = 6;

    private TrajectoryFixture() {
    }

    static Path dir() {
        return ReferenceFiles.resolve("trajectory");
    }

    /** The reference's SGD at a fixed lr: momentum 0.9, weight decay 5e-4 on every parameter. */
    static ReferenceSgd sgd() {
        return new ReferenceSgd(new FixedSchedule(LR), ReferenceSgd.MOMENTUM, ReferenceSgd.WEIGHT_DECAY);
    }

    /** The training job's network in float64, holding {@code init.pth}. */
    static ComputationGraph initialNetwork() throws IOException {
        ComputationGraph graph = TrainingJob.trainingNetwork(CONFIG, sgd(), 1, DataType.DOUBLE);
        SsdLiteWeightImporter.importStateDict(graph, TorchCheckpointReader.readStateDict(dir().resolve("init.pth")));
        return graph;
    }

    /** Batches {@code ks} concatenated in order: inputs [8n, 3, 96, 96], labels [8n, 5P] in float64. */
    static MultiDataSet batch(int... ks) throws Exception {
        INDArray[] inputs = new INDArray[ks.length];
        INDArray[] labels = new INDArray[ks.length];
        for (int i = 0; i < ks.length; i++) {
            String stem = "batch_" + ks[i];
            inputs[i] = npy(stem + ".input.npy").castTo(DataType.DOUBLE);
            INDArray classes = npy(stem + ".labels.npy").castTo(DataType.DOUBLE);
            INDArray locations = npy(stem + ".locations.npy").castTo(DataType.DOUBLE);
            long n = classes.size(0);
            labels[i] = Nd4j.hstack(classes, locations.reshape('c', n, locations.size(1) * 4));
        }
        return new MultiDataSet(Nd4j.concat(0, inputs), Nd4j.concat(0, labels));
    }

    static INDArray npy(String name) {
        return Nd4j.createFromNpyFile(dir().resolve(name).toFile());
    }

    static Map<String, INDArray> npz(String name) throws Exception {
        return Nd4j.createFromNpzFile(dir().resolve(name).toFile());
    }

    static JsonNode json(String name) throws IOException {
        return new ObjectMapper().readTree(dir().resolve(name).toFile());
    }

    /** The graph's state in PyTorch's names and shapes. */
    static Map<String, INDArray> state(ComputationGraph graph) {
        return SsdLiteWeightImporter.stateDict(graph);
    }

    /**
     * SgdMomentum's buffer of every learned parameter, by PyTorch name and shape: the updater state laid out as
     * DL4J's updater blocks lay out their parameters.
     */
    static Map<String, INDArray> momentum(ComputationGraph graph) {
        // The state of an SgdMomentum block is laid out as the block's slice of the flat parameter vector: put it
        // there in a copy of the network and read that copy's parameters by PyTorch name.
        INDArray flat = Nd4j.zeros(graph.params().dataType(), graph.params().length());
        ComputationGraphUpdater updater = graph.getUpdater();
        for (UpdaterBlock block : updater.getUpdaterBlocks()) {
            if (block.getGradientUpdater().getConfig() instanceof SgdMomentum) {
                flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(block.getParamOffsetStart(),
                        block.getParamOffsetEnd())).assign(block.getUpdaterView().reshape(block.getUpdaterView().length()));
            }
        }
        ComputationGraph copy = graph.clone();
        copy.setParams(flat.reshape(graph.params().shape()));
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : SsdLiteWeightImporter.stateDict(copy).entrySet()) {
            if (!isRunningStatistic(e.getKey())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /**
     * PyTorch's momentum buffer after the step that took the state from {@code earlier} to {@code later}, for each of
     * {@code names}: SGD moved every parameter by lr times its buffer.
     */
    static Map<String, INDArray> momentumBetween(Map<String, INDArray> earlier, Map<String, INDArray> later,
                                                 java.util.Set<String> names) {
        Map<String, INDArray> buffers = new LinkedHashMap<>();
        for (String name : names) {
            INDArray after = later.get(name).castTo(DataType.DOUBLE);
            buffers.put(name, earlier.get(name).castTo(DataType.DOUBLE).reshape(after.shape()).sub(after).divi(LR));
        }
        return buffers;
    }

    /** Loads a state_dict given as arrays (PyTorch names and shapes, float64 kept exact) into the graph. */
    static void load(ComputationGraph graph, Map<String, INDArray> stateDict) {
        Map<String, org.ssdspark.torch.TorchTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : stateDict.entrySet()) {
            if (e.getKey().startsWith("momentum.")) {
                continue;
            }
            INDArray v = e.getValue().castTo(DataType.DOUBLE);
            tensors.put(e.getKey(), new org.ssdspark.torch.TorchTensor(e.getKey(), v.shape(),
                    v.castTo(DataType.FLOAT).dup('c').data().asFloat(), null, v.dup('c').data().asDouble()));
        }
        SsdLiteWeightImporter.importStateDict(graph, tensors);
    }

    /** Sets SgdMomentum's buffers from PyTorch-named arrays (the inverse of {@link #momentum}). */
    static void setMomentum(ComputationGraph graph, Map<String, INDArray> momentum) {
        ComputationGraph copy = graph.clone();
        Map<String, INDArray> full = new LinkedHashMap<>(state(copy));
        for (String key : full.keySet()) {
            full.put(key, isRunningStatistic(key) ? full.get(key).mul(0) : momentum.get(key));
        }
        load(copy, full);
        INDArray flat = copy.params().reshape(copy.params().length());
        for (UpdaterBlock block : graph.getUpdater().getUpdaterBlocks()) {
            if (block.getGradientUpdater().getConfig() instanceof SgdMomentum) {
                INDArray view = block.getUpdaterView();
                view.assign(flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(block.getParamOffsetStart(),
                        block.getParamOffsetEnd())).reshape(view.shape()));
            }
        }
    }

    /** Largest |a - b| over all elements of every tensor of a family, with the tensor where it occurs. */
    record Difference(double max, String at, double scale) {
        @Override
        public String toString() {
            return String.format("max |diff| %.3e at %s (largest |value| in the family %.3e)", max, at, scale);
        }
    }

    static Difference compare(Map<String, INDArray> expected, Map<String, INDArray> actual, String prefix,
                              java.util.function.Predicate<String> family) {
        double max = 0;
        double scale = 0;
        String at = "-";
        int compared = 0;
        for (Map.Entry<String, INDArray> e : expected.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(prefix) || key.endsWith("num_batches_tracked")) {
                continue;
            }
            String name = key.substring(prefix.length());
            if (!family.test(name)) {
                continue;
            }
            INDArray mine = actual.get(name);
            if (mine == null) {
                throw new AssertionError("no tensor " + name + " in ours");
            }
            INDArray ref = e.getValue().castTo(DataType.DOUBLE).reshape('c', mine.shape());
            double d = ref.sub(mine.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
            scale = Math.max(scale, ref.amaxNumber().doubleValue());
            if (d > max || Double.isNaN(d)) {
                max = d;
                at = name;
            }
            compared++;
        }
        if (compared == 0) {
            throw new AssertionError("no reference tensors under '" + prefix + "'");
        }
        return new Difference(max, at, scale);
    }

    /**
     * ||actual - expected|| / ||expected - origin|| over a family's tensors (Frobenius norm over all of them): the error
     * relative to how far the step moved the tensors from {@code origin} (or, with a null origin, to their size).
     */
    static double relativeError(Map<String, INDArray> expected, Map<String, INDArray> actual,
                                Map<String, INDArray> origin, java.util.function.Predicate<String> family) {
        double error = 0;
        double scale = 0;
        for (Map.Entry<String, INDArray> e : actual.entrySet()) {
            String name = e.getKey();
            if (!family.test(name)) {
                continue;
            }
            INDArray mine = e.getValue().castTo(DataType.DOUBLE);
            INDArray ref = expected.get(name).castTo(DataType.DOUBLE).reshape('c', mine.shape());
            INDArray base = origin == null ? ref.mul(0) : origin.get(name).castTo(DataType.DOUBLE).reshape('c', mine.shape());
            error += Math.pow(mine.sub(ref).norm2Number().doubleValue(), 2);
            scale += Math.pow(ref.sub(base).norm2Number().doubleValue(), 2);
        }
        return Math.sqrt(error / scale);
    }

    static boolean isRunningStatistic(String name) {
        return name.endsWith("running_mean") || name.endsWith("running_var");
    }
}
