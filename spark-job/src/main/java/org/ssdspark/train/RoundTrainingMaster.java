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
import org.nd4j.linalg.api.ndarray.INDArray;
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
 * ({@link CountedTrainingWorker}). Each round's broadcast is destroyed when the round is averaged.
 */
public final class RoundTrainingMaster extends ParameterAveragingTrainingMaster {

    private static final long serialVersionUID = 1L;
    /** Whether the round being trained weighs each task's result by its minibatches (set per round, driver only). */
    private boolean weighByBatches;
    /** This round's broadcast of the network, destroyed when the round is averaged (driver only). */
    private transient Broadcast<NetBroadcastTuple> roundBroadcast;

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
        roundBroadcast = broadcast;
        WorkerConfiguration configuration = new WorkerConfiguration(true, rddDataSetNumExamples, batchSizePerWorker,
                averagingFrequency, prefetchNumBatches, collectTrainingStats);
        return new CountedTrainingWorker(broadcast, saveUpdater, configuration, trainingHookList, listeners,
                getRouterProvider(), net.getConfiguration().getEpochCount(),
                net.getConfiguration().getIterationCount(), weighByBatches);
    }

    /** Trains one synchronous round whose tasks all train the same number of minibatches: DL4J's plain mean. */
    public void trainRound(SparkComputationGraph graph, JavaRDD<MultiDataSet> round, int index, int count) {
        weighByBatches = false;
        averagedRound(graph, round, index, count);
    }

    /**
     * DL4J's round, then its broadcast destroyed on the driver and the executors: a round's network (27 MB for the
     * full model with momentum) would otherwise stay in every block manager until a driver GC lets Spark's cleaner
     * see it, thousands of rounds later on the 8-card recipe.
     */
    private void averagedRound(SparkComputationGraph graph, JavaRDD<MultiDataSet> round, int index, int count) {
        try {
            doIteration(graph, round, index, count);
        } finally {
            if (roundBroadcast != null) {
                roundBroadcast.destroy();
                roundBroadcast = null;
            }
        }
    }

    /**
     * Trains one synchronous round: every partition of {@code round} is one worker's share, and task i trains
     * {@code batchesPerTask[i]} minibatches. Equal shares are averaged as DL4J does (bit for bit); unequal ones (the
     * epoch's short last task) in proportion to their minibatches, so a task of one step moves the average no more
     * than one step's worth: each worker sends its state times its minibatches, DL4J divides their sum by the number
     * of results, and this rescales that by results / minibatches.
     */
    public void trainRound(SparkComputationGraph graph, JavaRDD<MultiDataSet> round, int index, int count,
                           int[] batchesPerTask) {
        int results = 0;
        long batches = 0;
        boolean equal = true;
        for (int b : batchesPerTask) {
            results += b > 0 ? 1 : 0;
            batches += b;
            equal &= b == batchesPerTask[0];
        }
        if (equal || batches == 0) {
            trainRound(graph, round, index, count);
            return;
        }
        weighByBatches = true;
        try {
            averagedRound(graph, round, index, count);
        } finally {
            weighByBatches = false;
        }
        ComputationGraph net = graph.getNetwork();
        double scale = (double) results / batches;
        net.params().muli(scale);
        INDArray state = net.getUpdater().getStateViewArray();
        if (state != null) {
            state.muli(scale);
        }
    }
}
