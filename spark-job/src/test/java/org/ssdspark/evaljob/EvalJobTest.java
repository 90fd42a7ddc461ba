package org.ssdspark.evaljob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ssdspark.nn.BatchNormFolding;
import org.ssdspark.eval.ApMetric;
import org.ssdspark.eval.ClassEvaluation;
import org.ssdspark.testing.MiniHdfs;
import org.ssdspark.testing.SampleData;
import org.ssdspark.testing.TestSpark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job as the training job calls it (an in-memory model): outputs to HDFS, classes and images without
 * detections, and the executor graph cache.
 */
class EvalJobTest {
    private static java.nio.file.Path tmp;
    private static java.nio.file.Path voc;

    @BeforeAll
    static void setUp() throws IOException {
        tmp = Files.createTempDirectory("evaljob-job");
        voc = SampleData.generate(tmp.resolve("voc"), 12, 3);
    }

    @AfterAll
    static void tearDown() throws IOException {
        try (Stream<java.nio.file.Path> walk = Files.walk(tmp)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void graphsAreBuiltOncePerConcurrentTaskAndDroppedForANewModel() {
        LoadedModel model = TinyModels.model();
        ModelPayload first = ModelPayload.of(model);
        ComputationGraph a = ExecutorModels.borrow(first, -1);
        ExecutorModels.release(first, -1, a);
        assertSame(a, ExecutorModels.borrow(first, -1), "a returned graph is reused");
        ComputationGraph b = ExecutorModels.borrow(first, -1); // a second concurrent task needs its own
        assertNotSame(a, b);
        // executors get the inference copy with the BatchNorm layers folded in
        assertEquals(BatchNormFolding.fold(model.graph()).params(), b.params());
        assertEquals(2, ExecutorModels.graphsBuilt(first.id()));
        ExecutorModels.release(first, -1, a);
        ExecutorModels.release(first, -1, b);
        ExecutorModels.borrow(first, -1);
        assertEquals(2, ExecutorModels.graphsBuilt(first.id()));

        // a task pinned to another card gets a graph of that card's own, never one returned by another card's task
        ComputationGraph onCard1 = ExecutorModels.borrow(first, 1);
        assertNotSame(a, onCard1);
        assertNotSame(b, onCard1);
        ExecutorModels.release(first, 1, onCard1);
        assertSame(onCard1, ExecutorModels.borrow(first, 1));
        assertEquals(java.util.Set.of(-1, 1), ExecutorModels.devices(first.id()));
        assertEquals(3, ExecutorModels.graphsBuilt(first.id()));

        ModelPayload second = ModelPayload.of(model);
        ExecutorModels.borrow(second, -1);
        assertEquals(0, ExecutorModels.graphsBuilt(first.id()), "the older model's graphs are dropped");
        assertEquals(1, ExecutorModels.graphsBuilt(second.id()));
    }

    @Test
    void writesToHdfsAndReturnsTheMetrics() throws IOException {
        try (MiniHdfs hdfs = new MiniHdfs(tmp.resolve("hdfs"))) {
            String evalDir = hdfs.uri() + "/runs/eval";
            EvalMetrics m = new EvalJob().run(TestSpark.local(),
                    EvalOptions.defaults(voc.toString(), evalDir), TinyModels.model());
            assertEquals(3, m.images());
            FileSystem fs = hdfs.fileSystem();
            for (String c : TinyModels.SHAPES) {
                assertTrue(fs.isFile(new Path(evalDir, "det_test_" + c + ".txt")), c);
                assertTrue(fs.isFile(new Path(evalDir, "pr-" + c + ".png")), c);
            }
            assertTrue(fs.isFile(new Path(evalDir, "report.txt")));
            try (InputStream in = fs.open(new Path(evalDir, "metrics.json"))) {
                JsonNode json = new ObjectMapper().readTree(in);
                assertEquals(3, json.get("images").asInt());
                assertEquals(m.mAP(), json.get("mAP").asDouble(), 0.0);
            }
        }
    }

    @Test
    void noDetectionsGiveEmptyFilesAndZeroAp() throws IOException {
        EvalOptions defaults = EvalOptions.defaults(voc.toString(), tmp.resolve("none").toString());
        EvalOptions nothingPasses = new EvalOptions(defaults.dataPath(), "", defaults.evalDir(), "",
                defaults.protocol(), "test", 8, 0, defaults.dataType(), 1.0, 32, new PostProcessing(0.999, 0.45, 200, -1));
        EvalMetrics m = new EvalJob().run(TestSpark.local(), nothingPasses, TinyModels.model());
        for (String c : TinyModels.SHAPES) {
            assertEquals(0, Files.size(tmp.resolve("none/det_test_" + c + ".txt")), c);
        }
        List<ClassEvaluation> withObjects = m.result().classes().stream().filter(c -> c.positives() > 0).toList();
        assertTrue(!withObjects.isEmpty());
        withObjects.forEach(c -> assertEquals(0.0, c.ap(ApMetric.VOC2007_11_POINT), 0.0, c.className()));
        assertEquals(0.0, m.mAP(), 0.0);
    }
}
