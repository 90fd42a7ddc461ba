package org.ssdspark.evaljob;

import java.io.Serializable;
import java.util.List;

/**
 * One partition's results and when it processed them (epoch milliseconds, after its graph was ready), so the driver
 * can measure throughput over the busy window only, without Spark's and the model's start-up.
 */
public record PartitionOutput(List<ImageResult> images, long startMillis, long endMillis) implements Serializable {
}
