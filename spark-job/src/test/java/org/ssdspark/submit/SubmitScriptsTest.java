package org.ssdspark.submit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every submit/ script with --dry-run and checks the command it would run: embedded (no SPARK_HOME),
 * standalone, YARN and Kubernetes, with the GPU resource settings, the discovery script and the Java options.
 */
class SubmitScriptsTest {
    static final List<String> SCRIPTS = List.of("prep.sh", "train_full_1p.sh", "train_full_8p.sh",
            "train_performance_1p.sh", "train_performance_8p.sh", "eval.sh");
    static Path repo;

    @TempDir
    static Path sparkHome;

    @BeforeAll
    static void fakeSparkHome() throws IOException {
        repo = Path.of(System.getProperty("user.dir")).getParent();
        Path bin = Files.createDirectories(sparkHome.resolve("bin"));
        Path submit = bin.resolve("spark-submit");
        Files.writeString(submit, "#!/bin/sh\nexit 99\n");
        assertTrue(submit.toFile().setExecutable(true));
    }

    record Run(int exit, String out, String err) {
    }

    static Run run(Map<String, String> env, String script, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", repo.resolve("submit/" + script).toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile());
        pb.environment().remove("SPARK_HOME");
        pb.environment().put("SSD_NO_CONFIG_PRINT", "1");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), script + " did not finish");
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"prep.sh", "train_full_1p.sh", "train_full_8p.sh", "train_performance_1p.sh",
            "train_performance_8p.sh", "eval.sh"})
    void embeddedRunUsesJavaWithSparksModuleOptionsAndTheOffHeapCap(String script) throws Exception {
        Run r = run(Map.of(), script, "--dry-run", "--data_path", "/data/x");
        assertEquals(0, r.exit(), r.err());
        String cmd = commandLine(r.out());
        assertTrue(cmd.startsWith("java "), cmd);
        assertTrue(cmd.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"), cmd);
        assertTrue(cmd.contains("-Dorg.bytedeco.javacpp.maxphysicalbytes="), cmd);
        assertTrue(cmd.contains("--data_path /data/x"), cmd);
        assertFalse(cmd.contains("--dry-run"), "the flag is the script's, not the job's: " + cmd);
        if (script.startsWith("train")) {
            assertTrue(cmd.contains("org.ssdspark.train.TrainMain --config"), cmd);
            String conf = script.replace("train_full_", "voc0712_").replace("train_", "").replace(".sh", ".conf");
            assertTrue(cmd.contains("conf/" + conf), cmd);
        }
    }

    @Test
    void yarnWithOneGpuPerExecutor() throws Exception {
        Run r = run(Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_MASTER", "yarn", "SSD_GPUS_PER_EXECUTOR", "1",
                "SSD_NUM_EXECUTORS", "8", "SSD_DEPLOY_MODE", "cluster"), "train_full_8p.sh", "--dry-run");
        assertEquals(0, r.exit(), r.err());
        String cmd = commandLine(r.out());
        assertTrue(cmd.startsWith(sparkHome.resolve("bin/spark-submit").toString()), cmd);
        assertTrue(cmd.contains("--master yarn"), cmd);
        assertTrue(cmd.contains("--deploy-mode cluster"), cmd);
        assertTrue(cmd.contains("spark.executor.instances=8"), cmd);
        assertTrue(cmd.contains("spark.executor.resource.gpu.amount=1"), cmd);
        assertTrue(cmd.contains("spark.task.resource.gpu.amount=1"), cmd);
        assertTrue(cmd.contains("spark.executor.resource.gpu.discoveryScript=./discover_gpus.sh"), cmd);
        assertTrue(cmd.contains("--files " + repo.resolve("submit/discover_gpus.sh")), cmd);
        assertTrue(cmd.contains("spark.driver.extraJavaOptions=-XX:+IgnoreUnrecognizedVMOptions\\ --add-opens"), cmd);
        assertTrue(cmd.contains("spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.maxphysicalbytes="), cmd);
        // the Vector API kernels, on the driver (final evaluation) and the executors (training)
        for (String side : new String[]{"driver", "executor"}) {
            String options = java.util.Arrays.stream(cmd.split("(?<!\\\\) "))
                    .filter(word -> word.startsWith("spark." + side + ".extraJavaOptions=")).findFirst().orElse("");
            assertTrue(options.contains("--add-modules=jdk.incubator.vector"), side + ": " + options);
        }
        assertTrue(cmd.contains("spark.executorEnv.OMP_WAIT_POLICY=PASSIVE"), cmd);
        assertTrue(cmd.contains("org.ssdspark.train.TrainMain"), cmd);
        assertTrue(cmd.matches(".*--jars \\S*data-prep-0.1.0-SNAPSHOT.jar.*"), cmd);
    }

    @Test
    void kubernetesNeedsAnImageAndNamesTheGpuVendor() throws Exception {
        Map<String, String> env = Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_MASTER",
                "k8s://https://k8s.example:6443", "SSD_GPUS_PER_EXECUTOR", "1", "SSD_DEPLOY_MODE", "cluster");
        Run missing = run(env, "eval.sh", "--dry-run");
        assertTrue(missing.exit() != 0, "no image: must fail");
        assertTrue(missing.err().contains("SSD_K8S_IMAGE"), missing.err());
        Map<String, String> withImage = new java.util.HashMap<>(env);
        withImage.put("SSD_K8S_IMAGE", "registry.example/ssdlite:1");
        Run r = run(withImage, "eval.sh", "--dry-run", "--model", "m.pth");
        assertEquals(0, r.exit(), r.err());
        String cmd = commandLine(r.out());
        assertTrue(cmd.contains("--master k8s://https://k8s.example:6443"), cmd);
        assertTrue(cmd.contains("spark.kubernetes.container.image=registry.example/ssdlite:1"), cmd);
        assertTrue(cmd.contains("spark.executor.resource.gpu.vendor=nvidia.com"), cmd);
        assertTrue(cmd.contains("spark.executor.resource.gpu.amount=1"), cmd);
        assertTrue(cmd.contains("org.ssdspark.evaljob.EvalMain"), cmd);
    }

    @Test
    void standaloneClusterWithGpus() throws Exception {
        Run r = run(Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_MASTER", "spark://127.0.0.1:7077",
                "SSD_GPUS_PER_EXECUTOR", "1", "SSD_EXECUTOR_CORES", "2"), "train_full_1p.sh", "--dry-run");
        assertEquals(0, r.exit(), r.err());
        String cmd = commandLine(r.out());
        assertTrue(cmd.contains("--master spark://127.0.0.1:7077"), cmd);
        assertTrue(cmd.contains("spark.executor.cores=2"), cmd);
        assertTrue(cmd.contains("spark.task.cpus=2"), cmd);
        assertTrue(cmd.contains("spark.worker.resource.gpu.discoveryScript=" + repo.resolve("submit/discover_gpus.sh")), cmd);
    }

    @Test
    void discoveryScriptPrintsSparksJson() throws Exception {
        Run r = run(Map.of("SSD_FAKE_GPUS", "2"), "discover_gpus.sh");
        assertEquals(0, r.exit(), r.err());
        assertEquals("{\"name\":\"gpu\",\"addresses\":[\"0\",\"1\"]}", r.out().trim());
    }

    @Test
    void sparkHomeWithoutSparkSubmitIsABadInput() throws Exception {
        Run r = run(Map.of("SPARK_HOME", "/no/such/spark"), "prep.sh", "--dry-run");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("spark-submit"), r.err());
    }

    /** The command is the last line the dry run prints (after the resolved configuration, when built). */
    static String commandLine(String out) {
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1];
    }
}
