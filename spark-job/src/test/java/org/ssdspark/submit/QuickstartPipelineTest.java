package org.ssdspark.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quick start's whole pipeline through the scripts themselves (quickstart.sh calling prep.sh and
 * train_full_1p.sh, each starting its own JVM): generate, convert, inspect, train on local[2] with two workers,
 * evaluate. A tiny configuration replaces conf/quickstart.conf; the scripts run on this build's classes.
 */
class QuickstartPipelineTest {

    @Test
    void quickstartRunsEndToEndThroughTheScripts(@TempDir Path tmp) throws Exception {
        Path repo = Path.of(System.getProperty("user.dir")).getParent();
        Path conf = tmp.resolve("tiny-quickstart.conf");
        Files.writeString(conf, "include file(\"" + repo.resolve("conf/quickstart.conf") + "\")\n"
                + "generate { images = 16, width = 96, height = 96 }\n"
                + "train { image_size = 64, num_workers = 2, batch_size = 4, averaging_frequency = 1, num_epochs = 2,"
                + " t_max = 1,"
                + " warmup_epochs = 0, validation_epochs = 1, validation_batch_size = 4 }\n");
        Path classpath = tmp.resolve("classpath.txt");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        StringBuilder abs = new StringBuilder();
        for (String entry : cp.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                abs.append(abs.length() == 0 ? "" : File.pathSeparator).append(new File(entry).getAbsolutePath());
            }
        }
        Files.writeString(classpath, abs.toString());
        Path out = tmp.resolve("qs");
        ProcessBuilder pb = new ProcessBuilder("bash", repo.resolve("submit/quickstart.sh").toString())
                .directory(repo.toFile()).redirectErrorStream(true).redirectOutput(tmp.resolve("log.txt").toFile());
        pb.environment().remove("SPARK_HOME");
        pb.environment().put("SSD_QUICKSTART_DIR", out.toString());
        pb.environment().put("SSD_QUICKSTART_CONF", conf.toString());
        pb.environment().put("SSD_SKIP_BUILD", "1");
        pb.environment().put("SSD_CLASSPATH_FILE", classpath.toString());
        pb.environment().put("SSD_JOB_JAR", repo.resolve("spark-job/target/classes").toString());
        pb.environment().put("SSD_DRIVER_MEMORY", "2g");
        Process p = pb.start();
        assertTrue(p.waitFor(15, TimeUnit.MINUTES), "quickstart did not finish");
        String log = Files.readString(tmp.resolve("log.txt"), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), log);

        ObjectMapper json = new ObjectMapper();
        JsonNode manifest = json.readTree(out.resolve("shards/_manifest.json").toFile());
        assertEquals(16, manifest.get("images_listed").asInt(), log);
        assertTrue(json.readTree(out.resolve("inspect.json").toFile()).get("ok").asBoolean(), "inspect ok");
        assertTrue(Files.exists(out.resolve("checkpoints/checkpoint-epoch-1/model.zip")), log);
        assertTrue(Files.readString(out.resolve("checkpoints/metrics.jsonl")).contains("\"type\":\"epoch\""));
        JsonNode metrics = json.readTree(out.resolve("checkpoints/eval/metrics.json").toFile());
        assertTrue(metrics.has("mAP"), metrics.toString());
        assertTrue(Files.exists(out.resolve("checkpoints/eval/ap-per-class.png")));
        assertTrue(log.contains("Final evaluation: mAP"), log);
        assertTrue(log.contains("Quick start done in"), log);
        assertTrue(log.contains("2 workers"), log);
    }
}
