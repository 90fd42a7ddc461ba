package org.ssdspark.train;

import org.ssdspark.device.DeviceAssignment;

import java.util.List;

/**
 * What a training run did: the epochs it trained (with their metrics), the device assignments its tasks
 * received, where its last checkpoint is, and the global images/s of all rounds but the first (the original's
 * performance scripts quote the same figure: after warm-up, data loading included).
 */
public record TrainingSummary(int firstEpoch, int lastEpoch, long iteration, List<EpochStats> epochs,
                              List<DeviceAssignment> devices, String lastCheckpoint, int workers,
                              double imagesPerSecondAfterWarmup) {

    /** One epoch: mean training loss terms over its minibatches, lr, throughput, time spent outside worker compute. */
    public record EpochStats(int epoch, double loss, double regressionLoss, double classificationLoss, double lr,
                             long images, double seconds, double averagingSeconds, double validationLoss) {
        public double imagesPerSecond() {
            return images / seconds;
        }

        public double averagingShare() {
            return averagingSeconds / seconds;
        }
    }

    public int epochsTrained() {
        return epochs.size();
    }
}
