package org.ssdspark.train.optim;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * PyTorch's {@code torch.optim.SGD(momentum=m, dampening=0, nesterov=False)} as a DL4J updater:
 * {@code v = m * v + g; p -= lr * v}, with {@code v = g} on the first step (the state starts at zero).
 *
 * <p>Weight decay is not part of this class: DL4J's updater never sees the parameters. PyTorch's
 * {@code weight_decay=wd} ({@code g += wd * p} before the momentum) is exactly DL4J's {@code L2Regularization},
 * which {@code UpdaterBlock} adds to the gradient before calling the updater: configure
 * {@code .l2(wd).l2Bias(wd)} on the network and replace the BatchNormalization layers with
 * {@link org.ssdspark.nn.WeightDecayedBatchNormalization} (DL4J never regularizes gamma and beta; PyTorch does).
 *
 * <p>The state is one value per parameter ({@code v}, unscaled by the learning rate, as PyTorch's
 * {@code momentum_buffer}), so Spark's parameter averaging can average it and a learning rate that changes
 * between epochs acts on the accumulated velocity as it does in PyTorch.
 *
 * <p>Fields are read by DL4J's (shaded) Jackson through {@link IUpdater}'s field visibility; the no-argument
 * constructor exists for it.
 */
public final class SgdMomentum implements IUpdater {

    private static final long serialVersionUID = 1L;

    private double learningRate;
    private ISchedule learningRateSchedule;
    private double momentum;

    /** For JSON deserialisation: learning rate 0.01, momentum 0.9 (the reference's defaults). */
    public SgdMomentum() {
        this(0.01, 0.9);
    }

    /** Fixed learning rate. */
    public SgdMomentum(double learningRate, double momentum) {
        this.learningRate = learningRate;
        this.momentum = checkMomentum(momentum);
    }

    /** Learning rate from a schedule, e.g. {@link CosineAnnealingSchedule} or {@link MultiStepSchedule}. */
    public SgdMomentum(ISchedule learningRateSchedule, double momentum) {
        this.learningRate = Double.NaN;
        this.learningRateSchedule = Objects.requireNonNull(learningRateSchedule, "learningRateSchedule");
        this.momentum = checkMomentum(momentum);
    }

    private static double checkMomentum(double momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1): " + momentum);
        }
        return momentum;
    }

    public double getMomentum() {
        return momentum;
    }

    /** The schedule, or null when the learning rate is fixed. */
    public ISchedule getLearningRateSchedule() {
        return learningRateSchedule;
    }

    @Override
    public long stateSize(long numParams) {
        return numParams;
    }

    @Override
    public GradientUpdater<SgdMomentum> instantiate(INDArray viewArray, boolean initializeViewArray) {
        SgdMomentumUpdater updater = new SgdMomentumUpdater(this);
        updater.setStateViewArray(viewArray, viewArray.shape(), viewArray.ordering(), initializeViewArray);
        return updater;
    }

    @Override
    public GradientUpdater<SgdMomentum> instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        SgdMomentumUpdater updater = new SgdMomentumUpdater(this);
        updater.setState(updaterState, initializeStateArrays);
        return updater;
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRateSchedule == null ? learningRate : learningRateSchedule.valueAt(iteration, epoch);
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        this.learningRate = lr;
        this.learningRateSchedule = lrSchedule;
    }

    @Override
    public SgdMomentum clone() {
        SgdMomentum copy = new SgdMomentum(learningRate, momentum);
        copy.learningRateSchedule = learningRateSchedule == null ? null : learningRateSchedule.clone();
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SgdMomentum other)) {
            return false;
        }
        return Double.compare(learningRate, other.learningRate) == 0
                && Double.compare(momentum, other.momentum) == 0
                && Objects.equals(learningRateSchedule, other.learningRateSchedule);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new Object[] {learningRate, momentum, learningRateSchedule});
    }

    @Override
    public String toString() {
        return "SgdMomentum(lr=" + (learningRateSchedule == null ? learningRate : learningRateSchedule)
                + ", momentum=" + momentum + ")";
    }
}
