package org.ssdspark.train.optim;

import java.util.Arrays;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * PyTorch's {@code CosineAnnealingLR(optimizer, T_max, eta_min)} as the reference training loop steps it, with
 * the optional linear warm-up of the Ascend 8-card port. The step is DL4J's epoch counter (zero-based
 * {@code ComputationGraph.getEpochCount()}), so resuming needs only that counter.
 *
 * <p>Training epoch {@code e} uses
 * <ul>
 *   <li>{@code base * (e + 1) / W} while {@code e < W} (warm-up; none when {@code W = 0});</li>
 *   <li>{@link #cosineAt(int) cosineAt(e - W + 1)} otherwise, where
 *       {@code cosineAt(k) = eta_min + (base - eta_min) * (1 + cos(pi * k / T_max)) / 2}.</li>
 * </ul>
 * The {@code + 1} is the reference's {@code scheduler.step()} before each epoch (see {@link ReferenceEpochs}):
 * with {@code T_max = 200}, 200 epochs and no warm-up, epoch 0 trains at {@code cosineAt(1)} and the last
 * epoch at {@code cosineAt(200) = eta_min}. The iteration argument is ignored.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE, isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class CosineAnnealingSchedule implements ISchedule {

    private static final long serialVersionUID = 1L;

    private final double baseLr;
    private final int tMax;
    private final int warmupEpochs;
    private final double etaMin;

    /** No warm-up, {@code eta_min = 0}: the single-card reference. */
    public CosineAnnealingSchedule(double baseLr, int tMax) {
        this(baseLr, tMax, 0, 0.0);
    }

    /** Linear warm-up over the first {@code warmupEpochs} epochs, {@code eta_min = 0}: the 8-card port. */
    public CosineAnnealingSchedule(double baseLr, int tMax, int warmupEpochs) {
        this(baseLr, tMax, warmupEpochs, 0.0);
    }

    @JsonCreator
    public CosineAnnealingSchedule(@JsonProperty("baseLr") double baseLr, @JsonProperty("tMax") int tMax,
            @JsonProperty("warmupEpochs") int warmupEpochs, @JsonProperty("etaMin") double etaMin) {
        if (!(baseLr > 0) || Double.isInfinite(baseLr)) {
            throw new IllegalArgumentException("baseLr must be positive and finite: " + baseLr);
        }
        if (tMax <= 0) {
            throw new IllegalArgumentException("tMax must be positive: " + tMax);
        }
        if (!(etaMin >= 0 && etaMin <= baseLr)) {
            throw new IllegalArgumentException("etaMin must be in [0, baseLr]: " + etaMin);
        }
        this.baseLr = baseLr;
        this.tMax = tMax;
        this.warmupEpochs = ReferenceEpochs.checkWarmup(warmupEpochs);
        this.etaMin = etaMin;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        ReferenceEpochs.checkEpoch(epoch);
        if (ReferenceEpochs.inWarmup(epoch, warmupEpochs)) {
            return baseLr * ReferenceEpochs.warmupFactor(epoch, warmupEpochs);
        }
        return cosineAt(ReferenceEpochs.schedulerStep(epoch, warmupEpochs));
    }

    /** PyTorch's closed form at scheduler step {@code k} ({@code last_epoch}). */
    public double cosineAt(int k) {
        return etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * k / tMax)) / 2;
    }

    public double getBaseLr() {
        return baseLr;
    }

    public int getTMax() {
        return tMax;
    }

    public int getWarmupEpochs() {
        return warmupEpochs;
    }

    public double getEtaMin() {
        return etaMin;
    }

    @Override
    public ISchedule clone() {
        return this; // immutable
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CosineAnnealingSchedule other
                && Double.compare(baseLr, other.baseLr) == 0
                && tMax == other.tMax
                && warmupEpochs == other.warmupEpochs
                && Double.compare(etaMin, other.etaMin) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new double[] {baseLr, tMax, warmupEpochs, etaMin});
    }

    @Override
    public String toString() {
        return "CosineAnnealingSchedule(base=" + baseLr + ", tMax=" + tMax + ", warmupEpochs=" + warmupEpochs
                + ", etaMin=" + etaMin + ")";
    }
}
