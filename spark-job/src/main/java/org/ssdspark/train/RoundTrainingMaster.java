package org.ssdspark.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * Synchronous parameter averaging, one round at a time, with DL4J's arithmetic and less around it.
 *
 * <p>{@code ParameterAveragingTrainingMaster.fit} persists the whole DataSet RDD (MEMORY_ONLY_SER by default),
 * counts it (computing every augmentation once just to count) and splits it with {@code randomSplit} (each split
 * recomputes the parent): an epoch of decoded tensors in memory. Its {@code doIteration} is one round, and this class
 * replaces it and calls it directly with an RDD whose partitions are exactly the round's tasks, so nothing is
 * persisted, counted or split. A round here does what DL4J's does, minus three costs measured on the quick start's
 * small model:
 * <ul>
 *   <li>the broadcast carries the parameters and updater state as plain arrays ({@link PackedArray}), and each task's
 *   result travels the same way ({@link RoundSum}): ND4J serialises arrays one element at a time;</li>
 *   <li>a worker keeps its network from round to round ({@link WorkerNetworks}) instead of building one per round;</li>
 *   <li>the configuration's JSON is written once per run.</li>
 * </ul>
 * The results are summed as DL4J's aggregation does (first result in place, tree aggregation of the given depth) and
 * divided by their count, so an equal round's mean is DL4J's bit for bit. Workers carry the driver's epoch and
 * iteration counters ({@link RoundTask}). Each round's broadcast is destroyed when the round is averaged.
 */
public final class RoundTrainingMaster extends ParameterAveragingTrainingMaster {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(RoundTrainingMaster.class);

    /** This master's run: executors keep networks for the latest run only. */
    private final String runId = UUID.randomUUID().toString();
    /** The configuration's JSON, written at the first round (driver only). */
    private transient String configJson;
    /** Whether the round being trained weighs each task's result by its minibatches (set per round, driver only). */
    private boolean weighByBatches;

    private RoundTrainingMaster(Builder builder) {
        super(builder);
    }

    /**
     * @param workers            tasks per round (one per executor card)
     * @param batchSize          minibatch size on each worker
     * @param averagingFrequency minibatches per worker between averages (the round's task holds this many)
     * @param prefetch           minibatches prepared ahead by each worker (0 = none)
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

    /** Trains one synchronous round whose tasks all train the same number of minibatches: DL4J's plain mean. */
    public void trainRound(SparkComputationGraph graph, JavaRDD<MultiDataSet> round, int index, int count) {
        weighByBatches = false;
        doIteration(graph, round, index, count);
    }

    /**
     * Trains one synchronous round: every partition of {@code round} is one worker's share, and task i trains
     * {@code batchesPerTask[i]} minibatches. Equal shares are averaged as DL4J does (bit for bit); unequal ones (the
     * epoch's short last task) in proportion to their minibatches, so a task of one step moves the average no more
     * than one step's worth.
     */
    public void trainRound(SparkComputationGraph graph, JavaRDD<MultiDataSet> round, int index, int count,
                           int[] batchesPerTask) {
        boolean equal = true;
        for (int b : batchesPerTask) {
            equal &= b == batchesPerTask[0];
        }
        weighByBatches = !equal;
        try {
            doIteration(graph, round, index, count);
        } finally {
            weighByBatches = false;
        }
    }

    /**
     * One round: broadcast, train every partition, sum the results on the executors and the driver, and set the mean
     * on the driver's network. The broadcast is destroyed on the driver and the executors afterwards: a round's
     * network (27 MB for the full model with momentum) would otherwise stay in every block manager until a driver GC
     * lets Spark's cleaner see it, thousands of rounds later on the 8-card recipe.
     */
    @Override
    protected void doIteration(SparkComputationGraph graph, JavaRDD<MultiDataSet> split, int splitNum, int numSplits) {
        ComputationGraph net = graph.getNetwork();
        if (configJson == null) {
            configJson = net.getConfiguration().toJson();
        }
        Broadcast<RoundPayload> payload = graph.getSparkContext().broadcast(RoundPayload.of(runId, configJson, net));
        try {
            RoundSum sum = split.mapPartitions(new RoundTask(payload, batchSizePerWorker, prefetchNumBatches,
                    weighByBatches, listeners)).treeAggregate(RoundSum.empty(), RoundSum::add, RoundSum::add,
                    aggregationDepth);
            if (sum.results() > 0) {
                net.setParams(sum.params().divi(sum.weight()));
                INDArray state = sum.updaterState();
                if (state != null) {
                    net.getUpdater().setStateViewArray(state.divi(sum.weight()));
                }
                graph.setScore(sum.scoreSum() / sum.results());
            } else {
                log.info("Round {} of {}: no task had data, nothing averaged", splitNum, numSplits);
            }
            net.getConfiguration().setIterationCount(net.getConfiguration().getIterationCount() + averagingFrequency);
        } finally {
            payload.destroy();
        }
    }
}
