package org.ssdspark.ssd;

/**
 * Assigns ground-truth boxes to priors, as the reference's {@code MatchPrior} / {@code assign_priors}: every prior
 * takes the ground truth it overlaps most; every ground truth then claims the prior it overlaps most (a later ground
 * truth wins a prior two of them claim), and claimed priors count as matched whatever their IoU; priors whose best
 * IoU is below the threshold become background (label 0). Location targets are encoded for every prior, background
 * ones included, from the box of its best ground truth.
 *
 * <p>IoU ties go to the lowest index, as PyTorch's CPU {@code max} does. With no ground truth at all (the reference
 * fails there) every prior is background and its location target is 0.
 */
public final class PriorMatcher {

    /** Per-prior labels (0 = background) and encoded location targets (4 per prior). */
    public record Match(int[] labels, float[] locations) {
        public int numPositives() {
            int n = 0;
            for (int label : labels) {
                if (label > 0) {
                    n++;
                }
            }
            return n;
        }
    }

    private final BoxCoder coder;
    private final float iouThreshold;

    public PriorMatcher(BoxCoder coder, double iouThreshold) {
        this.coder = coder;
        this.iouThreshold = (float) iouThreshold;
    }

    public static PriorMatcher of(SsdSpec spec) {
        return new PriorMatcher(BoxCoder.of(spec), spec.iouThreshold());
    }

    /**
     * @param gtCornerBoxes ground-truth boxes, corner form relative to the image, 4 values per box
     * @param gtLabels      their class indices (1..numClasses-1)
     */
    public Match match(float[] gtCornerBoxes, int[] gtLabels) {
        int numGt = gtLabels.length;
        if (gtCornerBoxes.length != 4 * numGt) {
            throw new IllegalArgumentException("need 4 box values per label");
        }
        int numPriors = coder.numPriors();
        if (numGt == 0) {
            return new Match(new int[numPriors], new float[4 * numPriors]);
        }
        float[] priors = coder.cornerPriorsView();
        float[] bestIou = new float[numPriors];
        int[] bestGt = new int[numPriors];
        float[] gtBestIou = new float[numGt];
        int[] gtBestPrior = new int[numGt];
        java.util.Arrays.fill(gtBestIou, Float.NEGATIVE_INFINITY);
        for (int p = 0; p < numPriors; p++) {
            float best = Float.NEGATIVE_INFINITY;
            int bestIndex = 0;
            for (int g = 0; g < numGt; g++) {
                float iou = BoxCoder.iou(gtCornerBoxes, 4 * g, priors, 4 * p);
                if (iou > best) {
                    best = iou;
                    bestIndex = g;
                }
                if (iou > gtBestIou[g]) {
                    gtBestIou[g] = iou;
                    gtBestPrior[g] = p;
                }
            }
            bestIou[p] = best;
            bestGt[p] = bestIndex;
        }
        for (int g = 0; g < numGt; g++) {
            bestGt[gtBestPrior[g]] = g;
        }
        for (int g = 0; g < numGt; g++) {
            bestIou[gtBestPrior[g]] = 2f; // the reference's marker that forces the match
        }
        int[] labels = new int[numPriors];
        float[] assigned = new float[4 * numPriors];
        for (int p = 0; p < numPriors; p++) {
            int g = bestGt[p];
            labels[p] = bestIou[p] < iouThreshold ? 0 : gtLabels[g];
            System.arraycopy(gtCornerBoxes, 4 * g, assigned, 4 * p, 4);
        }
        return new Match(labels, coder.encode(assigned));
    }
}
