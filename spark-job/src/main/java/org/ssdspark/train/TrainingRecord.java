package org.ssdspark.train;

import org.apache.spark.sql.Row;
import org.ssdspark.prep.records.RecordObject;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What training needs of a shard record: the original JPEG bytes and the non-difficult boxes in pixels, 0-based
 * as the reference's VOCDataset makes them ({@code xml - 1}), with their labels (1-based; 0 is background).
 * Cheap to shuffle: no decoded pixels.
 */
public record TrainingRecord(String id, int width, int height, byte[] jpeg, float[][] boxes, int[] labels) implements Serializable {

    /** Columns read from the shards (Parquet reads only these). */
    public static final String[] COLUMNS = {"id", "width", "height", "jpeg", "objects"};

    /** From a shard row with at least {@link #COLUMNS}; difficult objects dropped (the reference's keep_difficult=False). */
    public static TrainingRecord fromRow(Row row) {
        List<Row> objects = row.getList(row.fieldIndex("objects"));
        List<RecordObject> kept = new ArrayList<>(objects.size());
        for (Row o : objects) {
            RecordObject obj = new RecordObject(o.getInt(0), o.getString(1), o.getDouble(2), o.getDouble(3),
                    o.getDouble(4), o.getDouble(5), o.getBoolean(6), o.getBoolean(7));
            if (!obj.difficult()) {
                kept.add(obj);
            }
        }
        float[][] boxes = new float[kept.size()][];
        int[] labels = new int[kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            RecordObject o = kept.get(i);
            boxes[i] = new float[]{(float) (o.xmin() - 1), (float) (o.ymin() - 1), (float) (o.xmax() - 1),
                    (float) (o.ymax() - 1)};
            labels[i] = o.label();
        }
        return new TrainingRecord(row.getString(row.fieldIndex("id")), row.getInt(row.fieldIndex("width")),
                row.getInt(row.fieldIndex("height")), (byte[]) row.get(row.fieldIndex("jpeg")),
                boxes, labels);
    }
}
