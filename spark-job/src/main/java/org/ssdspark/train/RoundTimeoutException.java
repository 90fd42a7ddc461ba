package org.ssdspark.train;

/**
 * A round that did not finish within {@code train.round_timeout_seconds}: its jobs were cancelled and the run stops
 * before its epoch's checkpoint, so the last checkpoint is untouched and a scheduler's retry with {@code --resume}
 * continues from it. Exit code 1.
 */
public final class RoundTimeoutException extends RuntimeException {
    private final int epoch;
    private final int round;

    RoundTimeoutException(int epoch, int round, long timeoutSeconds, String lateTasks, Throwable cause) {
        super("Epoch " + epoch + " round " + round + " did not finish within train.round_timeout_seconds = "
                + timeoutSeconds + " s and was cancelled (" + lateTasks + "); the last checkpoint is untouched:"
                + " rerun with --resume CHECKPOINT_FOLDER", cause);
        this.epoch = epoch;
        this.round = round;
    }

    public int epoch() {
        return epoch;
    }

    public int round() {
        return round;
    }
}
