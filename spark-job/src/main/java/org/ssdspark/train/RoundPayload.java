package org.ssdspark.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;

/**
 * What a round broadcasts to its workers: the driver's parameters, updater state and counters, and the network's
 * configuration as JSON, which a worker parses only when it has no network of this run yet ({@link WorkerNetworks}).
 *
 * @param runId          one training run (one {@link RoundTrainingMaster}); workers keep networks per run
 * @param configJson     the driver's configuration; its counters are stale after the first round, the fields below rule
 * @param updaterState   null when the network has no updater state
 */
record RoundPayload(String runId, String configJson, PackedArray params, PackedArray updaterState, int epochCount,
                    int iterationCount) implements Serializable {

    static RoundPayload of(String runId, String configJson, ComputationGraph net) {
        INDArray state = net.getUpdater().getStateViewArray(); // null for an updater without state (plain SGD)
        return new RoundPayload(runId, configJson, PackedArray.of(net.params()),
                state == null ? null : PackedArray.of(state), net.getConfiguration().getEpochCount(),
                net.getConfiguration().getIterationCount());
    }
}
