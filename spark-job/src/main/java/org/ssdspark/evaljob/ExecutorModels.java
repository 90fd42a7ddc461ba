package org.ssdspark.evaljob;

import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The graphs of the current model in this JVM (an executor, or the driver in local mode), built lazily from the
 * broadcast payload and kept for every later task and stage of the same model.
 *
 * <p>A graph's forward pass is not thread-safe, so each task borrows one for its partition and returns it: the JVM
 * ends up with one graph per concurrently running task (one per executor with one core per executor), each built
 * once. The payload is deserialised once; further graphs are clones of that first one. Only the latest model is
 * kept: a training run that evaluates every few epochs does not accumulate graphs.
 */
final class ExecutorModels {
    private static Pool current;

    private ExecutorModels() {
    }

    private static final class Pool {
        final String modelId;
        final ComputationGraph prototype;
        final ConcurrentLinkedQueue<ComputationGraph> idle = new ConcurrentLinkedQueue<>();
        final AtomicInteger built = new AtomicInteger();

        Pool(ModelPayload payload) {
            this.modelId = payload.id();
            this.prototype = payload.restoreGraph();
        }
    }

    /** A graph of {@code payload}'s model for this task's exclusive use; give it back with {@link #release}. */
    static ComputationGraph borrow(ModelPayload payload) {
        Pool pool = poolFor(payload);
        ComputationGraph graph = pool.idle.poll();
        if (graph == null) {
            synchronized (pool) {
                graph = pool.prototype.clone();
            }
            pool.built.incrementAndGet();
        }
        return graph;
    }

    static void release(ModelPayload payload, ComputationGraph graph) {
        Pool pool;
        synchronized (ExecutorModels.class) {
            pool = current;
        }
        if (pool != null && pool.modelId.equals(payload.id())) {
            pool.idle.add(graph);
        }
    }

    /** Graphs built in this JVM for the model {@code modelId} (0 if it is not the current model). */
    static synchronized int graphsBuilt(String modelId) {
        return current != null && current.modelId.equals(modelId) ? current.built.get() : 0;
    }

    private static synchronized Pool poolFor(ModelPayload payload) {
        if (current == null || !current.modelId.equals(payload.id())) {
            current = new Pool(payload);
        }
        return current;
    }
}
