package org.ssdspark.evaljob;

import org.apache.spark.SparkEnv;
import org.ssdspark.device.DeviceAssignment;
import org.ssdspark.device.DevicePinner;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Runs on executors: one partition's images through the detector in batches; one {@link PartitionOutput} back. The
 * task pins ND4J to its card first, as training tasks do, and borrows a graph that lives on that card.
 */
public final class DetectPartition implements FlatMapFunction<Iterator<EvalSample>, PartitionOutput> {
    private final Broadcast<ModelPayload> model;
    private final int batchSize;
    private final PostProcessing postProcessing;

    public DetectPartition(Broadcast<ModelPayload> model, int batchSize, PostProcessing postProcessing) {
        this.model = model;
        this.batchSize = batchSize;
        this.postProcessing = postProcessing;
    }

    @Override
    public Iterator<PartitionOutput> call(Iterator<EvalSample> samples) {
        if (!samples.hasNext()) {
            return List.<PartitionOutput>of().iterator();
        }
        // like a training task: this task's card (Spark's resource address) before any array is made
        DeviceAssignment assignment = DevicePinner.pinCurrentTask("");
        int device = assignment.device();
        ModelPayload payload = model.value();
        ComputationGraph graph = ExecutorModels.borrow(payload, device);
        try {
            ImageDetector detector = new ImageDetector(graph, payload.config(), postProcessing.processor());
            long start = System.currentTimeMillis();
            List<ImageResult> results = new ArrayList<>();
            List<EvalSample> batch = new ArrayList<>(batchSize);
            while (samples.hasNext()) {
                batch.add(samples.next());
                if (batch.size() == batchSize || !samples.hasNext()) {
                    results.addAll(detector.detect(batch));
                    batch.clear();
                }
            }
            SparkEnv env = SparkEnv.get();
            return List.of(new PartitionOutput(results, start, System.currentTimeMillis(),
                    env == null ? "driver" : env.executorId(), ExecutorModels.graphsBuilt(payload.id()),
                    assignment.describe())).iterator();
        } finally {
            ExecutorModels.release(payload, device, graph);
        }
    }
}
