package org.ssdspark.train;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;
import org.ssdspark.device.DeviceAssignment;
import org.ssdspark.testing.TestSpark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A round's reports count every partition exactly once: a later report of a partition (a retried task, a recomputed
 * stage) replaces the earlier one. The round's images, loss and iteration count are sums and maxima over them.
 */
class TaskReportAccumulatorTest {

    private static final DeviceAssignment CPU =
            new DeviceAssignment("driver", "localhost", "", false, -1, "CpuBackend", "test");

    private static TaskReport report(int partition, int attempt, int images) {
        return new TaskReport(partition, attempt, CPU, images, images / 4, 1.0 * partition, 2.0 * attempt, 0.01, 0.01,
                0, 1.5, 0.1, false, 1.2);
    }

    @Test
    void aLaterReportOfAPartitionReplacesTheEarlierOne() {
        TaskReportAccumulator reports = new TaskReportAccumulator();
        assertTrue(reports.isZero());
        reports.add(report(1, 0, 40));
        reports.add(report(0, 0, 40));
        TaskReport retried = report(1, 1, 24);
        reports.add(retried);
        assertFalse(reports.isZero());

        Map<Integer, TaskReport> value = reports.value();
        assertEquals(List.of(0, 1), new ArrayList<>(value.keySet()), "one report per partition, in partition order");
        assertSame(retried, value.get(1));
        assertEquals(64, RoundOutcome.of(value, 1.0).images(), "the round counts the retried task's images once");
    }

    @Test
    void mergeTakesTheOtherSidesReportOfAPartitionBothHave() {
        TaskReportAccumulator driver = new TaskReportAccumulator();
        driver.add(report(0, 0, 40));
        driver.add(report(1, 0, 40));
        TaskReportAccumulator task = new TaskReportAccumulator();
        TaskReport rerun = report(1, 1, 40);
        task.add(rerun);
        task.add(report(2, 0, 16));

        driver.merge(task);
        Map<Integer, TaskReport> value = driver.value();
        assertEquals(List.of(0, 1, 2), new ArrayList<>(value.keySet()));
        assertSame(rerun, value.get(1));
        assertEquals(List.of(1, 2), new ArrayList<>(task.value().keySet()), "merge leaves the other side as it was");
    }

    @Test
    void copiesAndValuesAreIndependentOfTheAccumulator() {
        TaskReportAccumulator reports = new TaskReportAccumulator();
        reports.add(report(0, 0, 40));
        TaskReportAccumulator copy = reports.copy();
        copy.add(report(1, 0, 40));
        reports.add(report(2, 0, 40));
        assertEquals(List.of(0, 2), new ArrayList<>(reports.value().keySet()));
        assertEquals(List.of(0, 1), new ArrayList<>(copy.value().keySet()));

        Map<Integer, TaskReport> snapshot = reports.value();
        snapshot.clear();
        assertEquals(2, reports.value().size(), "value() is a snapshot, not the accumulator's map");

        reports.reset();
        assertTrue(reports.isZero());
        assertEquals(0, reports.value().size());
        assertEquals(2, copy.value().size(), "reset leaves copies alone");
        // Spark ships an accumulator to tasks as copyAndReset(): it must be zero, or tasks would start with the
        // driver's reports
        assertTrue(reports.copyAndReset().isZero());
        copy.add(report(3, 0, 1));
        assertTrue(copy.copyAndReset().isZero());
    }

    @Test
    void aRecomputedStageReplacesItsReportsInsteadOfAddingThem() {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(TestSpark.local().sparkContext());
        TaskReportAccumulator reports = new TaskReportAccumulator();
        jsc.sc().register(reports, "test-task-reports");
        LongAccumulator taskRuns = jsc.sc().longAccumulator("test-task-runs");
        // as MinibatchFunction: every task adds its report when it has gone through its records
        JavaRDD<Integer> tasks = jsc.parallelize(IntStream.range(0, 30).boxed().toList(), 4)
                .mapPartitions(records -> {
                    int images = 0;
                    List<Integer> out = new ArrayList<>();
                    while (records.hasNext()) {
                        out.add(records.next());
                        images++;
                    }
                    TaskContext task = TaskContext.get();
                    reports.add(report(task.partitionId(), task.attemptNumber(), images));
                    taskRuns.add(1);
                    return out.iterator();
                });

        assertEquals(30, tasks.count());
        assertEquals(30, tasks.count(), "not cached: the second action runs every task again");

        assertEquals(8, taskRuns.value(), "every task ran twice");
        Map<Integer, TaskReport> value = reports.value();
        assertEquals(List.of(0, 1, 2, 3), new ArrayList<>(value.keySet()));
        // parallelize splits 30 into 7, 8, 7, 8
        assertEquals(List.of(7, 8, 7, 8), value.values().stream().map(TaskReport::images).toList());
        assertEquals(30, RoundOutcome.of(value, 1.0).images(), "each partition's images counted once");
    }
}
