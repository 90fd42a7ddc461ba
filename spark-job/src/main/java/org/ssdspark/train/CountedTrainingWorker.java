package org.ssdspark.train;

import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.core.storage.StatsStorageRouterProvider;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ssdspark.model.LayerSetConversion;

import java.util.Collection;

/**
 * DL4J's parameter-averaging worker with the driver's epoch and iteration counters restored on the worker's
 * network. The stock worker builds its network from {@code ComputationGraphConfiguration.clone()}, which (DL4J
 * 1.0.0-M2.1) copies neither counter: every worker would train at epoch 0, so an epoch-based learning-rate
 * schedule would never move. {@link LearningRateProbe} checks the rate actually used.
 */
final class CountedTrainingWorker extends ParameterAveragingTrainingWorker {

    private static final long serialVersionUID = 1L;
    private final int epochCount;
    private final int iterationCount;
    private final boolean weighByBatches;

    CountedTrainingWorker(Broadcast<NetBroadcastTuple> broadcast, boolean saveUpdater, WorkerConfiguration configuration,
                          Collection<TrainingHook> trainingHooks, Collection<TrainingListener> listeners,
                          StatsStorageRouterProvider routerProvider, int epochCount, int iterationCount,
                          boolean weighByBatches) {
        super(broadcast, saveUpdater, configuration, trainingHooks, listeners, routerProvider);
        this.epochCount = epochCount;
        this.iterationCount = iterationCount;
        this.weighByBatches = weighByBatches;
    }

    /**
     * With {@code weighByBatches}, the result is the parameters and updater state times the minibatches this task
     * trained: DL4J's driver sums the results and divides by their count, and {@link RoundTrainingMaster} then
     * rescales that to a sum divided by all minibatches, the weighted mean.
     */
    @Override
    public ParameterAveragingTrainingResult getFinalResult(ComputationGraph network) {
        if (weighByBatches) {
            int batches = network.getConfiguration().getIterationCount() - iterationCount;
            network.params().muli(batches);
            INDArray state = network.getUpdater().getStateViewArray();
            if (state != null) {
                state.muli(batches);
            }
        }
        return super.getFinalResult(network);
    }

    /**
     * The driver's network, rebuilt in this executor's layer set when the driver's is another (a CPU driver, CUDA
     * executors): the configuration names the driver's layer classes.
     */
    @Override
    public ComputationGraph getInitialModelGraph() {
        ComputationGraph net = LayerSetConversion.forThisJvm(super.getInitialModelGraph());
        net.getConfiguration().setEpochCount(epochCount);
        net.getConfiguration().setIterationCount(iterationCount);
        return net;
    }
}
