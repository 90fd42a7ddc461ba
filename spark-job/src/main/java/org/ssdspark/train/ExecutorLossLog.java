package org.ssdspark.train;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Says in the job's log when an executor is lost and what happens to the round in progress. */
final class ExecutorLossLog extends SparkListener {

    private static final Logger log = LoggerFactory.getLogger(ExecutorLossLog.class);

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        log.warn("Executor {} lost ({}). Spark re-runs its tasks (and any shuffle output lost with it) from the same"
                + " round start; the round's parameters are averaged only once every task has finished, so no"
                + " partial round is applied.", removed.executorId(), removed.reason());
    }
}
