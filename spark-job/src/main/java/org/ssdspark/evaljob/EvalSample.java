package org.ssdspark.evaljob;

import org.ssdspark.prep.records.ImageRecord;
import org.ssdspark.prep.records.RecordObject;

import java.io.Serializable;
import java.util.List;

/**
 * One test image as the executors see it: id, position in the data set's order ({@code -1}: order by id), the
 * encoded bytes and the annotated objects in annotation order (the ground truth).
 */
public record EvalSample(String id, long order, byte[] jpeg, List<RecordObject> objects) implements Serializable {

    public static EvalSample of(ImageRecord record, long order) {
        return new EvalSample(record.id(), order, record.jpeg(), List.copyOf(record.objects()));
    }
}
