package org.ssdspark.train;

import java.util.List;
import java.util.Map;

/**
 * One averaging round as the driver sees it: its task reports, wall time, and the time not spent in worker tasks
 * (broadcast of the network, task start, result transfer and averaging: the price of synchronisation).
 */
record RoundOutcome(List<TaskReport> reports, double seconds) {

    static RoundOutcome of(Map<Integer, TaskReport> reports, double seconds) {
        return new RoundOutcome(List.copyOf(reports.values()), seconds);
    }

    long images() {
        return reports.stream().mapToLong(TaskReport::images).sum();
    }

    long batches() {
        return reports.stream().mapToLong(TaskReport::batches).sum();
    }

    int maxBatches() {
        return reports.stream().mapToInt(TaskReport::batches).max().orElse(0);
    }

    double regressionSum() {
        return reports.stream().mapToDouble(TaskReport::regressionSum).sum();
    }

    double classificationSum() {
        return reports.stream().mapToDouble(TaskReport::classificationSum).sum();
    }

    /** Mean over the round's minibatches of the reference's loss (regression + classification). */
    double loss() {
        return (regressionSum() + classificationSum()) / batches();
    }

    double regressionLoss() {
        return regressionSum() / batches();
    }

    double classificationLoss() {
        return classificationSum() / batches();
    }

    double averagingSeconds() {
        double slowest = reports.stream().mapToDouble(TaskReport::seconds).max().orElse(0);
        return Math.max(0, seconds - slowest);
    }
}
