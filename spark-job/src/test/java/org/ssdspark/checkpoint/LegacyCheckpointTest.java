package org.ssdspark.checkpoint;

import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ssdspark.nn.WeightDecayedBatchNormalization;
import org.ssdspark.testing.FixtureFolders;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkpoints written before a class they name moved still load, into today's classes: the same layers and
 * vertices, parameters, updater and outputs as a network built today. The fixtures and how they were written:
 * {@code src/test/fixtures/legacy-checkpoints/README.md}.
 */
class LegacyCheckpointTest {

    /** The name {@link WeightDecayedBatchNormalization} had before issue 15. */
    private static final String FORMER_BATCH_NORM = "org.ssdspark.train.optim.WeightDecayedBatchNormalization";

    @Test
    void checkpointFromBeforeIssue15LoadsIntoTodaysClasses() throws Exception {
        SsdCheckpoint loaded = SsdCheckpoint.load(
                FixtureFolders.of("legacy-checkpoints").resolve("before-issue-15").toString(), new Configuration());
        assertEquals(2, loaded.state().epoch());
        assertEquals(ClassNamesCheckpoint.CLASSES, loaded.classes());

        ComputationGraph graph = loaded.graph();
        ComputationGraph fresh = ClassNamesCheckpoint.network();
        assertSameVertexClasses(fresh.getConfiguration(), graph.getConfiguration());
        Object bn = ((LayerVertex) graph.getConfiguration().getVertices().get("bn")).getLayerConf().getLayer();
        assertEquals(WeightDecayedBatchNormalization.class, bn.getClass(), "read into the class under its new name");
        String json = graph.getConfiguration().toJson();
        assertFalse(json.contains(FORMER_BATCH_NORM), "a checkpoint written now carries the new name");
        // and otherwise what the old build wrote: the moves and new base classes added or lost no setting
        assertEquals(writtenJson(loaded).replace(FORMER_BATCH_NORM, WeightDecayedBatchNormalization.class.getName()),
                json);

        assertEquals(3, graph.getConfiguration().getEpochCount());
        assertEquals(6, graph.getConfiguration().getIterationCount());
        // Everything else, updaters and schedules included, is configured as today's network is.
        fresh.getConfiguration().setEpochCount(3);
        fresh.getConfiguration().setIterationCount(6);
        assertEquals(fresh.getConfiguration().toJson(), json);
        assertTrue(graph.getUpdater().getStateViewArray().amaxNumber().doubleValue() > 0, "momentum restored");
        INDArray input = ClassNamesCheckpoint.input(99, 3);
        fresh.setParams(graph.params());
        assertArrayEquals(fresh.outputSingle(false, input).data().asFloat(),
                graph.outputSingle(false, input).data().asFloat());
        assertArrayEquals(fresh.outputSingle(true, input).data().asFloat(),
                graph.outputSingle(true, input).data().asFloat());
    }

    /** The configuration JSON as the checkpoint holds it. */
    private static String writtenJson(SsdCheckpoint checkpoint) throws IOException {
        try (ZipFile zip = new ZipFile(checkpoint.location().toUri().getPath() + "/" + SsdCheckpoint.MODEL_FILE)) {
            return new String(zip.getInputStream(zip.getEntry("configuration.json")).readAllBytes(),
                    StandardCharsets.UTF_8);
        }
    }

    private static void assertSameVertexClasses(ComputationGraphConfiguration expected,
                                                ComputationGraphConfiguration actual) {
        Map<String, GraphVertex> vertices = actual.getVertices();
        assertEquals(expected.getVertices().keySet(), vertices.keySet());
        expected.getVertices().forEach((name, vertex) -> {
            assertEquals(vertex.getClass(), vertices.get(name).getClass(), name);
            if (vertex instanceof LayerVertex layer) {
                assertEquals(layer.getLayerConf().getLayer().getClass(),
                        ((LayerVertex) vertices.get(name)).getLayerConf().getLayer().getClass(), name);
            }
        });
    }
}
