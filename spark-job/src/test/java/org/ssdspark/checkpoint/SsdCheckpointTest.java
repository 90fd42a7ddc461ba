package org.ssdspark.checkpoint;

import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Sgd;
import org.ssdspark.model.MobileNetV2SsdLite;
import org.ssdspark.model.SsdLiteConfig;
import org.ssdspark.ssd.MultiBoxLoss;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Round trip, latest-of-folder, no temporary left behind, and clear errors naming the broken file. */
class SsdCheckpointTest {

    @TempDir
    Path tmp;

    private static final SsdLiteConfig CONFIG = new SsdLiteConfig(3, 0.25, 32, 6);
    private static final List<String> CLASSES = List.of("circle", "square");

    private static ComputationGraph graph() {
        return MobileNetV2SsdLite.build(CONFIG, new MultiBoxLoss(),
                new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT).updater(new Sgd(0.1)));
    }

    @Test
    void roundTripAndLatest() throws Exception {
        Configuration conf = new Configuration();
        ComputationGraph g = graph();
        g.getConfiguration().setEpochCount(4);
        SsdCheckpoint.save(tmp.toString(), conf, g, CLASSES, CONFIG, new TrainingState(3, 40, 0.01, "{}", 2.5), "{\"a\":1}");
        Path p = SsdCheckpoint.save(tmp.toString(), conf, g, CLASSES, CONFIG,
                new TrainingState(7, 80, 0.005, "{}", Double.NaN), "{\"a\":1}").toUri().getPath() == null ? null : tmp;
        SsdCheckpoint c = SsdCheckpoint.load(tmp.toString(), conf);
        assertEquals(7, c.state().epoch());
        assertEquals(80, c.state().iteration());
        assertTrue(Double.isNaN(c.state().validationLoss()));
        assertEquals(CLASSES, c.classes());
        assertEquals(CONFIG, c.config());
        assertEquals("{\"a\":1}", c.resolvedConfig());
        assertEquals(g.params(), c.graph().params());
        assertEquals(4, c.graph().getConfiguration().getEpochCount());
        SsdCheckpoint three = SsdCheckpoint.load(tmp.resolve("checkpoint-epoch-3").toString(), conf);
        assertEquals(2.5, three.state().validationLoss());
        try (var files = Files.list(p)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(".checkpoint")), "no temporaries");
        }
    }

    @Test
    void brokenCheckpointsNameTheFile() throws Exception {
        Configuration conf = new Configuration();
        SsdCheckpoint.save(tmp.toString(), conf, graph(), CLASSES, CONFIG, new TrainingState(0, 1, 0.01, "{}", 1),
                "{}");
        Path dir = tmp.resolve("checkpoint-epoch-0");
        Files.write(dir.resolve("model.zip"), new byte[]{1, 2, 3});
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class,
                () -> SsdCheckpoint.load(tmp.toString(), conf));
        assertTrue(e.getMessage().contains("model.zip"), e.getMessage());
        Files.writeString(dir.resolve("checkpoint.json"), "{not json");
        e = assertThrows(CorruptCheckpointException.class, () -> SsdCheckpoint.load(dir.toString(), conf));
        assertTrue(e.getMessage().contains("checkpoint.json"), e.getMessage());
        e = assertThrows(CorruptCheckpointException.class,
                () -> SsdCheckpoint.load(tmp.resolve("nothing-here").toString(), conf));
        assertTrue(e.getMessage().contains("nothing-here"), e.getMessage());
    }
}
