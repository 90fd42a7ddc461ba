package org.ssdspark.checkpoint;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.ssdspark.model.LayerSet;
import org.ssdspark.model.LayerSetChoice;
import org.ssdspark.model.LayerSetConversion;
import org.ssdspark.model.SsdLiteConfig;
import org.ssdspark.spark.HadoopPaths;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A training checkpoint on any Hadoop filesystem: a folder {@code checkpoint-epoch-<N>/} (N the last completed
 * epoch, 0-based) holding {@code model.zip} (DL4J's ModelSerializer: configuration with its epoch and iteration
 * counters and the learning-rate schedule, parameters, updater state) and {@code checkpoint.json}
 * ({@link CheckpointMetadata}: classes, network shape, epoch, iteration, learning rate, schedule, the resolved
 * job configuration, a format version).
 *
 * <p>Written atomically: everything goes to {@code .checkpoint-epoch-<N>.tmp-<uuid>/} first, which is renamed to
 * its final name once complete; readers ignore names starting with a dot. A folder of checkpoints resolves to
 * its highest epoch.
 */
public record SsdCheckpoint(ComputationGraph graph, List<String> classes, SsdLiteConfig config, TrainingState state,
                            String resolvedConfig, Path location) {

    public static final int FORMAT_VERSION = 1;
    public static final String PREFIX = "checkpoint-epoch-";
    public static final String MODEL_FILE = "model.zip";
    public static final String METADATA_FILE = "checkpoint.json";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * Writes a checkpoint into {@code folderUri} (created if needed) and returns its final path.
     *
     * @param classes class names in label order without BACKGROUND
     */
    public static Path save(String folderUri, Configuration conf, ComputationGraph graph, List<String> classes,
                            SsdLiteConfig config, TrainingState state, String resolvedConfig) throws IOException {
        Path folder = HadoopPaths.qualify(folderUri, conf);
        FileSystem fs = folder.getFileSystem(conf);
        fs.mkdirs(folder);
        String name = PREFIX + state.epoch();
        Path tmp = new Path(folder, "." + name + ".tmp-" + UUID.randomUUID());
        Path target = new Path(folder, name);
        try {
            fs.mkdirs(tmp);
            try (FSDataOutputStream out = fs.create(new Path(tmp, MODEL_FILE), false)) {
                ModelSerializer.writeModel(graph, out, true);
            }
            CheckpointMetadata meta = new CheckpointMetadata(FORMAT_VERSION, List.copyOf(classes), config.numClasses(),
                    config.widthMultiplier(), config.imageSize(), config.numPriorsPerLocation(), state.epoch(),
                    state.iteration(), state.learningRate(), state.schedule(),
                    Double.isFinite(state.validationLoss()) ? state.validationLoss() : null, resolvedConfig,
                    Instant.now().toString());
            try (FSDataOutputStream out = fs.create(new Path(tmp, METADATA_FILE), false)) {
                out.write(JSON.writeValueAsBytes(meta));
            }
            if (fs.exists(target)) {
                // Only a fresh run re-training into an old folder gets here; the new checkpoint is complete by now.
                fs.delete(target, true);
            }
            if (!fs.rename(tmp, target)) {
                throw new IOException("could not rename " + tmp + " to " + target);
            }
        } catch (IOException | RuntimeException e) {
            fs.delete(tmp, true);
            throw e;
        }
        return target;
    }

    /**
     * Loads a checkpoint: {@code uri} is a {@code checkpoint-epoch-N} folder, or a folder of them (the highest
     * epoch is taken). A missing, incomplete or unreadable checkpoint gives a {@link CorruptCheckpointException}
     * naming the file.
     */
    public static SsdCheckpoint load(String uri, Configuration conf) throws IOException {
        return load(uri, conf, LayerSetChoice.forThisJvm());
    }

    /**
     * As {@link #load(String, Configuration)}, the network in {@code layers}: DL4J's JSON names the layer classes
     * of the run that wrote it, so one written with the other set (a GPU run's, resumed on CPU, or the reverse) is
     * rebuilt with {@code layers}' layers, holding the same parameters and updater state
     * ({@link LayerSetConversion}).
     */
    public static SsdCheckpoint load(String uri, Configuration conf, LayerSet layers) throws IOException {
        Path path = HadoopPaths.qualify(uri, conf);
        FileSystem fs = path.getFileSystem(conf);
        if (!fs.exists(path)) {
            throw new CorruptCheckpointException("No checkpoint at " + path);
        }
        Path dir = fs.exists(new Path(path, METADATA_FILE)) || NAME.matcher(path.getName()).matches()
                ? path : latestIn(fs, path);
        CheckpointMetadata meta = readMetadata(fs, new Path(dir, METADATA_FILE));
        Path modelFile = new Path(dir, MODEL_FILE);
        if (!fs.exists(modelFile)) {
            throw new CorruptCheckpointException("Checkpoint " + dir + " has no " + MODEL_FILE);
        }
        ComputationGraph graph;
        try (InputStream in = fs.open(modelFile)) {
            graph = ModelSerializer.restoreComputationGraph(in, true);
        } catch (Exception e) {
            throw new CorruptCheckpointException("Checkpoint model " + modelFile + " is unreadable: " + e, e);
        }
        graph = LayerSetConversion.to(layers, graph);
        SsdLiteConfig config = new SsdLiteConfig(meta.numClasses(), meta.widthMult(), meta.imageSize(),
                meta.priorsPerLocation());
        TrainingState state = new TrainingState(meta.epoch(), meta.iteration(), meta.learningRate(), meta.schedule(),
                meta.validationLoss() == null ? Double.NaN : meta.validationLoss());
        return new SsdCheckpoint(graph, meta.classes(), config, state, meta.config(), dir);
    }

    /** The highest-epoch complete checkpoint in a folder. */
    public static Path latestIn(FileSystem fs, Path folder) throws IOException {
        Path best = null;
        int bestEpoch = -1;
        for (FileStatus s : fs.listStatus(folder)) {
            Matcher m = NAME.matcher(s.getPath().getName());
            if (s.isDirectory() && m.matches() && Integer.parseInt(m.group(1)) > bestEpoch) {
                bestEpoch = Integer.parseInt(m.group(1));
                best = s.getPath();
            }
        }
        if (best == null) {
            throw new CorruptCheckpointException("No " + PREFIX + "N folder in " + folder);
        }
        return best;
    }

    static CheckpointMetadata readMetadata(FileSystem fs, Path file) throws IOException {
        if (!fs.exists(file)) {
            throw new CorruptCheckpointException("Checkpoint " + file.getParent() + " has no " + METADATA_FILE);
        }
        CheckpointMetadata meta;
        try (InputStream in = fs.open(file)) {
            meta = JSON.readValue(in, CheckpointMetadata.class);
        } catch (Exception e) {
            throw new CorruptCheckpointException("Checkpoint metadata " + file + " is unreadable: " + e.getMessage(), e);
        }
        if (meta.formatVersion() != FORMAT_VERSION) {
            throw new CorruptCheckpointException("Checkpoint metadata " + file + " has format version "
                    + meta.formatVersion() + "; this build reads version " + FORMAT_VERSION);
        }
        if (meta.classes() == null || meta.numClasses() != meta.classes().size() + 1) {
            throw new CorruptCheckpointException("Checkpoint metadata " + file + " is inconsistent: "
                    + meta.numClasses() + " classes but class list " + meta.classes());
        }
        return meta;
    }
}
