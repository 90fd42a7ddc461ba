package org.ssdspark.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * DL4J's parameter averaging, driven one synchronous round at a time.
 *
 * <p>{@code ParameterAveragingTrainingMaster.fit} persists the whole DataSet RDD (MEMORY_ONLY_SER by default),
 * counts it (computing every augmentation once just to count) and splits it with {@code randomSplit} (each split
 * recomputes the parent): an epoch of decoded tensors in memory. Its {@code doIteration} is protected, and is one
 * round: broadcast the driver's configuration (with its epoch counter), parameters and updater state; each
 * partition of the given RDD trains on one worker; the results are tree-aggregated and the averages of the
 * parameters and (with {@code saveUpdater}) the updater state set on the driver's network. This class calls it
 * directly with an RDD whose partitions are exactly the round's tasks ({@link Repartition#Never}), so nothing is
 * persisted, counted or split.
 *
 * <p>Workers also get the driver's epoch and iteration counters, which DL4J's own worker drops
 * ({@link CountedTrainingWorker}). The broadcast of each round is left to Spark's cleaner, as the parent does.
 */
public final class RoundTrainingMaster extends ParameterAveragingTrainingMaster {

    private static final long serialVersionUID = 1L;

    private RoundTrainingMaster(Builder builder) {
        super(builder);
    }

    /**
     * @param workers            tasks per round (one per executor card)
     * @param batchSize          minibatch size on each worker
     * @param averagingFrequency minibatches per worker between averages (the round's task holds this many)
     * @param prefetch           minibatches prepared ahead by DL4J's worker (0 = none)
     */
    public static RoundTrainingMaster create(int workers, int batchSize, int averagingFrequency, int prefetch) {
        Builder b = new Builder(workers, batchSize)
                .batchSizePerWorker(batchSize)
                .averagingFrequency(averagingFrequency)
                .workerPrefetchNumBatches(prefetch)
                .saveUpdater(true) // the builder's field defaults to false despite its javadoc
                .repartionData(Repartition.Never)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .storageLevel(null)
                .collectTrainingStats(false);
        return new RoundTrainingMaster(b);
    }

    /**
     * As the parent's, but the worker restores the driver's epoch and iteration counters (see
     * {@link CountedTrainingWorker}).
     */
    @Override
    public ParameterAveragingTrainingWorker getWorkerInstance(SparkComputationGraph graph) {
        ComputationGraph net = graph.getNetwork();
        NetBroadcastTuple tuple = new NetBroadcastTuple(net.getConfiguration(), net.params(),
                net.getUpdater().getStateViewArray());
        Broadcast<NetBroadcastTuple> broadcast = graph.getSparkContext().broadcast(tuple);
        WorkerConfiguration configuration = new WorkerConfiguration(true, rddDataSetNumExamples, batchSizePerWorker,
                averagingFrequency, prefetchNumBatches, collectTrainingStats);
        return new CountedTrainingWorker(broadcast, saveUpdater, configuration, trainingHookList, listeners,
                getRouterProvider(), net.getConfiguration().getEpochCount(),
                net.getConfiguration().getIterationCount());
    }

    /** Trains one synchronous round: every partition of {@code round} is one worker's share. */
    public void trainRound(SparkComputationGraph graph, JavaRDD<MultiDataSet> round, int index, int count) {
        doIteration(graph, round, index, count);
    }
}
