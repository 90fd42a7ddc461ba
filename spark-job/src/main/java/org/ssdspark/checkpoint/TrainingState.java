package org.ssdspark.checkpoint;

/**
 * Where training stood when a checkpoint was written.
 *
 * @param epoch          the last completed epoch, 0-based (the reference's numbering); training resumes at epoch + 1
 * @param iteration      DL4J's iteration counter (minibatch steps per worker) after that epoch
 * @param learningRate   the learning rate that epoch trained with
 * @param schedule       the learning-rate schedule as DL4J JSON; its position is the epoch counter
 * @param validationLoss validation loss after that epoch (NaN when none was computed)
 */
public record TrainingState(int epoch, long iteration, double learningRate, String schedule, double validationLoss) {

    public int nextEpoch() {
        return epoch + 1;
    }
}
