package org.ssdspark.train;

import org.ssdspark.device.DeviceAssignment;

/**
 * The running tally of one worker task, reachable from the loss function and the listener that run inside
 * DL4J's worker in the same task thread. Set by {@link MinibatchFunction} at the start of the task.
 */
final class TaskState {

    private static final ThreadLocal<TaskState> CURRENT = new ThreadLocal<>();

    private final int partition;
    private final int attempt;
    private final DeviceAssignment device;
    private final long startNanos = System.nanoTime();
    private int images;
    private int batches;
    private double regression;
    private double classification;
    private double lrMin = Double.POSITIVE_INFINITY;
    private double lrMax = Double.NEGATIVE_INFINITY;
    private int workerEpoch = -1;
    private double networkSeconds;
    private boolean networkBuilt;
    private double fitSeconds;

    private TaskState(int partition, int attempt, DeviceAssignment device) {
        this.partition = partition;
        this.attempt = attempt;
        this.device = device;
    }

    static TaskState begin(int partition, int attempt, DeviceAssignment device) {
        TaskState s = new TaskState(partition, attempt, device);
        CURRENT.set(s);
        return s;
    }

    /** The state of the task running in this thread, or null outside a training task. */
    static TaskState current() {
        return CURRENT.get();
    }

    static void end() {
        CURRENT.remove();
    }

    synchronized void addLoss(int batchSize, double regressionTerm, double classificationTerm) {
        images += batchSize;
        batches++;
        regression += regressionTerm;
        classification += classificationTerm;
    }

    synchronized void addLearningRate(double lr, int epoch) {
        lrMin = Math.min(lrMin, lr);
        lrMax = Math.max(lrMax, lr);
        workerEpoch = epoch;
    }

    /** The time this task took to get its network ready, and whether it had to build it. */
    synchronized void addNetworkSetup(double seconds, boolean built) {
        networkSeconds += seconds;
        networkBuilt |= built;
    }

    /** The time one minibatch's {@code fit} took (forward, loss, backward, update). */
    synchronized void addFitSeconds(double seconds) {
        fitSeconds += seconds;
    }

    synchronized TaskReport report() {
        return new TaskReport(partition, attempt, device, images, batches, regression, classification,
                lrMin, lrMax, workerEpoch, (System.nanoTime() - startNanos) / 1e9,
                networkSeconds, networkBuilt, fitSeconds);
    }
}
