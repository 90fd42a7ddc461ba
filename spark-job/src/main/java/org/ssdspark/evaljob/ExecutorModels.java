package org.ssdspark.evaljob;

import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The graphs of the current model in this JVM (an executor, or the driver in local mode), built lazily from the
 * broadcast payload and kept for every later task and stage of the same model.
 *
 * <p>A graph's forward pass is not thread-safe, so each task borrows one for its partition and returns it: the JVM
 * ends up with one graph per concurrently running task (one per executor with one core per executor), each built
 * once. The payload is deserialised once per device; further graphs are clones of that device's first one. Graphs
 * are kept per ND4J device (-1: unpinned, the CPU): on a multi-card executor two tasks pinned to different cards must
 * not share a graph whose arrays live on one of them. Only the latest model is kept: a training run that evaluates
 * every few epochs does not accumulate graphs.
 */
final class ExecutorModels {
    private static Pool current;

    private ExecutorModels() {
    }

    private static final class Pool {
        final String modelId;
        final Map<Integer, DeviceGraphs> devices = new ConcurrentHashMap<>();
        final AtomicInteger built = new AtomicInteger();

        Pool(String modelId) {
            this.modelId = modelId;
        }
    }

    /** One device's graphs: the prototype restored on a thread pinned to that device, and idle clones. */
    private static final class DeviceGraphs {
        final ComputationGraph prototype;
        final ConcurrentLinkedQueue<ComputationGraph> idle = new ConcurrentLinkedQueue<>();

        DeviceGraphs(ModelPayload payload) {
            this.prototype = payload.restoreGraph();
        }
    }

    /**
     * A graph of {@code payload}'s model on ND4J device {@code device} (the calling thread must be pinned to it; -1
     * unpinned) for this task's exclusive use; give it back with {@link #release}.
     */
    static ComputationGraph borrow(ModelPayload payload, int device) {
        Pool pool = poolFor(payload);
        DeviceGraphs graphs = pool.devices.computeIfAbsent(device, d -> new DeviceGraphs(payload));
        ComputationGraph graph = graphs.idle.poll();
        if (graph == null) {
            synchronized (graphs) {
                graph = graphs.prototype.clone();
            }
            pool.built.incrementAndGet();
        }
        return graph;
    }

    static void release(ModelPayload payload, int device, ComputationGraph graph) {
        Pool pool;
        synchronized (ExecutorModels.class) {
            pool = current;
        }
        if (pool != null && pool.modelId.equals(payload.id())) {
            DeviceGraphs graphs = pool.devices.get(device);
            if (graphs != null) {
                graphs.idle.add(graph);
            }
        }
    }

    /** Devices this JVM holds graphs of the model {@code modelId} for. */
    static synchronized java.util.Set<Integer> devices(String modelId) {
        return current != null && current.modelId.equals(modelId) ? java.util.Set.copyOf(current.devices.keySet())
                : java.util.Set.of();
    }

    /** Graphs built in this JVM for the model {@code modelId} (0 if it is not the current model). */
    static synchronized int graphsBuilt(String modelId) {
        return current != null && current.modelId.equals(modelId) ? current.built.get() : 0;
    }

    private static synchronized Pool poolFor(ModelPayload payload) {
        if (current == null || !current.modelId.equals(payload.id())) {
            current = new Pool(payload.id());
        }
        return current;
    }
}
