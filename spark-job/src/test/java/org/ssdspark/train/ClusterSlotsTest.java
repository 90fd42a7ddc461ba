package org.ssdspark.train;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import org.ssdspark.config.UserInputException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How many workers a run trains with: train.num_workers, or one per task slot (card) of the cluster. */
class ClusterSlotsTest {

    private static SparkConf conf(String... keyValues) {
        SparkConf conf = new SparkConf(false);
        for (int i = 0; i < keyValues.length; i += 2) {
            conf.set(keyValues[i], keyValues[i + 1]);
        }
        return conf;
    }

    private static final ClusterSlots EIGHT_CARDS = new ClusterSlots("spark://head:7077", 64, 8,
            conf("spark.executor.cores", "8", "spark.executor.resource.gpu.amount", "1",
                    "spark.task.resource.gpu.amount", "1"));

    @Test
    void anExplicitCountWinsOverTheCluster() {
        assertEquals(3, EIGHT_CARDS.workers(3));
        assertEquals(3, new ClusterSlots("local[2]", 2, 0, conf()).workers(3));
    }

    @Test
    void zeroGivesOneWorkerPerCardOfTheRegisteredExecutors() {
        // eight executors of 8 cores and one card each: the card, not the cores, bounds the tasks
        assertEquals(1, EIGHT_CARDS.slotsPerExecutor());
        assertEquals(8, EIGHT_CARDS.workers(0));
        // two cards per executor, one per task; four cores: two slots each
        assertEquals(6, new ClusterSlots("yarn", 12, 3, conf("spark.executor.cores", "4",
                "spark.executor.resource.gpu.amount", "2", "spark.task.resource.gpu.amount", "1")).workers(0));
        // half a card per task: two tasks share each card
        assertEquals(4, new ClusterSlots("k8s://api", 8, 2, conf("spark.executor.cores", "4",
                "spark.executor.resource.gpu.amount", "1", "spark.task.resource.gpu.amount", "0.5")).workers(0));
    }

    @Test
    void zeroWithoutCardsGivesOneWorkerPerTaskSlot() {
        // four executors of 6 cores, 2 cores per task: 3 slots each
        assertEquals(12, new ClusterSlots("spark://head:7077", 24, 4,
                conf("spark.executor.cores", "6", "spark.task.cpus", "2")).workers(0));
        // spark.executor.cores unset: one slot per executor
        assertEquals(5, new ClusterSlots("yarn", 5, 5, conf()).workers(0));
        // cards per executor set without cards per task: cards are not scheduled, cores decide
        assertEquals(4, new ClusterSlots("yarn", 8, 2, conf("spark.executor.cores", "2",
                "spark.executor.resource.gpu.amount", "1")).workers(0));
    }

    @Test
    void anEmbeddedSparkHasItsThreadsAsSlots() {
        assertEquals(2, new ClusterSlots("local[2]", 2, 0, conf()).workers(0));
        assertEquals(16, new ClusterSlots("local[*]", 16, 0, conf("spark.executor.cores", "4")).workers(0));
        // local-cluster starts executor JVMs: their slots count, as on a real cluster (the fake-card tests)
        assertEquals(2, new ClusterSlots("local-cluster[1,2,1024]", 2, 2, conf("spark.executor.cores", "1",
                "spark.executor.resource.gpu.amount", "1", "spark.task.resource.gpu.amount", "1")).workers(0));
    }

    @Test
    void aNegativeCountOrNoRegisteredExecutorIsRefused() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> EIGHT_CARDS.workers(-2));
        assertTrue(negative.getMessage().contains("got -2"), negative.getMessage());
        // counting slots before any executor registered would silently train on one worker
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> new ClusterSlots("spark://head:7077", 2, 0, conf("spark.executor.cores", "8")).workers(0));
        assertTrue(none.getMessage().contains("spark://head:7077") && none.getMessage().contains("train.num_workers"),
                none.getMessage());
    }

    @Test
    void moreWorkersThanTaskSlotsAreRefusedWithTheNumbers() {
        UserInputException e = assertThrows(UserInputException.class, () -> EIGHT_CARDS.workers(9));
        assertTrue(e.getMessage().contains("train.num_workers = 9 but the 8 registered executors have 8 task slots"
                + " (1 each)"), e.getMessage());
        assertTrue(e.getMessage().contains("set train.num_workers to at most 8"), e.getMessage());
        // an embedded Spark queues extra tasks on its threads: allowed (tests and the quick start use it)
        assertEquals(4, new ClusterSlots("local[2]", 2, 0, conf()).workers(4));
    }

    @Test
    void theExecutorsARunWaitsFor() {
        assertEquals(0, new ClusterSlots("local[2]", 2, 0, conf()).requiredExecutors(0));
        assertEquals(1, new ClusterSlots("yarn", 2, 0, conf()).requiredExecutors(0));
        assertEquals(5, new ClusterSlots("yarn", 2, 0, conf("spark.executor.instances", "5")).requiredExecutors(2));
        // 6 workers on executors of 4 task slots: 2 executors
        assertEquals(2, new ClusterSlots("spark://head:7077", 2, 0, conf("spark.executor.cores", "4"))
                .requiredExecutors(6));
    }

    /** A run that needs two executors of a cluster that has one stops after its wait, with the numbers. */
    @Test
    void tooFewExecutorsAfterTheWaitIsABadInput() throws Exception {
        org.apache.spark.sql.SparkSession cluster = org.ssdspark.testing.TestSpark.localCluster(1, 1024, "");
        try {
            org.apache.spark.api.java.JavaSparkContext jsc =
                    org.apache.spark.api.java.JavaSparkContext.fromSparkContext(cluster.sparkContext());
            assertEquals(1, ClusterSlots.await(jsc, 1, 5).executors());
            long start = System.nanoTime();
            UserInputException e = assertThrows(UserInputException.class, () -> ClusterSlots.await(jsc, 2, 2));
            double waited = (System.nanoTime() - start) / 1e9;
            assertTrue(e.getMessage().startsWith("1 of the 2 executors this run needs registered with local-cluster"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("train.executor_wait_seconds = 2"), e.getMessage());
            assertTrue(waited >= 2 && waited < 30, "waited " + waited + " s");
        } finally {
            cluster.stop();
        }
    }
}
