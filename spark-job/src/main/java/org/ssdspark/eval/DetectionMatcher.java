package org.ssdspark.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ranks one class's detections by score and decides, greedily in rank order, which are true positives:
 * the best-overlapping ground truth box of the same image must match ({@link EvalProtocol#isMatch}) and not
 * have been taken by a higher-ranked detection. A best box that is difficult makes the detection
 * {@link MatchOutcome#IGNORED}, even when another, non-difficult box also overlaps it enough.
 */
public final class DetectionMatcher {
    private final EvalProtocol protocol;

    public DetectionMatcher(EvalProtocol protocol) {
        this.protocol = protocol;
    }

    /** Ground truth must be of one class, in annotation order (which decides IoU ties). */
    public RankedMatches match(List<Detection> detections, List<GroundTruthBox> groundTruth) {
        Map<String, List<GroundTruthBox>> truthByImage = new HashMap<>();
        int positives = 0;
        for (GroundTruthBox g : groundTruth) {
            truthByImage.computeIfAbsent(g.imageId(), k -> new ArrayList<>()).add(g);
            if (!g.difficult()) {
                positives++;
            }
        }
        double[] scores = detections.stream().mapToDouble(Detection::score).toArray();
        int[] order = protocol.rankByScore(scores);

        // per image, which of its boxes a higher-ranked detection already took (by position: equal boxes are distinct objects)
        Map<String, boolean[]> taken = new HashMap<>();
        truthByImage.forEach((image, boxes) -> taken.put(image, new boolean[boxes.size()]));
        List<Detection> ranked = new ArrayList<>(order.length);
        MatchOutcome[] outcomes = new MatchOutcome[order.length];
        for (int rank = 0; rank < order.length; rank++) {
            Detection d = detections.get(order[rank]);
            ranked.add(d);
            outcomes[rank] = judge(d, truthByImage.get(d.imageId()), taken.get(d.imageId()));
        }
        return new RankedMatches(ranked, outcomes, positives);
    }

    private MatchOutcome judge(Detection d, List<GroundTruthBox> candidates, boolean[] taken) {
        if (candidates == null) {
            return MatchOutcome.FALSE_POSITIVE;
        }
        int best = -1;
        double bestIou = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < candidates.size(); i++) {
            double iou = protocol.iou(d, candidates.get(i));
            if (iou > bestIou) {
                bestIou = iou;
                best = i;
            }
        }
        if (best < 0 || !protocol.isMatch(bestIou)) {
            return MatchOutcome.FALSE_POSITIVE;
        }
        if (candidates.get(best).difficult()) {
            return MatchOutcome.IGNORED;
        }
        if (taken[best]) {
            return MatchOutcome.FALSE_POSITIVE;
        }
        taken[best] = true;
        return MatchOutcome.TRUE_POSITIVE;
    }
}
