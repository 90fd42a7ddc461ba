package org.ssdspark.train;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.datasets.iterator.AsyncMultiDataSetIterator;
import org.deeplearning4j.datasets.iterator.IteratorMultiDataSetIterator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * One worker's share of a round, as DL4J's parameter-averaging worker trains it (minibatches of the partition,
 * prefetched on another thread, each one {@code fit}), on a network borrowed from {@link WorkerNetworks} instead of
 * one built for the round. The network carries the driver's epoch and iteration counters, which DL4J's worker
 * drops (its configuration clone copies neither, so an epoch-based schedule would never move; {@link
 * LearningRateProbe} checks the rate used). The result is the network's parameters, updater state and score, times
 * the minibatches trained when the round is averaged by weight.
 */
final class RoundTask implements FlatMapFunction<Iterator<MultiDataSet>, RoundSum> {

    private static final long serialVersionUID = 1L;

    private final Broadcast<RoundPayload> payload;
    private final int batchSize;
    private final int prefetch;
    private final boolean weighByBatches;
    private final List<TrainingListener> listeners;

    RoundTask(Broadcast<RoundPayload> payload, int batchSize, int prefetch, boolean weighByBatches,
              Collection<TrainingListener> listeners) {
        this.payload = payload;
        this.batchSize = batchSize;
        this.prefetch = prefetch;
        this.weighByBatches = weighByBatches;
        this.listeners = listeners == null ? List.of() : new ArrayList<>(listeners);
    }

    @Override
    public Iterator<RoundSum> call(Iterator<MultiDataSet> data) {
        if (!data.hasNext()) {
            return Collections.emptyIterator();
        }
        MultiDataSetIterator batches = new IteratorMultiDataSetIterator(data, batchSize);
        if (prefetch > 0) {
            batches = new AsyncMultiDataSetIterator(batches, prefetch);
        }
        TaskState task = TaskState.current();
        long t0 = System.nanoTime();
        WorkerNetworks.Lease lease = WorkerNetworks.borrow(payload.value());
        boolean completed = false;
        try {
            ComputationGraph net = lease.network();
            net.setListeners(listeners);
            int firstIteration = net.getConfiguration().getIterationCount();
            if (task != null) {
                task.addNetworkSetup((System.nanoTime() - t0) / 1e9, lease.built());
            }
            while (batches.hasNext()) {
                MultiDataSet next = batches.next();
                long f0 = System.nanoTime();
                net.fit(next);
                Nd4j.getExecutioner().commit();
                if (task != null) {
                    task.addFitSeconds((System.nanoTime() - f0) / 1e9);
                }
            }
            long weight = weighByBatches ? net.getConfiguration().getIterationCount() - firstIteration : 1;
            RoundSum result = RoundSum.of(net.params(), net.getUpdater().getStateViewArray(), net.score(), weight);
            completed = true;
            return Collections.singletonList(result).iterator();
        } finally {
            Nd4j.getExecutioner().commit();
            if (batches instanceof AsyncMultiDataSetIterator async) {
                async.shutdown();
            }
            lease.release(completed);
        }
    }
}
