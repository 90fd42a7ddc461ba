package org.ssdspark.ssd;

import java.util.Objects;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The SSD MultiBox loss of the reference's {@code MultiboxLoss} as a DL4J loss function, on the
 * {@link MultiBoxLayout} arrays: softmax cross-entropy over the positive priors and the hard-mined negatives
 * ({@link HardNegativeMiner}, {@code negPosRatio} per positive, per image), plus smooth L1 (beta 1) over the
 * positive priors' location regressions; both sums divided by the number of positive priors in the whole minibatch.
 *
 * <p>Configuration: use it in a {@code LossLayer} with {@code Activation.IDENTITY} (the softmax is inside) and set
 * {@code miniBatch(false)} on the network configuration, so that DL4J's updater does not divide the gradient by the
 * minibatch size again: {@link #computeGradient} is the exact gradient of the batch loss. DL4J 1.0.0-M2.1's
 * {@code LossLayer.computeScore} divides the score by the minibatch size whatever {@code miniBatch} says (only
 * {@code BaseOutputLayer} checks it), so a LossLayer's reported score is {@code loss / B}: multiply by B for the
 * reference's loss, or take it from {@link #terms}.
 *
 * <p>With no positive prior in the minibatch the reference divides 0 by 0; this returns loss 0 and gradient 0
 * instead, so that one empty batch cannot poison the parameters. The mining mask is a constant of the gradient
 * (the reference computes it under {@code no_grad}).
 */
public final class MultiBoxLoss implements ILossFunction {

    public static final int DEFAULT_NEG_POS_RATIO = 3;
    private static final long serialVersionUID = 1L;

    @JsonProperty("negPosRatio")
    private int negPosRatio;

    public MultiBoxLoss() {
        this(DEFAULT_NEG_POS_RATIO);
    }

    public MultiBoxLoss(int negPosRatio) {
        if (negPosRatio < 0) {
            throw new IllegalArgumentException("negative to positive ratio must be >= 0: " + negPosRatio);
        }
        this.negPosRatio = negPosRatio;
    }

    public int getNegPosRatio() {
        return negPosRatio;
    }

    /** The two terms as the reference returns them (each already divided by the number of positives). */
    public record Terms(double regression, double classification, int numPositives) {
        public double total() {
            return regression + classification;
        }
    }

    /** The loss terms of a minibatch, for logging; preOutput as the network emits it (logits, no activation). */
    public Terms terms(INDArray labels, INDArray preOutput) {
        Evaluation e = evaluate(labels, preOutput, null, false);
        return new Terms(sum(e.regression), sum(e.classification), e.numPositives);
    }

    /** The gradient and both loss terms of one evaluation. */
    public record GradientAndTerms(INDArray gradient, Terms terms) {
    }

    /**
     * {@link #computeGradient} and {@link #terms} from a single evaluation: a training loop that logs the terms
     * of every minibatch need not evaluate the loss twice.
     */
    public GradientAndTerms gradientAndTerms(INDArray labels, INDArray preOutput, IActivation activationFn,
                                             INDArray mask) {
        Evaluation e = evaluate(labels, activate(preOutput, activationFn), mask, true);
        return new GradientAndTerms(backprop(e, preOutput, activationFn),
                new Terms(sum(e.regression), sum(e.classification), e.numPositives));
    }

    /** The batch loss ({@code average == false}), or that divided by the minibatch size ({@code average == true}). */
    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        Evaluation e = evaluate(labels, activate(preOutput, activationFn), mask, false);
        return average ? e.total() / e.batchSize : e.total();
    }

    /** Each image's share of the batch loss, [B, 1]; the column sums to {@link #computeScore} without averaging. */
    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Evaluation e = evaluate(labels, activate(preOutput, activationFn), mask, false);
        double[][] column = new double[e.batchSize][1];
        for (int b = 0; b < e.batchSize; b++) {
            column[b][0] = e.regression[b] + e.classification[b];
        }
        return Nd4j.create(column).castTo(preOutput.dataType());
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Evaluation e = evaluate(labels, activate(preOutput, activationFn), mask, true);
        return backprop(e, preOutput, activationFn);
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                          IActivation activationFn, INDArray mask, boolean average) {
        Evaluation e = evaluate(labels, activate(preOutput, activationFn), mask, true);
        double score = average ? e.total() / e.batchSize : e.total();
        return new Pair<>(score, backprop(e, preOutput, activationFn));
    }

    @Override
    public String name() {
        return "MultiBoxLoss";
    }

    private static INDArray activate(INDArray preOutput, IActivation activationFn) {
        return activationFn == null ? preOutput : activationFn.getActivation(preOutput.dup(), true);
    }

    private static INDArray backprop(Evaluation e, INDArray preOutput, IActivation activationFn) {
        INDArray dLdOut = toArray(e.gradient, e.gradientShape, preOutput.dataType());
        if (activationFn == null) {
            return dLdOut;
        }
        return activationFn.backprop(preOutput.dup(), dLdOut).getFirst();
    }

    /** Per-image sums (already divided by the batch's positives) and, on request, the gradient. */
    private static final class Evaluation {
        int batchSize;
        int numPositives;
        double[] regression;
        double[] classification;
        double[] gradient;
        long[] gradientShape;

        double total() {
            return sum(regression) + sum(classification);
        }
    }

    private Evaluation evaluate(INDArray labels, INDArray output, INDArray mask, boolean withGradient) {
        if (labels.rank() != 2 || output.rank() != 2 || labels.size(0) != output.size(0)) {
            throw new IllegalArgumentException("expected labels [B, 5P] and output [B, P(C+4)], got "
                    + java.util.Arrays.toString(labels.shape()) + " and " + java.util.Arrays.toString(output.shape()));
        }
        int numPriors = MultiBoxLayout.numPriors(labels.size(1));
        int numClasses = MultiBoxLayout.numClasses(output.size(1), numPriors);
        int locOffset = MultiBoxLayout.locationOffset(numPriors, numClasses);
        int batch = (int) output.size(0);
        int outWidth = (int) output.size(1);
        int labWidth = (int) labels.size(1);
        double[] x = flat(output);
        double[] y = flat(labels);
        boolean[] included = includedExamples(mask, batch);
        HardNegativeMiner miner = new HardNegativeMiner(negPosRatio);

        Evaluation e = new Evaluation();
        e.batchSize = batch;
        e.regression = new double[batch];
        e.classification = new double[batch];
        e.gradient = withGradient ? new double[batch * outWidth] : null;
        int[] classOf = new int[numPriors];
        double[] logZ = new double[numPriors];
        double[] backgroundLoss = new double[numPriors];
        double[] softmax = new double[numPriors * numClasses];

        for (int b = 0; b < batch; b++) {
            if (!included[b]) {
                continue;
            }
            int row = b * outWidth;
            int labRow = b * labWidth;
            for (int p = 0; p < numPriors; p++) {
                classOf[p] = classIndex(y[labRow + p], numClasses);
                logZ[p] = softmax(x, row + p * numClasses, numClasses, softmax, p * numClasses);
                backgroundLoss[p] = logZ[p] - x[row + p * numClasses];
            }
            boolean[] selected = miner.select(backgroundLoss, classOf);
            double[] grad = e.gradient;
            double cls = 0;
            double reg = 0;
            for (int p = 0; p < numPriors; p++) {
                int base = row + p * numClasses;
                if (selected[p]) {
                    cls += logZ[p] - x[base + classOf[p]];
                    if (grad != null) {
                        for (int c = 0; c < numClasses; c++) {
                            grad[base + c] = softmax[p * numClasses + c];
                        }
                        grad[base + classOf[p]] -= 1;
                    }
                }
                if (classOf[p] > 0) {
                    e.numPositives++;
                    for (int k = 0; k < 4; k++) {
                        int i = row + locOffset + 4 * p + k;
                        double d = x[i] - y[labRow + numPriors + 4 * p + k];
                        double ad = Math.abs(d);
                        reg += ad < 1 ? 0.5 * d * d : ad - 0.5;
                        if (grad != null) {
                            grad[i] = Math.max(-1, Math.min(1, d));
                        }
                    }
                }
            }
            e.classification[b] = cls;
            e.regression[b] = reg;
        }
        double scale = e.numPositives == 0 ? 0 : 1.0 / e.numPositives;
        for (int b = 0; b < batch; b++) {
            e.classification[b] *= scale;
            e.regression[b] *= scale;
        }
        if (withGradient) {
            for (int i = 0; i < e.gradient.length; i++) {
                e.gradient[i] *= scale;
            }
            e.gradientShape = output.shape();
        }
        return e;
    }

    /**
     * Row-major copy as doubles, whatever the array's type, order or view (float read as float: it is faster). On a
     * device backend the copy is made on the card: it is brought to the host before its buffer is read (a no-op on
     * ND4J's CPU backend).
     */
    private static double[] flat(INDArray a) {
        INDArray copy = a.dataType() == DataType.DOUBLE ? a.dup('c') : a.castTo(DataType.FLOAT).dup('c');
        Nd4j.getAffinityManager().ensureLocation(copy, AffinityManager.Location.HOST);
        if (copy.dataType() == DataType.DOUBLE) {
            return copy.data().asDouble();
        }
        float[] f = copy.data().asFloat();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static INDArray toArray(double[] values, long[] shape, DataType type) {
        if (type == DataType.DOUBLE) {
            return Nd4j.create(values, shape, 'c');
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return Nd4j.create(f, shape, 'c').castTo(type);
    }

    private static boolean[] includedExamples(INDArray mask, int batchSize) {
        boolean[] included = new boolean[batchSize];
        java.util.Arrays.fill(included, true);
        if (mask == null) {
            return included;
        }
        if (mask.length() != batchSize) {
            throw new IllegalArgumentException("MultiBoxLoss supports only a per-example mask [B, 1], got "
                    + java.util.Arrays.toString(mask.shape()));
        }
        double[] m = mask.castTo(DataType.DOUBLE).reshape(batchSize).toDoubleVector();
        for (int b = 0; b < batchSize; b++) {
            included[b] = m[b] != 0;
        }
        return included;
    }

    private static int classIndex(double value, int numClasses) {
        int c = (int) Math.round(value);
        if (c < 0 || c >= numClasses || Math.abs(value - c) > 1e-3) {
            throw new IllegalArgumentException("label " + value + " is not a class index below " + numClasses);
        }
        return c;
    }

    /** Writes the softmax of x[from, from + n) to out[at, at + n) and returns the log of its normaliser. */
    private static double softmax(double[] x, int from, int n, double[] out, int at) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < n; c++) {
            max = Math.max(max, x[from + c]);
        }
        double s = 0;
        for (int c = 0; c < n; c++) {
            double e = Math.exp(x[from + c] - max);
            out[at + c] = e;
            s += e;
        }
        for (int c = 0; c < n; c++) {
            out[at + c] /= s;
        }
        return max + Math.log(s);
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MultiBoxLoss other && other.negPosRatio == negPosRatio;
    }

    @Override
    public int hashCode() {
        return Objects.hash(MultiBoxLoss.class, negPosRatio);
    }

    @Override
    public String toString() {
        return "MultiBoxLoss(negPosRatio=" + negPosRatio + ")";
    }
}
