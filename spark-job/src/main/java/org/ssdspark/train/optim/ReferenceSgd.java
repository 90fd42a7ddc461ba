package org.ssdspark.train.optim;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The reference optimiser settings: {@code SGD(lr, momentum, weight_decay)} with a per-epoch learning-rate
 * schedule. {@link #applyTo} puts them on a network's global builder; the graph's BatchNormalization layers must
 * still be {@link org.ssdspark.nn.WeightDecayedBatchNormalization} for gamma and beta to decay.
 */
public record ReferenceSgd(ISchedule learningRate, double momentum, double weightDecay) {

    /** The reference's momentum and weight decay. */
    public static final double MOMENTUM = 0.9;
    public static final double WEIGHT_DECAY = 5e-4;

    public ReferenceSgd {
        if (learningRate == null) {
            throw new IllegalArgumentException("learningRate schedule is required");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be >= 0 and finite: " + weightDecay);
        }
    }

    /** {@code --scheduler cosine --t_max tMax} (plus the 8-card port's {@code --warm_up_epochs}, or 0). */
    public static ReferenceSgd cosine(double baseLr, int tMax, int warmupEpochs) {
        return new ReferenceSgd(new CosineAnnealingSchedule(baseLr, tMax, warmupEpochs), MOMENTUM, WEIGHT_DECAY);
    }

    /** {@code --scheduler multi-step --milestones ...} with the reference's fixed gamma 0.1. */
    public static ReferenceSgd multiStep(double baseLr, int[] milestones, int warmupEpochs) {
        return new ReferenceSgd(new MultiStepSchedule(baseLr, milestones, 0.1, warmupEpochs), MOMENTUM,
                WEIGHT_DECAY);
    }

    public SgdMomentum updater() {
        return new SgdMomentum(learningRate, momentum);
    }

    /** Sets the updater and the L2 regularization of weights and biases (PyTorch decays both). */
    public NeuralNetConfiguration.Builder applyTo(NeuralNetConfiguration.Builder builder) {
        return builder.updater(updater()).l2(weightDecay).l2Bias(weightDecay);
    }
}
