package org.ssdspark.checkpoint;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;
import org.ssdspark.model.MobileNetV2SsdLite;
import org.ssdspark.model.SsdLiteConfig;
import org.ssdspark.ssd.MultiBoxLoss;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** train.keep_last / train.keep_best on real checkpoints: what is deleted, and what never is. */
class CheckpointRetentionTest {
    private static final SsdLiteConfig CONFIG = new SsdLiteConfig(3, 0.25, 32, 6);
    /** Validation loss per epoch; NaN: none computed. Epoch 3 is the best. */
    private static final double[] LOSSES = {5, 3, 4, 1, 6, Double.NaN};

    @TempDir
    Path tmp;
    private Path folder;
    private FileSystem fs;

    @BeforeEach
    void sixCheckpointsOneOfThemUnreadable() throws Exception {
        folder = tmp.resolve("models");
        Configuration conf = new Configuration();
        fs = FileSystem.getLocal(conf);
        ComputationGraph graph = MobileNetV2SsdLite.build(CONFIG, new MultiBoxLoss(),
                new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT).updater(new Sgd(0.1)));
        for (int epoch = 0; epoch < LOSSES.length; epoch++) {
            SsdCheckpoint.save(folder.toString(), conf, graph, List.of("a", "b"), CONFIG,
                    new TrainingState(epoch, 10L * epoch, 0.01, "", LOSSES[epoch]), "{}");
        }
        Files.writeString(folder.resolve("checkpoint-epoch-1/checkpoint.json"), "{ not json");
        Files.createDirectories(folder.resolve("eval"));
    }

    @Test
    void keepsTheLastTheBestAndWhatItCannotRead() throws Exception {
        List<org.apache.hadoop.fs.Path> removed = new CheckpointRetention(2, 1).apply(fs, qualified());
        assertEquals(List.of("checkpoint-epoch-0", "checkpoint-epoch-2"),
                removed.stream().map(org.apache.hadoop.fs.Path::getName).toList());
        // 1: unreadable metadata, 3: best validation loss, 4 and 5: the last two (5 is what --resume takes)
        assertEquals(List.of("checkpoint-epoch-1", "checkpoint-epoch-3", "checkpoint-epoch-4", "checkpoint-epoch-5",
                "eval"), remaining());
    }

    @Test
    void theLatestIsKeptEvenWhenNothingElseIs() throws Exception {
        new CheckpointRetention(1, 0).apply(fs, qualified());
        assertEquals(List.of("checkpoint-epoch-1", "checkpoint-epoch-5", "eval"), remaining());
        assertEquals("checkpoint-epoch-5", SsdCheckpoint.latestIn(fs, qualified()).getName());
    }

    @Test
    void zeroKeepsEverything() throws Exception {
        assertEquals(List.of(), new CheckpointRetention(0, 0).apply(fs, qualified()));
        assertEquals(7, remaining().size());
    }

    @Test
    void negativeCountsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CheckpointRetention(-1, 1));
        assertEquals("train.keep_last and train.keep_best must be >= 0, got -1 and 1", e.getMessage());
    }

    private org.apache.hadoop.fs.Path qualified() {
        return new org.apache.hadoop.fs.Path(folder.toUri());
    }

    private List<String> remaining() throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }
}
