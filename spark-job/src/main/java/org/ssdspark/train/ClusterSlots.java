package org.ssdspark.train;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ssdspark.config.UserInputException;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * What the cluster offers a training run, as the driver sees it when the run starts, and how many workers (tasks
 * per averaging round) that makes: {@code train.num_workers} when set, else one per task slot of the registered
 * executors, where a slot is an executor core ({@code spark.executor.cores / spark.task.cpus}) that also has a card
 * when cards are scheduled ({@code spark.executor.resource.gpu.amount / spark.task.resource.gpu.amount}). An
 * embedded Spark ({@code local[n]}) has n slots in the driver.
 *
 * @param master             Spark's master URL
 * @param defaultParallelism the embedded Spark's threads (used only for {@code local[...]})
 * @param executors          executors registered, the driver not counted
 * @param conf               the application's configuration (cores and cards per executor and per task)
 */
record ClusterSlots(String master, int defaultParallelism, int executors, SparkConf conf) {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterSlots.class);

    static ClusterSlots of(JavaSparkContext jsc) {
        // the status tracker lists the driver too
        int executors = jsc.sc().statusTracker().getExecutorInfos().length - 1;
        return new ClusterSlots(jsc.master(), jsc.defaultParallelism(), executors, jsc.getConf());
    }

    /**
     * The cluster once the executors the run needs have registered ({@link #requiredExecutors}), waiting at most
     * {@code waitSeconds}: executors register after the driver starts, and a count taken too early would size the
     * whole run (its workers and its lr scaling) by a fraction of the cluster. Fewer after the wait is a bad input.
     */
    static ClusterSlots await(JavaSparkContext jsc, int configured, int waitSeconds) {
        ClusterSlots slots = of(jsc);
        int required = slots.requiredExecutors(configured);
        long start = System.nanoTime();
        long lastLog = start;
        while (slots.executors() < required) {
            long now = System.nanoTime();
            if (now - start > waitSeconds * 1_000_000_000L) {
                throw new UserInputException(slots.executors() + " of the " + required + " executors this run needs"
                        + " registered with " + slots.master() + " within train.executor_wait_seconds = "
                        + waitSeconds + "; check the cluster's free capacity, or ask for fewer"
                        + " (spark.executor.instances, train.num_workers), or wait longer");
            }
            if (now - lastLog > 10_000_000_000L) {
                LOG.info("Waiting for executors: {} of {} registered with {} ({} s of {})", slots.executors(),
                        required, slots.master(), (now - start) / 1_000_000_000L, waitSeconds);
                lastLog = now;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for executors", e);
            }
            slots = of(jsc);
        }
        if (required > 0) {
            LOG.info("{} executors registered with {} ({} task slots each)", slots.executors(), slots.master(),
                    slots.slotsPerExecutor());
        }
        return slots;
    }

    /**
     * Executors a run with {@code train.num_workers = configured} waits for: none in an embedded Spark;
     * {@code spark.executor.instances} when set; else enough task slots for the configured workers; else one.
     */
    int requiredExecutors(int configured) {
        if (embedded()) {
            return 0;
        }
        if (conf.contains("spark.executor.instances")) {
            return conf.getInt("spark.executor.instances", 1);
        }
        return configured > 0 ? (configured + slotsPerExecutor() - 1) / slotsPerExecutor() : 1;
    }

    /** The workers of a run configured with {@code train.num_workers = configured} (0 = one per task slot). */
    int workers(int configured) {
        if (configured < 0) {
            throw new IllegalArgumentException("train.num_workers must be >= 0 (0 = one per task slot), got "
                    + configured);
        }
        if (configured > 0) {
            int slots = executors * slotsPerExecutor();
            if (!embedded() && configured > slots) {
                // extra tasks would queue behind the others: every round would take two task times or more
                throw new UserInputException("train.num_workers = " + configured + " but the " + executors
                        + " registered executors have " + slots + " task slots (" + slotsPerExecutor() + " each): a"
                        + " round's tasks must run at once; set train.num_workers to at most " + slots
                        + " or add executors");
            }
            return configured;
        }
        if (embedded()) {
            return defaultParallelism;
        }
        if (executors < 1) {
            // Executors register after the driver starts; counting none would train the whole run on one worker.
            throw new IllegalStateException("train.num_workers = 0 counts the executors' task slots, but no executor"
                    + " of " + master + " has registered yet: set train.num_workers");
        }
        return executors * slotsPerExecutor();
    }

    /** Tasks one executor runs at once: its cores, fewer if it has fewer cards than that (at least one). */
    int slotsPerExecutor() {
        int slots = conf.getInt("spark.executor.cores", 1) / conf.getInt("spark.task.cpus", 1);
        double gpus = conf.getDouble("spark.executor.resource.gpu.amount", 0);
        double gpusPerTask = conf.getDouble("spark.task.resource.gpu.amount", 0);
        if (gpus > 0 && gpusPerTask > 0) {
            slots = Math.min(slots, (int) Math.floor(gpus / gpusPerTask));
        }
        return Math.max(1, slots);
    }

    private boolean embedded() {
        return master.startsWith("local") && !master.startsWith("local-cluster");
    }
}
