package org.ssdspark.prep.job;

import com.typesafe.config.Config;
import org.ssdspark.config.UserInputException;

/** The conversion's settings, read from the {@code prep} section of the resolved config. */
public record PrepOptions(String dataPath, String output, String labels, int shards, long targetShardMb,
                          boolean overwrite, boolean strict, int readPartitions) {

    public static PrepOptions from(Config c) {
        PrepOptions o = new PrepOptions(c.getString("prep.data_path"), c.getString("prep.output"),
                c.getString("prep.labels"), c.getInt("prep.shards"), c.getLong("prep.target_shard_mb"),
                c.getBoolean("prep.overwrite"), c.getBoolean("prep.strict"), c.getInt("prep.read_partitions"));
        if (o.dataPath.isBlank()) {
            throw new UserInputException("prep.data_path is not set: give --data_path DIR (a VOC0712/, VOCdevkit/"
                    + " or VOC-format folder)");
        }
        if (o.output.isBlank()) {
            throw new UserInputException("prep.output is not set: give --output URI (hdfs://..., file://... or a path)");
        }
        if (o.shards < 0) {
            throw new UserInputException("prep.shards must be >= 0, got " + o.shards);
        }
        if (o.targetShardMb <= 0) {
            throw new UserInputException("prep.target_shard_mb must be > 0, got " + o.targetShardMb);
        }
        if (o.readPartitions < 0) {
            throw new UserInputException("prep.read_partitions must be >= 0, got " + o.readPartitions);
        }
        return o;
    }
}
