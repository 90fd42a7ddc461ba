package org.ssdspark.train;

import org.apache.spark.util.AccumulatorV2;

import java.util.Map;
import java.util.TreeMap;

/**
 * Collects the {@link TaskReport}s of one averaging round, keyed by the task's partition: a re-run of the same
 * partition (a retried task, a recomputed stage) replaces its report instead of adding to it, so the round's
 * numbers count every partition exactly once. Spark merges the values of successful attempts only.
 */
public final class TaskReportAccumulator extends AccumulatorV2<TaskReport, Map<Integer, TaskReport>> {

    private final TreeMap<Integer, TaskReport> reports = new TreeMap<>();

    @Override
    public boolean isZero() {
        synchronized (reports) {
            return reports.isEmpty();
        }
    }

    @Override
    public TaskReportAccumulator copy() {
        TaskReportAccumulator c = new TaskReportAccumulator();
        synchronized (reports) {
            c.reports.putAll(reports);
        }
        return c;
    }

    @Override
    public void reset() {
        synchronized (reports) {
            reports.clear();
        }
    }

    @Override
    public void add(TaskReport report) {
        synchronized (reports) {
            reports.put(report.partition(), report);
        }
    }

    @Override
    public void merge(AccumulatorV2<TaskReport, Map<Integer, TaskReport>> other) {
        Map<Integer, TaskReport> theirs = other.value();
        synchronized (reports) {
            reports.putAll(theirs);
        }
    }

    @Override
    public Map<Integer, TaskReport> value() {
        synchronized (reports) {
            return new TreeMap<>(reports);
        }
    }
}
