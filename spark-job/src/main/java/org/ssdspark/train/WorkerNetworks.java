package org.ssdspark.train;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ssdspark.model.LayerSetConversion;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The networks an executor trains, kept from round to round. DL4J's worker builds a new network for every round
 * from the broadcast configuration (parse, layer construction, parameter views, updater): on the quick start's
 * small model that was about 60 to 80 ms of a 1.2 s round. Here a task borrows an idle network of the same run and
 * only copies the round's parameters, updater state and counters into it; the first task of a run on an executor,
 * or one that runs beside another task of the same JVM (local mode), builds its own.
 *
 * <p>Only the latest run's networks are kept: a new run id (a new training job in this JVM) drops the others. A
 * network whose task failed is not returned, so a half-finished step never meets the next round.
 */
final class WorkerNetworks {

    private static String runId;
    private static final Deque<ComputationGraph> IDLE = new ArrayDeque<>();
    private static long built;

    private WorkerNetworks() {
    }

    /** A network of {@code payload}'s run holding its parameters, updater state and counters. */
    static Lease borrow(RoundPayload payload) {
        ComputationGraph net = idle(payload.runId());
        boolean built = net == null;
        if (built) {
            net = build(payload);
        } else {
            net.setParams(payload.params().toArray());
            if (payload.updaterState() != null) {
                net.getUpdater().setStateViewArray(payload.updaterState().toArray());
            }
        }
        net.getConfiguration().setEpochCount(payload.epochCount());
        net.getConfiguration().setIterationCount(payload.iterationCount());
        return new Lease(payload.runId(), net, built);
    }

    private static synchronized ComputationGraph idle(String run) {
        if (!run.equals(runId)) {
            IDLE.clear();
            runId = run;
        }
        return IDLE.poll();
    }

    private static synchronized void giveBack(String run, ComputationGraph net) {
        if (run.equals(runId)) {
            IDLE.push(net);
        }
    }

    /** Networks built in this JVM so far (for tests). */
    static synchronized long builtCount() {
        return built;
    }

    private static synchronized void countBuilt() {
        built++;
    }

    /**
     * As DL4J's worker builds it: the configuration with the parameters as its parameter array and the updater state
     * as its updater's, then moved to this JVM's layer set (a CPU driver's network on a CUDA executor).
     */
    private static ComputationGraph build(RoundPayload payload) {
        countBuilt();
        ComputationGraph net = new ComputationGraph(ComputationGraphConfiguration.fromJson(payload.configJson()));
        net.init(payload.params().toArray(), false);
        if (payload.updaterState() != null) {
            INDArray state = payload.updaterState().toArray();
            net.setUpdater(new ComputationGraphUpdater(net, state));
        }
        return LayerSetConversion.forThisJvm(net);
    }

    /** A borrowed network; {@link #release} returns it to the pool if its task completed. */
    static final class Lease {
        private final String run;
        private final ComputationGraph network;
        private final boolean built;

        private Lease(String run, ComputationGraph network, boolean built) {
            this.run = run;
            this.network = network;
            this.built = built;
        }

        ComputationGraph network() {
            return network;
        }

        /** Whether this round had to build the network (a first round, or a second task in the same JVM). */
        boolean built() {
            return built;
        }

        void release(boolean completed) {
            network.clearLayersStates();
            if (completed) {
                giveBack(run, network);
            }
        }
    }
}
