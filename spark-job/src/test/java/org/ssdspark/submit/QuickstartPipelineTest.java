package org.ssdspark.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quick start's whole pipeline through the scripts themselves (quickstart.sh calling prep.sh and
 * train_full_1p.sh, each starting its own JVM): generate, convert, inspect, train on local[2] with the quick
 * start's one worker of 16, evaluate, and the detector must have learned. A small configuration replaces
 * conf/quickstart.conf; the scripts run on this build's classes.
 */
class QuickstartPipelineTest {

    @Test
    void quickstartRunsEndToEndThroughTheScripts(@TempDir Path tmp) throws Exception {
        Path repo = Path.of(System.getProperty("user.dir")).getParent();
        Path conf = tmp.resolve("tiny-quickstart.conf");
        // 120 images (90 trainable, 24 test) at 64 px, 20 epochs of 5 steps of 16 (one round each), the quick
        // start's lr 0.03 with 2 warm-up epochs: about 100 steps, enough to learn this sample. Validation at the first
        // and last epoch only.
        Files.writeString(conf, "include file(\"" + repo.resolve("conf/quickstart.conf") + "\")\n"
                + "generate { images = 120, width = 96, height = 96 }\n"
                + "train { image_size = 64, num_workers = 1, batch_size = 16, averaging_frequency = 6, lr = 0.03,"
                + " num_epochs = 20, t_max = 18, warmup_epochs = 2, validation_epochs = 100,"
                + " validation_batch_size = 16 }\n");
        Path classpath = tmp.resolve("classpath.txt");
        Files.writeString(classpath, org.ssdspark.testing.TestSpark.testClasspath());
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
        assertEquals(120, manifest.get("images_listed").asInt(), log);
        assertTrue(json.readTree(out.resolve("inspect.json").toFile()).get("ok").asBoolean(), "inspect ok");
        assertTrue(Files.exists(out.resolve("checkpoints/checkpoint-epoch-19/model.zip")), log);
        assertTrue(Files.readString(out.resolve("checkpoints/metrics.jsonl")).contains("\"type\":\"epoch\""));
        JsonNode metrics = json.readTree(out.resolve("checkpoints/eval/metrics.json").toFile());
        System.out.println("quickstart evaluation: " + metrics);
        log.lines().filter(l -> l.startsWith("epoch ") && l.contains(" done")).forEach(System.out::println);
        // Measured with this configuration (VOC2007 11-point on the 24 test images): seed 12345 (the default, this
        // test) 0.294 in three runs (a run is deterministic for its seed on one machine), seeds 1 and 2 0.302 and
        // 0.361; the network that learned nothing (the same run at lr 1e-6 for 2 epochs) 0.077, since hundreds of
        // detections per class on large objects find some by chance. The floor sits between, well clear of both:
        // it fails a training that does not learn, not a working one on another seed or CPU's rounding.
        // (Two workers of 8 at this length did not learn reliably: 0.246, 0.110, 0.053 for seeds 12345, 1, 2.)
        double map = metrics.get("mAP").asDouble();
        assertTrue(map >= 0.18, "mAP " + map + " below the floor 0.18 of a detector that learned: " + metrics);
        assertTrue(Files.exists(out.resolve("checkpoints/eval/ap-per-class.png")));
        assertTrue(log.contains("Final evaluation: mAP"), log);
        assertTrue(log.contains("Quick start done in"), log);
        assertTrue(log.contains("1 workers x batch 16"), log);
    }
}
