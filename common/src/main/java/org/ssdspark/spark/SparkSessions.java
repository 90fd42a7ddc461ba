package org.ssdspark.spark;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import java.util.Map;

/**
 * Creates the job's Spark session. Under spark-submit the master and settings come from spark-submit and
 * win; run directly (no spark-submit) the job starts an embedded Spark on {@code spark.master} of the config.
 */
public final class SparkSessions {
    private SparkSessions() {
    }

    public static SparkSession create(Config config) {
        SparkConf conf = new SparkConf();
        if (!conf.contains("spark.master")) {
            conf.setMaster(config.getString("spark.master"));
        }
        if (!conf.contains("spark.app.name")) {
            conf.setAppName(config.getString("spark.app_name"));
        }
        for (Map.Entry<String, ConfigValue> e : config.getConfig("spark.conf").entrySet()) {
            // Keys such as "spark.sql.shuffle.partitions" are quoted in HOCON; entrySet gives them quoted.
            String key = e.getKey().replace("\"", "");
            conf.set(key, String.valueOf(e.getValue().unwrapped()));
        }
        // A training round's task result is the network's parameters and updater state (8.7 MB on the quick start's
        // model, 27.5 MB on the full one). Above this size (1 MiB by default) Spark stores a result in the executor's
        // block manager for the driver to fetch in a second step: about 60 ms a round on the quick start. Spark caps
        // it at spark.rpc.message.maxSize (128 MiB by default).
        conf.setIfMissing("spark.task.maxDirectResultSize", "128m");
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
