package org.ssdspark.ssd;

import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The flat per-image layout shared by the network's output, the training labels and {@link MultiBoxLoss}.
 * <ul>
 *   <li>network output (pre-activation) [B, P*C + P*4]: class logits prior-major ({@code [prior][class]}), then box
 *       regressions ({@code [prior][4]});</li>
 *   <li>labels [B, P + P*4]: each prior's class index as a float (0 = background), then its encoded location
 *       target ({@code [prior][4]}).</li>
 * </ul>
 * P and C follow from the widths: P = labelsWidth / 5, C = (outputWidth - 4P) / P.
 */
public final class MultiBoxLayout {

    private MultiBoxLayout() {
    }

    public static int numPriors(long labelsWidth) {
        if (labelsWidth <= 0 || labelsWidth % 5 != 0) {
            throw new IllegalArgumentException("labels width must be 5 * numPriors, got " + labelsWidth);
        }
        return (int) (labelsWidth / 5);
    }

    public static int numClasses(long outputWidth, int numPriors) {
        long classPart = outputWidth - 4L * numPriors;
        if (classPart <= 0 || classPart % numPriors != 0) {
            throw new IllegalArgumentException("output width " + outputWidth
                    + " is not numPriors * (numClasses + 4) for numPriors " + numPriors);
        }
        return (int) (classPart / numPriors);
    }

    /** Offset of the box regressions within an output row. */
    public static int locationOffset(int numPriors, int numClasses) {
        return numPriors * numClasses;
    }

    /** One image's label row from its match. */
    public static float[] labelsRow(PriorMatcher.Match match) {
        int[] labels = match.labels();
        int p = labels.length;
        float[] row = new float[5 * p];
        for (int i = 0; i < p; i++) {
            row[i] = labels[i];
        }
        System.arraycopy(match.locations(), 0, row, p, 4 * p);
        return row;
    }

    /** The labels array [B, 5P] of a minibatch. */
    public static INDArray labels(List<PriorMatcher.Match> matches) {
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("no images");
        }
        float[][] rows = new float[matches.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = labelsRow(matches.get(i));
        }
        return Nd4j.create(rows);
    }
}
