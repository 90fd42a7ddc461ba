package org.ssdspark.train;

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

    static ClusterSlots of(JavaSparkContext jsc) {
        // the status tracker lists the driver too
        int executors = jsc.sc().statusTracker().getExecutorInfos().length - 1;
        return new ClusterSlots(jsc.master(), jsc.defaultParallelism(), executors, jsc.getConf());
    }

    /** The workers of a run configured with {@code train.num_workers = configured} (0 = one per task slot). */
    int workers(int configured) {
        if (configured < 0) {
            throw new IllegalArgumentException("train.num_workers must be >= 0 (0 = one per task slot), got "
                    + configured);
        }
        if (configured > 0) {
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
