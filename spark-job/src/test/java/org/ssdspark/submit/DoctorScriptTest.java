package org.ssdspark.submit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * submit/doctor.sh against a misconfigured standalone Spark install (a SPARK_HOME whose spark-submit reports Spark 3.4
 * for Scala 2.13 and whose spark-defaults.conf turns dynamic allocation on, two cards per executor, no card to
 * discover, an overhead below ND4J's cap, no data, an unwritable checkpoint folder): every problem is named with its
 * fix and the exit is 2. The same checks pass on a sound one, and the train scripts run it before spark-submit.
 */
class DoctorScriptTest {
    @TempDir
    Path tmp;

    @Test
    void aMisconfiguredStandaloneClusterGetsEveryProblemNamed() throws Exception {
        Path home = sparkHome("3.4.1", "2.13.8", "spark.dynamicAllocation.enabled true\n");
        Path blocker = Files.writeString(tmp.resolve("a-file"), "x");
        Run r = doctor(Map.of("SPARK_HOME", home.toString(), "SPARK_MASTER", "spark://host:7077",
                        "SSD_GPUS_PER_EXECUTOR", "2", "SSD_MEMORY_OVERHEAD", "1g", "SSD_OFFHEAP", "3G",
                        "SSD_MAX_RSS", "5G"),
                "--data_path", tmp.resolve("no-data").toString(),
                "--checkpoint_folder", blocker.resolve("ckpt").toString());
        assertEquals(2, r.exit(), r.out() + r.err());
        List<String> expected = List.of(
                "Spark 3.5 is needed, " + home + " has 3.4.1",
                "Spark built for Scala 2.12 is needed",
                "spark.dynamicAllocation.enabled=true: synchronous averaging needs a fixed set of executors",
                "SSD_GPUS_PER_EXECUTOR=2: each executor trains one task on one card",
                "submit/discover_gpus.sh answered '{\"name\":\"gpu\",\"addresses\":[]}'",
                "SSD_MEMORY_OVERHEAD=1g is below ND4J's off-heap cap SSD_OFFHEAP=3G",
                "SSD_MAX_RSS=5G exceeds executor memory + overhead (3072m)",
                "the data's manifest " + tmp.resolve("no-data") + "/_manifest.json cannot be read",
                "checkpoint folder (--checkpoint_folder) " + blocker.resolve("ckpt") + " is not writable",
                "evaluation folder (--eval_dir) " + blocker.resolve("ckpt/eval") + " is not writable");
        for (String problem : expected) {
            assertTrue(r.err().contains(problem), "missing '" + problem + "' in\n" + r.err());
        }
        assertTrue(r.err().contains("doctor: " + expected.size() + " problem(s):"), r.err());
    }

    @Test
    void aSoundSetupPassesAndTheTrainScriptSubmitsOnlyAfterIt() throws Exception {
        Path home = sparkHome("3.5.1", "2.12.18", "spark.executor.cores 1\n");
        Path data = Files.createDirectories(tmp.resolve("shards"));
        Files.writeString(data.resolve("_manifest.json"), "{}");
        Map<String, String> env = Map.of("SPARK_HOME", home.toString(), "SPARK_MASTER", "spark://host:7077",
                "SSD_GPUS_PER_EXECUTOR", "1", "SSD_FAKE_GPUS", "2");
        String[] flags = {"--data_path", data.toString(), "--checkpoint_folder", tmp.resolve("ckpt").toString()};
        Run r = doctor(env, flags);
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("ok: the data's manifest"), r.out());
        assertTrue(r.out().contains("doctor: all checks passed"), r.out());
        assertFalse(Files.exists(tmp.resolve("ckpt")), "the probe leaves no folder behind");

        // the train script runs the doctor, then spark-submit (here a stub that exits 99)
        Run train = script(env, "train_full_1p.sh", flags);
        assertEquals(99, train.exit(), train.out() + train.err());
        assertTrue(train.out().contains("doctor: all checks passed"), train.out());
        Map<String, String> broken = new HashMap<>(env);
        broken.put("SSD_GPUS_PER_EXECUTOR", "4");
        Run refused = script(broken, "train_full_1p.sh", flags);
        assertEquals(2, refused.exit(), refused.out() + refused.err());
        assertTrue(refused.err().contains("preflight failed (above); fix it, or set SSD_SKIP_DOCTOR=1"), refused.err());
    }

    /** Where isolation sets CUDA_VISIBLE_DEVICES, discovery reports the indices CUDA (and ND4J) use there. */
    @Test
    void discoveryReportsTheIndicesAProcessInTheContainerUses() throws Exception {
        Run r = script(Map.of("CUDA_VISIBLE_DEVICES", "2,5"), "discover_gpus.sh");
        assertEquals(0, r.exit(), r.err());
        assertEquals("{\"name\":\"gpu\",\"addresses\":[\"0\",\"1\"]}", r.out().trim());
    }

    /** make_spark_home.sh links every classpath entry, the last one too (the file has no final newline). */
    @Test
    void theSparkHomeHasEveryJarOfTheClasspath() throws Exception {
        List<String> jars = new ArrayList<>();
        for (String name : List.of("a.jar", "b.jar", "natives-linux-x86_64.jar")) {
            jars.add(Files.writeString(tmp.resolve(name), "x").toString());
        }
        Path cp = Files.writeString(tmp.resolve("cp.txt"), String.join(File.pathSeparator, jars));
        Path home = tmp.resolve("home");
        Run r = script(Map.of("SSD_CLASSPATH_FILE", cp.toString()), "make_spark_home.sh", home.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        for (String name : List.of("a.jar", "b.jar", "natives-linux-x86_64.jar")) {
            assertTrue(Files.exists(home.resolve("jars").resolve(name)), name + " missing from " + home + "/jars");
        }
    }

    private Path sparkHome(String spark, String scala, String defaults) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("spark-" + spark));
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path submit = bin.resolve("spark-submit");
        Files.writeString(submit, "#!/bin/sh\nif [ \"$1\" = --version ]; then\n"
                + "  echo \"Welcome to Spark version " + spark + "\" >&2\n"
                + "  echo \"Using Scala version " + scala + ", OpenJDK 64-Bit Server VM, 17\" >&2\n  exit 0\nfi\nexit 99\n");
        assertTrue(submit.toFile().setExecutable(true));
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/spark-defaults.conf"), defaults);
        return home;
    }

    private Run doctor(Map<String, String> env, String... args) throws Exception {
        return script(env, "doctor.sh", args);
    }

    record Run(int exit, String out, String err) {
    }

    /** Runs a submit script on this JVM's test classpath (no jar is built). */
    private Run script(Map<String, String> env, String script, String... args) throws Exception {
        Path repo = Path.of(System.getProperty("user.dir")).getParent();
        Path classpath = tmp.resolve("classpath.txt");
        Files.writeString(classpath, org.ssdspark.testing.TestSpark.testClasspath());
        List<String> cmd = new ArrayList<>(List.of("bash", repo.resolve("submit/" + script).toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile());
        pb.environment().remove("SPARK_HOME");
        pb.environment().put("SSD_SKIP_BUILD", "1");
        pb.environment().put("SSD_JOB_JAR", repo.resolve("spark-job/target/classes").toString());
        pb.environment().put("SSD_PREP_JAR", repo.resolve("data-prep/target/classes").toString());
        pb.environment().put("SSD_CLASSPATH_FILE", classpath.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), script + " did not finish");
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
