package org.ssdspark.train;

import java.io.Serializable;

/**
 * How one epoch of {@code records} images splits into averaging rounds: consecutive slots of a shuffled epoch
 * form tasks of {@code batchSize * averagingFrequency} images, {@code workers} tasks make a round. The last task
 * and the last round may be short, but every minibatch is full: the epoch's last {@code records % batchSize} slots are
 * not trained (PyTorch's {@code drop_last=True}; a fresh permutation every epoch picks other images to leave out).
 * A minibatch of one image would give BatchNorm a zero variance on the 1x1 maps (PyTorch refuses such a batch), and a
 * short one is a noisier step that DL4J's averaging weighs as much as a full one. An epoch smaller than one
 * minibatch is trained as it is. A round whose tasks train different numbers of minibatches is averaged in
 * proportion to them ({@link RoundTrainingMaster}).
 */
public record EpochLayout(long records, int workers, int batchSize, int averagingFrequency, int maxRounds)
        implements Serializable {

    public EpochLayout {
        if (records < 1 || workers < 1 || batchSize < 1 || averagingFrequency < 1 || maxRounds < 0) {
            throw new IllegalArgumentException("bad epoch layout: " + records + " records, " + workers + " workers, batch "
                    + batchSize + ", averaging frequency " + averagingFrequency + ", max rounds " + maxRounds);
        }
    }

    public int recordsPerTask() {
        return Math.toIntExact((long) batchSize * averagingFrequency);
    }

    /** Images trained per epoch: whole minibatches only. */
    public long trainedRecords() {
        return records < batchSize ? records : records - records % batchSize;
    }

    /** Whether the image in this slot of the shuffled epoch is trained. */
    public boolean trains(long slot) {
        return slot < trainedRecords();
    }

    /** Tasks (Spark partitions) of the whole epoch. */
    public int tasks() {
        return Math.toIntExact((trainedRecords() + recordsPerTask() - 1) / recordsPerTask());
    }

    /** Rounds of the whole epoch, before max_rounds_per_epoch. */
    public int fullRounds() {
        return (tasks() + workers - 1) / workers;
    }

    /** Rounds trained per epoch. */
    public int rounds() {
        return maxRounds > 0 ? Math.min(maxRounds, fullRounds()) : fullRounds();
    }

    public int firstTask(int round) {
        return round * workers;
    }

    /** One past the last task of the round. */
    public int endTask(int round) {
        return Math.min(tasks(), (round + 1) * workers);
    }

    public int taskOfSlot(long slot) {
        return (int) (slot / recordsPerTask());
    }

    /** Minibatches each task of the round trains: averaging_frequency, except the epoch's last task, which may be short. */
    public int[] batchesPerTask(int round) {
        int[] batches = new int[endTask(round) - firstTask(round)];
        for (int i = 0; i < batches.length; i++) {
            long start = (long) (firstTask(round) + i) * recordsPerTask();
            long images = Math.min(trainedRecords(), start + recordsPerTask()) - start;
            batches[i] = Math.toIntExact((images + batchSize - 1) / batchSize);
        }
        return batches;
    }

    /** Images trained in the round. */
    public long imagesInRound(int round) {
        long start = (long) firstTask(round) * recordsPerTask();
        long end = Math.min(trainedRecords(), (long) endTask(round) * recordsPerTask());
        return end - start;
    }
}
