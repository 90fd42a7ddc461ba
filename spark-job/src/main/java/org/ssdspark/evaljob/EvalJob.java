package org.ssdspark.evaljob;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ssdspark.config.UserInputException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Evaluates a model on a data set's split: distributed inference, then the reference's detection files, VOC AP per
 * class and mAP, charts and a report in {@code eval_dir}. The training job calls {@link #run} as its final stage;
 * {@link EvalMain} calls it for any checkpoint.
 *
 * <p>The model travels to the executors once per call, as a broadcast; each executor JVM builds graphs from it
 * lazily and keeps them for all its tasks ({@link ExecutorModels}). Images are decoded, preprocessed, run through
 * the network and post-processed on the executors; only the detections (a few KB per image) and the ground truth
 * come back.
 */
public final class EvalJob {
    private static final Logger LOG = LoggerFactory.getLogger(EvalJob.class);

    public EvalMetrics run(SparkSession spark, EvalOptions options, LoadedModel model) throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        try (EvalData data = EvalDatasets.open(spark, options.dataPath(), options.split(), model.classes())) {
            int target = options.partitions() > 0 ? options.partitions() : 2 * jsc.defaultParallelism();
            JavaRDD<EvalSample> samples = data.samples();
            if (samples.getNumPartitions() < target) {
                // few large shards would leave executors idle; moving the JPEG bytes once is cheaper than that
                samples = samples.repartition(target);
            }
            Broadcast<ModelPayload> payload = jsc.broadcast(ModelPayload.of(model));
            List<PartitionOutput> outputs;
            long start = System.nanoTime();
            try {
                outputs = samples.mapPartitions(new DetectPartition(payload, options.batchSize(),
                        options.postProcessing())).collect();
            } finally {
                payload.destroy();
            }
            double wallSeconds = (System.nanoTime() - start) / 1e9;

            List<ImageResult> results = new ArrayList<>();
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            Map<String, Integer> graphsPerExecutor = new TreeMap<>();
            java.util.SortedSet<String> devices = new java.util.TreeSet<>();
            for (PartitionOutput o : outputs) {
                results.addAll(o.images());
                first = Math.min(first, o.startMillis());
                last = Math.max(last, o.endMillis());
                graphsPerExecutor.merge(o.executorId(), o.graphsBuilt(), Math::max);
                devices.add(o.device());
            }
            if (results.isEmpty()) {
                throw new UserInputException("No image of split '" + options.split() + "' in " + data.description()
                        + " could be read: nothing to evaluate");
            }
            checkUniqueIds(results, data.description());
            double busySeconds = Math.max(1e-3, (last - first) / 1000.0);
            double imagesPerSecond = results.size() / busySeconds;
            devices.forEach(d -> LOG.info("Inference device: {}", d));
            LOG.info(String.format(Locale.ROOT, "Inference: %d images, %.2f s busy (%.2f s wall), %.2f images/s",
                    results.size(), busySeconds, wallSeconds, imagesPerSecond));

            EvalOutputs.RunInfo info = new EvalOutputs.RunInfo(model.description(), data.description(), data.layout(),
                    options.split(), data.rejectedImages(), data.notes(), imagesPerSecond, busySeconds, wallSeconds,
                    samples.getNumPartitions(), graphsPerExecutor, List.copyOf(devices), options.postProcessing(), options.batchSize());
            return EvalOutputs.write(EvalOutputs.inDataSetOrder(results), model.classes(), options, info,
                    spark.sparkContext().hadoopConfiguration());
        }
    }

    /** Detection files and ground truth are keyed by image id: two images with one id would mix. */
    private static void checkUniqueIds(List<ImageResult> results, String data) {
        Set<String> seen = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        for (ImageResult r : results) {
            if (!seen.add(r.id()) && duplicates.size() < 10) {
                duplicates.add(r.id());
            }
        }
        if (!duplicates.isEmpty()) {
            throw new UserInputException("Image ids repeat in " + data + " (e.g. " + duplicates + "); the evaluation"
                    + " keys detections by id: evaluate one source folder at a time");
        }
    }
}
