package org.ssdspark.evaljob;

import java.io.Serializable;
import java.util.List;

/**
 * One partition's results and when it processed them (epoch milliseconds, after its graph was ready), so the driver
 * can measure throughput over the busy window only, without Spark's and the model's start-up; and which executor
 * ran it with how many graphs of this model that executor's JVM had built by then, and the card it was given
 * ({@link org.ssdspark.device.DeviceAssignment#describe}).
 */
public record PartitionOutput(List<ImageResult> images, long startMillis, long endMillis, String executorId,
                              int graphsBuilt, String device) implements Serializable {
}
