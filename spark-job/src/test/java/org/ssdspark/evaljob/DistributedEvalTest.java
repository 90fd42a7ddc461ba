package org.ssdspark.evaljob;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ssdspark.testing.SampleData;
import org.ssdspark.testing.TestSpark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two executor JVMs ({@code local-cluster}): the broadcast model is rebuilt in each, one graph per JVM serves all of
 * its tasks (one core each: tasks run one after another), and the detection files equal those of an in-process
 * (local mode) run of the same model.
 */
class DistributedEvalTest {
    private static Path tmp;
    private static Path voc;

    @BeforeAll
    static void setUp() throws IOException {
        tmp = Files.createTempDirectory("evaljob-cluster");
        voc = SampleData.generate(tmp.resolve("voc"), 32, 5); // 8 test images
    }

    @AfterAll
    static void tearDown() throws IOException {
        try (Stream<Path> walk = Files.walk(tmp)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void twoExecutorJvmsBuildOneGraphEachAndAgreeWithLocalMode() throws IOException {
        LoadedModel model = TinyModels.model();
        EvalOptions base = EvalOptions.defaults(voc.toString(), tmp.resolve("local").toString());
        EvalOptions options = new EvalOptions(base.dataPath(), "", base.evalDir(), "", base.protocol(), "test", 2, 6,
                base.dataType(), 1.0, 32, base.postProcessing());
        new EvalJob().run(TestSpark.local(), options, model);

        SparkSession cluster = TestSpark.localCluster(2, 1024,
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=0 --add-modules=jdk.incubator.vector");
        try {
            EvalMetrics m = new EvalJob().run(cluster, options.withEvalDir(tmp.resolve("cluster").toString()), model);
            assertEquals(8, m.images());
            JsonNode graphs = m.json().get("graphs_per_executor");
            System.out.println("graphs per executor: " + graphs + ", " + m.json().get("partitions") + " partitions");
            assertEquals(2, graphs.size(), "both executors ran tasks: " + graphs);
            graphs.forEach(n -> assertEquals(1, n.asInt(), "graphs per executor JVM: " + graphs));
        } finally {
            cluster.stop();
        }
        for (String c : TinyModels.SHAPES) {
            String file = "det_test_" + c + ".txt";
            assertArrayEquals(Files.readAllBytes(tmp.resolve("local").resolve(file)),
                    Files.readAllBytes(tmp.resolve("cluster").resolve(file)), file);
        }
    }
}
