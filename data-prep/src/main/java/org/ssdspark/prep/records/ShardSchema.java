package org.ssdspark.prep.records;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The Parquet schema of a shard. Bump {@link #VERSION} on any change a reader must know about. */
public final class ShardSchema {
    public static final int VERSION = 1;

    public static final StructType OBJECT = new StructType(new StructField[]{
            DataTypes.createStructField("label", DataTypes.IntegerType, false),
            DataTypes.createStructField("name", DataTypes.StringType, false),
            DataTypes.createStructField("xmin", DataTypes.DoubleType, false),
            DataTypes.createStructField("ymin", DataTypes.DoubleType, false),
            DataTypes.createStructField("xmax", DataTypes.DoubleType, false),
            DataTypes.createStructField("ymax", DataTypes.DoubleType, false),
            DataTypes.createStructField("difficult", DataTypes.BooleanType, false),
            DataTypes.createStructField("truncated", DataTypes.BooleanType, false)});

    public static final StructType RECORD = new StructType(new StructField[]{
            DataTypes.createStructField("id", DataTypes.StringType, false),
            DataTypes.createStructField("source", DataTypes.StringType, false),
            DataTypes.createStructField("split", DataTypes.StringType, false),
            DataTypes.createStructField("width", DataTypes.IntegerType, false),
            DataTypes.createStructField("height", DataTypes.IntegerType, false),
            DataTypes.createStructField("jpeg", DataTypes.BinaryType, false),
            DataTypes.createStructField("jpeg_sha256", DataTypes.StringType, false),
            DataTypes.createStructField("objects", DataTypes.createArrayType(OBJECT, false), false)});

    private ShardSchema() {
    }
}
