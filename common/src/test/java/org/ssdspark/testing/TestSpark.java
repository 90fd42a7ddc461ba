package org.ssdspark.testing;

import org.apache.spark.sql.SparkSession;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Spark sessions for tests: an embedded local one, and a local-cluster one with separate executor JVMs. */
public final class TestSpark {
    private TestSpark() {
    }

    /** A shared local[2] session (starting Spark costs seconds; tests in one JVM reuse it). */
    public static synchronized SparkSession local() {
        return SparkSession.builder()
                .master("local[2]")
                .appName("test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
    }

    /**
     * A session whose executors are separate JVMs ({@code local-cluster[n,1,memMb]}): one worker per executor.
     */
    public static SparkSession localCluster(int executors, int memoryMb, String extraExecutorJavaOptions)
            throws IOException {
        SparkSession spark = localClusterBuilder("local-cluster[" + executors + ",1," + memoryMb + "]",
                extraExecutorJavaOptions).appName("test-local-cluster").getOrCreate();
        awaitExecutors(spark, executors, 120_000);
        return spark;
    }

    /**
     * A builder for a local-cluster master URL with what Spark's test mode needs: a "Spark home" with a jars/
     * folder, and executors started on this JVM's test classpath (absolute entries). Any active session is stopped.
     */
    public static SparkSession.Builder localClusterBuilder(String master, String extraExecutorJavaOptions)
            throws IOException {
        SparkSession active = SparkSession.getActiveSession().isDefined() ? SparkSession.active() : null;
        if (active != null) {
            active.stop();
        }
        Path home = Files.createTempDirectory("spark-home");
        Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("launcher/target/scala-2.12"));
        String abs = testClasspath();
        System.setProperty("spark.testing", "true");
        System.setProperty("spark.test.home", home.toString());
        return SparkSession.builder()
                .master(master)
                .config("spark.testing", "true")
                .config("spark.test.home", home.toString())
                .config("spark.ui.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE")
                .config("spark.executor.extraClassPath", abs.toString())
                .config("spark.executor.extraJavaOptions", System.getProperty("ssd.test.executorOpts", "")
                        + " " + extraExecutorJavaOptions);
    }

    /**
     * This JVM's test classpath with absolute entries (surefire's, else java.class.path), for processes started from
     * another working directory: executor JVMs, scripts, a driver JVM.
     */
    public static String testClasspath() {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        StringBuilder abs = new StringBuilder();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                abs.append(abs.length() == 0 ? "" : File.pathSeparator).append(new File(entry).getAbsolutePath());
            }
        }
        return abs.toString();
    }

    /** Executors register asynchronously; a test about several JVMs must not start with fewer. */
    public static void awaitExecutors(SparkSession spark, int executors, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (spark.sparkContext().getExecutorMemoryStatus().size() - 1 < executors) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("Only " + (spark.sparkContext().getExecutorMemoryStatus().size() - 1)
                        + " of " + executors + " executors registered");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
