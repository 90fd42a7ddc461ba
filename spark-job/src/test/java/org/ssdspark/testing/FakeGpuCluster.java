package org.ssdspark.testing;

import org.apache.spark.sql.SparkSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A local-cluster Spark whose one worker owns two fake accelerator addresses ("0", "1", from a discovery script
 * written at test time), running two executor JVMs of one core and one address each: Spark's resource scheduling
 * as on a two-card machine, without cards. (Two workers each reporting both addresses would hand out duplicates.)
 */
public final class FakeGpuCluster {

    private FakeGpuCluster() {
    }

    public static SparkSession start(Path dir, int executorMemoryMb) throws Exception {
        return start(dir, 2, executorMemoryMb);
    }

    /** {@code executors} (1 or 2) executor JVMs. */
    public static SparkSession start(Path dir, int executors, int executorMemoryMb) throws Exception {
        return start(dir, executors, executorMemoryMb, "");
    }

    /** As {@link #start(Path, int, int)}, with extra executor JVM options (e.g. a larger off-heap cap). */
    public static SparkSession start(Path dir, int executors, int executorMemoryMb, String executorJavaOptions)
            throws Exception {
        Files.createDirectories(dir);
        Path script = dir.resolve("fake_gpu_discovery.sh");
        Files.writeString(script, "#!/bin/sh\necho '{\"name\":\"gpu\",\"addresses\":[\"0\",\"1\"]}'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        int workerMemory = executors * executorMemoryMb + 256;
        SparkSession spark = TestSpark.localClusterBuilder("local-cluster[1," + executors + "," + workerMemory + "]",
                        ("-Dorg.bytedeco.javacpp.maxphysicalbytes=0 " + executorJavaOptions).trim())
                .appName("train-fake-gpus")
                .config("spark.executor.cores", "1")
                .config("spark.executor.memory", executorMemoryMb + "m")
                .config("spark.worker.resource.gpu.amount", "2")
                .config("spark.worker.resource.gpu.discoveryScript", script.toString())
                .config("spark.executor.resource.gpu.amount", "1")
                .config("spark.task.resource.gpu.amount", "1")
                .getOrCreate();
        TestSpark.awaitExecutors(spark, executors, 120_000);
        return spark;
    }
}
