package org.ssdspark.eval;

import java.util.List;

/**
 * One class's detections in rank order with what each counts as, and the number of non-difficult ground
 * truth boxes (the recall denominator).
 */
public record RankedMatches(List<Detection> ranked, MatchOutcome[] outcomes, int positives) {

    /** Whether the top-ranked detection hit a difficult object: the case where the reference's 11-point AP is NaN. */
    public boolean topRankedIgnored() {
        return outcomes.length > 0 && outcomes[0] == MatchOutcome.IGNORED;
    }

    public long count(MatchOutcome outcome) {
        long n = 0;
        for (MatchOutcome o : outcomes) {
            if (o == outcome) {
                n++;
            }
        }
        return n;
    }
}
