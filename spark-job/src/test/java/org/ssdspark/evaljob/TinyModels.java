package org.ssdspark.evaljob;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;
import org.ssdspark.model.MobileNetV2SsdLite;
import org.ssdspark.model.SsdLiteConfig;
import org.ssdspark.ssd.MultiBoxLoss;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A small untrained mb2-ssd-lite (width 0.25, 32x32) for the four synthetic shape classes, fast on a CPU. */
final class TinyModels {
    static final List<String> SHAPES = List.of("circle", "square", "triangle", "star");
    static final SsdLiteConfig CONFIG = new SsdLiteConfig(SHAPES.size() + 1, 0.25, 32, 6);

    private TinyModels() {
    }

    static LoadedModel model() {
        ComputationGraph graph = MobileNetV2SsdLite.build(CONFIG, new MultiBoxLoss(),
                new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.FLOAT).updater(new Sgd(0.01)));
        return new LoadedModel(graph, SHAPES, CONFIG, "tiny width 0.25, 32 px");
    }

    /** Writes the model as a DL4J zip and a labels file (with the original's BACKGROUND first line) next to it. */
    static Path writeZip(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path zip = dir.resolve("tiny.zip");
        ModelSerializer.writeModel(model().graph(), zip.toFile(), false);
        Files.writeString(dir.resolve("labels.txt"), "BACKGROUND\n" + String.join("\n", SHAPES) + "\n");
        return zip;
    }
}
