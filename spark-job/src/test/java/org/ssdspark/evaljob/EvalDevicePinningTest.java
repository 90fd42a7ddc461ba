package org.ssdspark.evaljob;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ssdspark.testing.FakeGpuCluster;
import org.ssdspark.testing.SampleData;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Evaluation tasks take their card as training tasks do: on a cluster whose two executors own one (fake) card each,
 * every inference task reads the address Spark's resource scheduling gave it, and metrics.json lists what each
 * executor was given. (On the CPU backend nothing is pinned; on CUDA the same address pins ND4J.)
 */
class EvalDevicePinningTest {
    @TempDir
    Path tmp;

    @Test
    void inferenceTasksTakeTheCardSparkAssigned() throws Exception {
        Path voc = SampleData.generate(tmp.resolve("voc"), 16, 5);
        LoadedModel model = TinyModels.model();
        EvalOptions base = EvalOptions.defaults(voc.toString(), tmp.resolve("eval").toString());
        EvalOptions options = new EvalOptions(base.dataPath(), "", base.evalDir(), "", base.protocol(), "test", 2, 4,
                base.dataType(), 1.0, 32, base.postProcessing());
        SparkSession cluster = FakeGpuCluster.start(tmp.resolve("cluster"), 1024);
        EvalMetrics metrics;
        try {
            metrics = new EvalJob().run(cluster, options, model);
        } finally {
            cluster.stop();
        }
        List<String> devices = new ArrayList<>();
        for (JsonNode d : metrics.json().get("devices")) {
            devices.add(d.asText());
        }
        System.out.println("inference devices: " + devices);
        assertEquals(2, devices.size(), devices.toString());
        assertTrue(devices.stream().anyMatch(d -> d.contains(": gpu 0")), devices.toString());
        assertTrue(devices.stream().anyMatch(d -> d.contains(": gpu 1")), devices.toString());
        assertTrue(devices.stream().allMatch(d -> d.contains("CpuBackend") && d.contains("unpinned")), devices.toString());
    }
}
