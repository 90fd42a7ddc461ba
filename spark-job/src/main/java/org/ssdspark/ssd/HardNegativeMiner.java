package org.ssdspark.ssd;

import java.util.Arrays;

/**
 * Picks the priors of one image that enter the classification loss, as the reference's {@code hard_negative_mining}:
 * all positives, plus the {@code ratio * numPositives} negatives with the largest background loss
 * ({@code -log softmax[0]}).
 *
 * <p>The reference ranks by sorting the losses (positives set to -inf) in descending order. Equal losses are ranked
 * here by prior index, lower first (a stable sort); PyTorch's CPU sort does not promise an order for ties, which is
 * observable only when tied negatives straddle the cut, and then only in which of them gets the (identical) loss.
 */
public final class HardNegativeMiner {

    private final int negPosRatio;

    public HardNegativeMiner(int negPosRatio) {
        if (negPosRatio < 0) {
            throw new IllegalArgumentException("negative to positive ratio must be >= 0: " + negPosRatio);
        }
        this.negPosRatio = negPosRatio;
    }

    /**
     * @param backgroundLoss per prior, {@code -log softmax(logits)[0]}
     * @param labels         per prior, 0 = background
     * @return per prior, whether it enters the classification loss
     */
    public boolean[] select(double[] backgroundLoss, int[] labels) {
        int n = labels.length;
        boolean[] mask = new boolean[n];
        int numPos = 0;
        for (int p = 0; p < n; p++) {
            if (labels[p] > 0) {
                mask[p] = true;
                numPos++;
            }
        }
        long wanted = (long) numPos * negPosRatio;
        int numNeg = n - numPos;
        if (wanted == 0 || numNeg == 0) {
            return mask;
        }
        Integer[] negatives = new Integer[numNeg];
        int k = 0;
        for (int p = 0; p < n; p++) {
            if (labels[p] <= 0) {
                negatives[k++] = p;
            }
        }
        Arrays.sort(negatives, (a, b) -> {
            int byLoss = Double.compare(backgroundLoss[b], backgroundLoss[a]);
            return byLoss != 0 ? byLoss : Integer.compare(a, b);
        });
        int take = (int) Math.min(wanted, numNeg);
        for (int i = 0; i < take; i++) {
            mask[negatives[i]] = true;
        }
        return mask;
    }
}
