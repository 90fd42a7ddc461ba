package org.ssdspark.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Precision and recall after each ranked detection that counts (true or false positive).
 *
 * <p>Detections that hit a difficult object are left out of the curve. In the reference they stay in the
 * ranking with neither a true nor a false positive, so they only repeat the previous point, which changes
 * neither AP, except when one is ranked first: its precision is 0/0 = NaN and the reference's 11-point AP
 * becomes NaN. Leaving them out gives the same number in every other case and a defined one in that case,
 * the one the VOC devkit gives (Matlab's {@code max} skips NaN).
 */
public record PrecisionRecallCurve(double[] precision, double[] recall, double[] scores, int positives) {

    public static PrecisionRecallCurve of(RankedMatches matches) {
        List<double[]> points = new ArrayList<>();
        double tp = 0;
        double fp = 0;
        for (int rank = 0; rank < matches.outcomes().length; rank++) {
            MatchOutcome o = matches.outcomes()[rank];
            if (o == MatchOutcome.IGNORED) {
                continue;
            }
            if (o == MatchOutcome.TRUE_POSITIVE) {
                tp++;
            } else {
                fp++;
            }
            points.add(new double[] {tp / (tp + fp), tp / matches.positives(), matches.ranked().get(rank).score()});
        }
        int n = points.size();
        double[] precision = new double[n];
        double[] recall = new double[n];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            precision[i] = points.get(i)[0];
            recall[i] = points.get(i)[1];
            scores[i] = points.get(i)[2];
        }
        return new PrecisionRecallCurve(precision, recall, scores, matches.positives());
    }

    public int size() {
        return precision.length;
    }

    /**
     * The monotone envelope used by the area metric: at each point the best precision at this or any later
     * point (the curve as the VOC2010+ AP integrates it).
     */
    public double[] interpolatedPrecision() {
        double[] envelope = precision.clone();
        for (int i = envelope.length - 2; i >= 0; i--) {
            envelope[i] = Math.max(envelope[i], envelope[i + 1]);
        }
        return envelope;
    }
}
