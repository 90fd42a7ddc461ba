package org.ssdspark.train.optim;

import java.util.Arrays;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * PyTorch's {@code MultiStepLR(optimizer, milestones, gamma)} as the reference training loop steps it, with the
 * optional linear warm-up of the Ascend 8-card port; the step is DL4J's zero-based epoch counter.
 *
 * <p>Training epoch {@code e} uses {@code base * (e + 1) / W} while {@code e < W}, otherwise
 * {@link #stepAt(int) stepAt(e - W + 1)} with {@code stepAt(k) = base * gamma^(number of milestones <= k)}.
 * With the reference's milestones 80,100 and no warm-up the rate drops for epoch 79 and again for epoch 99
 * (the loop's {@code scheduler.step()} comes before each epoch; see {@link ReferenceEpochs}).
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE, isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class MultiStepSchedule implements ISchedule {

    private static final long serialVersionUID = 1L;

    private final double baseLr;
    private final int[] milestones;
    private final double gamma;
    private final int warmupEpochs;

    /** No warm-up. */
    public MultiStepSchedule(double baseLr, int[] milestones, double gamma) {
        this(baseLr, milestones, gamma, 0);
    }

    @JsonCreator
    public MultiStepSchedule(@JsonProperty("baseLr") double baseLr, @JsonProperty("milestones") int[] milestones,
            @JsonProperty("gamma") double gamma, @JsonProperty("warmupEpochs") int warmupEpochs) {
        if (!(baseLr > 0) || Double.isInfinite(baseLr)) {
            throw new IllegalArgumentException("baseLr must be positive and finite: " + baseLr);
        }
        if (!(gamma > 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("gamma must be positive and finite: " + gamma);
        }
        int[] sorted = milestones.clone();
        Arrays.sort(sorted);
        // PyTorch keeps milestones in a Counter: a repeated milestone multiplies by gamma once per repetition,
        // which counting "milestones <= k" over the sorted list reproduces.
        this.baseLr = baseLr;
        this.milestones = sorted;
        this.gamma = gamma;
        this.warmupEpochs = ReferenceEpochs.checkWarmup(warmupEpochs);
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        ReferenceEpochs.checkEpoch(epoch);
        if (ReferenceEpochs.inWarmup(epoch, warmupEpochs)) {
            return baseLr * ReferenceEpochs.warmupFactor(epoch, warmupEpochs);
        }
        return stepAt(ReferenceEpochs.schedulerStep(epoch, warmupEpochs));
    }

    /** PyTorch's closed form at scheduler step {@code k}: {@code base * gamma^bisect_right(milestones, k)}. */
    public double stepAt(int k) {
        int passed = 0;
        while (passed < milestones.length && milestones[passed] <= k) {
            passed++;
        }
        return baseLr * Math.pow(gamma, passed);
    }

    public double getBaseLr() {
        return baseLr;
    }

    public int[] getMilestones() {
        return milestones.clone();
    }

    public double getGamma() {
        return gamma;
    }

    public int getWarmupEpochs() {
        return warmupEpochs;
    }

    @Override
    public ISchedule clone() {
        return this; // immutable
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MultiStepSchedule other
                && Double.compare(baseLr, other.baseLr) == 0
                && Arrays.equals(milestones, other.milestones)
                && Double.compare(gamma, other.gamma) == 0
                && warmupEpochs == other.warmupEpochs;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(milestones) + Arrays.hashCode(new double[] {baseLr, gamma, warmupEpochs});
    }

    @Override
    public String toString() {
        return "MultiStepSchedule(base=" + baseLr + ", milestones=" + Arrays.toString(milestones) + ", gamma="
                + gamma + ", warmupEpochs=" + warmupEpochs + ")";
    }
}
