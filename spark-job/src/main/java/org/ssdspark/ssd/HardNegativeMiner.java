package org.ssdspark.ssd;

import java.util.Arrays;

/**
 * Picks the priors of one image that enter the classification loss, as the reference's {@code hard_negative_mining}:
 * all positives, plus the {@code ratio * numPositives} negatives with the largest background loss
 * ({@code -log softmax[0]}).
 *
 * <p>The reference ranks by sorting the float32 losses (positives set to -inf) in descending order. Losses are ranked
 * here by their float32 value too, equal ones by prior index, lower first (a stable sort). PyTorch's CPU sort does not
 * promise an order for ties; that is observable only when tied negatives straddle the cut, and then only in which of
 * them gets the (identical, when their logits are identical) loss. Ranking in float32 rather than double keeps the
 * ties the reference sees; the float32 values themselves may differ from PyTorch's in the last bit.
 */
public final class HardNegativeMiner {

    private final int negPosRatio;

    public HardNegativeMiner(int negPosRatio) {
        if (negPosRatio < 0) {
            throw new IllegalArgumentException("negative to positive ratio must be >= 0: " + negPosRatio);
        }
        this.negPosRatio = negPosRatio;
    }

    /** An int whose signed order is the float's order (NaN above +inf, as PyTorch's descending sort puts it first). */
    private static int sortable(float v) {
        int bits = Float.floatToIntBits(v);
        return bits ^ ((bits >> 31) & 0x7fffffff);
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
        // One primitive sort: descending float32 loss in the high word, ascending prior index in the low word.
        long[] keys = new long[numNeg];
        int k = 0;
        for (int p = 0; p < n; p++) {
            if (labels[p] <= 0) {
                keys[k++] = ((long) ~sortable((float) backgroundLoss[p]) << 32) | p;
            }
        }
        Arrays.sort(keys);
        int take = (int) Math.min(wanted, numNeg);
        for (int i = 0; i < take; i++) {
            mask[(int) keys[i]] = true;
        }
        return mask;
    }
}
