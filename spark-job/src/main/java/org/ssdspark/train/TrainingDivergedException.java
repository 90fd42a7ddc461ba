package org.ssdspark.train;

/** The loss or the averaged parameters stopped being finite; the last checkpoint written is left as it was. */
public final class TrainingDivergedException extends RuntimeException {

    private final int epoch;
    private final long iteration;

    public TrainingDivergedException(int epoch, int round, long iteration, String what) {
        super("Training diverged in epoch " + epoch + ", round " + round + " (iteration " + iteration + "): " + what
                + ". Nothing was saved after the last checkpoint; lower the learning rate or resume from it.");
        this.epoch = epoch;
        this.iteration = iteration;
    }

    public int epoch() {
        return epoch;
    }

    public long iteration() {
        return iteration;
    }
}
