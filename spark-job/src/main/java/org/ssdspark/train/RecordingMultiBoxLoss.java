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
 * Outside a training task it is exactly MultiBoxLoss. The terms cost one more (gradient-free) loss evaluation
 * per minibatch: a softmax and the hard-negative mining, small next to the network's forward and backward pass.
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
        record(labels, preOutput, activationFn);
        return loss().computeGradient(labels, preOutput, activationFn, mask);
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                          IActivation activationFn, INDArray mask, boolean average) {
        record(labels, preOutput, activationFn);
        return loss().computeGradientAndScore(labels, preOutput, activationFn, mask, average);
    }

    /**
     * A training step asks for the gradient exactly once per minibatch (DL4J's LossLayer through
     * {@link #computeGradient}, other layers through {@link #computeGradientAndScore}); score-only calls are not
     * training steps and are not recorded.
     */
    private void record(INDArray labels, INDArray preOutput, IActivation activationFn) {
        TaskState task = TaskState.current();
        if (task != null) {
            INDArray activated = activationFn == null ? preOutput : activationFn.getActivation(preOutput.dup(), false);
            MultiBoxLoss.Terms terms = loss().terms(labels, activated);
            task.addLoss((int) labels.size(0), terms.regression(), terms.classification());
        }
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
