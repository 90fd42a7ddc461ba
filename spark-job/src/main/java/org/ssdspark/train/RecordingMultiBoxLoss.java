package org.ssdspark.train;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.ssdspark.ssd.MultiBoxLoss;

/**
 * {@link MultiBoxLoss} that also records both loss terms of every training minibatch in the running task's
 * {@link TaskState}: DL4J's Spark workers return only the score of the last minibatch, and as one number.
 * Outside a training task it is exactly MultiBoxLoss. The terms come from the same evaluation as the gradient,
 * so recording costs nothing extra.
 */
public final class RecordingMultiBoxLoss implements ILossFunction {

    private static final long serialVersionUID = 1L;

    @JsonProperty("negPosRatio")
    private int negPosRatio;
    private transient MultiBoxLoss delegate;

    public RecordingMultiBoxLoss() {
        this(MultiBoxLoss.DEFAULT_NEG_POS_RATIO);
    }

    public RecordingMultiBoxLoss(int negPosRatio) {
        this.negPosRatio = negPosRatio;
    }

    private MultiBoxLoss loss() {
        if (delegate == null) {
            delegate = new MultiBoxLoss(negPosRatio);
        }
        return delegate;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        return loss().computeScore(labels, preOutput, activationFn, mask, average);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return loss().computeScoreArray(labels, preOutput, activationFn, mask);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return recorded(labels, preOutput, activationFn, mask).gradient();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                          IActivation activationFn, INDArray mask, boolean average) {
        MultiBoxLoss.GradientAndTerms g = recorded(labels, preOutput, activationFn, mask);
        double total = g.terms().total();
        return new Pair<>(average ? total / labels.size(0) : total, g.gradient());
    }

    /**
     * A training step asks for the gradient exactly once per minibatch (DL4J's LossLayer through
     * {@link #computeGradient}, other layers through {@link #computeGradientAndScore}); score-only calls are not
     * training steps and are not recorded.
     */
    private MultiBoxLoss.GradientAndTerms recorded(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                   INDArray mask) {
        // One evaluation gives the gradient and the terms the task reports for this minibatch.
        MultiBoxLoss.GradientAndTerms g = loss().gradientAndTerms(labels, preOutput, activationFn, mask);
        TaskState task = TaskState.current();
        if (task != null) {
            task.addLoss((int) labels.size(0), g.terms().regression(), g.terms().classification());
        }
        return g;
    }

    @Override
    public String name() {
        return "RecordingMultiBoxLoss";
    }

    public int getNegPosRatio() {
        return negPosRatio;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordingMultiBoxLoss other && other.negPosRatio == negPosRatio;
    }

    @Override
    public int hashCode() {
        return negPosRatio;
    }

    @Override
    public String toString() {
        return "RecordingMultiBoxLoss(negPosRatio=" + negPosRatio + ")";
    }
}
