package org.ssdspark.evaljob;

import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Runs on executors: one partition's images through the detector in batches; one {@link PartitionOutput} back. */
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
        ModelPayload payload = model.value();
        ComputationGraph graph = ExecutorModels.borrow(payload);
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
                    env == null ? "driver" : env.executorId(), ExecutorModels.graphsBuilt(payload.id()))).iterator();
        } finally {
            ExecutorModels.release(payload, graph);
        }
    }
}
