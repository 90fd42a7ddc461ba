package org.ssdspark.train;

import java.io.Serializable;

/**
 * Called on the executor before each training minibatch is assembled; for fault-injection tests (an executor
 * killed mid-round). The job runs with {@link #NONE}.
 */
@FunctionalInterface
public interface WorkerFaultHook extends Serializable {

    WorkerFaultHook NONE = (epoch, round, partition, attempt, batch) -> { };

    void beforeBatch(int epoch, int round, int partition, int attempt, int batch);
}
