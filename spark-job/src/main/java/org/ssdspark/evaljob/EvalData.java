package org.ssdspark.evaljob;

import org.apache.spark.api.java.JavaRDD;

import java.util.List;

/**
 * The images to evaluate, still distributed: their samples, what the data is (for reports), how many images were
 * listed and how many could not be read (a VOC folder's rejected images), and notes worth reporting.
 * {@link #close} releases whatever was cached to produce the samples.
 */
public record EvalData(JavaRDD<EvalSample> samples, String description, String layout, long rejectedImages,
                       List<String> notes, Runnable release) implements AutoCloseable {

    public EvalData {
        notes = List.copyOf(notes);
    }

    @Override
    public void close() {
        release.run();
    }
}
