package org.ssdspark.train;

import org.ssdspark.device.DeviceAssignment;

import java.io.Serializable;

/**
 * What one worker task of an averaging round did, sent back to the driver: where it ran, the images and
 * minibatches it trained, the summed MultiBox loss terms of those minibatches, the learning rate and epoch counter
 * its network actually used, and its duration: in all, getting its network ready (and whether that meant building
 * it), and in {@code fit}. The rest of a task is waiting for data and returning the result.
 */
public record TaskReport(int partition, int attempt, DeviceAssignment device, int images, int batches,
                         double regressionSum, double classificationSum, double lrMin, double lrMax,
                         int workerEpoch, double seconds, double networkSeconds, boolean networkBuilt,
                         double fitSeconds) implements Serializable {

    public double meanLoss() {
        return batches == 0 ? Double.NaN : (regressionSum + classificationSum) / batches;
    }
}
