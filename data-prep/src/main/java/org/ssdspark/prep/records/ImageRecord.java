package org.ssdspark.prep.records;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One shard record: an image's original JPEG bytes, unchanged, with their checksum and its annotations.
 * {@link ShardSchema} is the Parquet schema these map to.
 */
public record ImageRecord(String id, String source, String split, int width, int height, byte[] jpeg,
                          String jpegSha256, List<RecordObject> objects) implements Serializable {

    public Row toRow() {
        List<Row> objs = new ArrayList<>(objects.size());
        for (RecordObject o : objects) {
            objs.add(RowFactory.create(o.label(), o.name(), o.xmin(), o.ymin(), o.xmax(), o.ymax(),
                    o.difficult(), o.truncated()));
        }
        // Spark's row encoder takes arrays as a Scala Seq or a JVM array, not a java.util.List.
        return RowFactory.create(id, source, split, width, height, jpeg, jpegSha256, objs.toArray(new Row[0]));
    }

    public static ImageRecord fromRow(Row row) {
        List<Row> objRows = row.getList(row.fieldIndex("objects"));
        List<RecordObject> objs = new ArrayList<>(objRows.size());
        for (Row o : objRows) {
            objs.add(new RecordObject(o.getInt(0), o.getString(1), o.getDouble(2), o.getDouble(3), o.getDouble(4),
                    o.getDouble(5), o.getBoolean(6), o.getBoolean(7)));
        }
        return new ImageRecord(row.getString(row.fieldIndex("id")), row.getString(row.fieldIndex("source")),
                row.getString(row.fieldIndex("split")), row.getInt(row.fieldIndex("width")),
                row.getInt(row.fieldIndex("height")), (byte[]) row.get(row.fieldIndex("jpeg")),
                row.getString(row.fieldIndex("jpeg_sha256")), objs);
    }

    /** True when the stored checksum matches the bytes. */
    public boolean checksumValid() {
        return Checksums.sha256Hex(jpeg).equals(jpegSha256);
    }
}
