package org.ssdspark.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PASCAL VOC average precision per class and its mean, as qfgaohao/pytorch-ssd's {@code eval_ssd.py}
 * computes it ({@link EvalProtocol#REFERENCE}, the default) or as the official devkit does
 * ({@link EvalProtocol#DEVKIT}); both the VOC2007 11-point AP and the area-under-curve AP.
 *
 * <p>Reference semantics kept: detections ranked by score with numpy's tie order; a detection is a true
 * positive when its best-overlapping ground truth box of the same class and image overlaps it with IoU &gt; 0.5
 * and was not taken by a higher-ranked detection, a false positive otherwise; difficult objects are not
 * counted as positives and a detection whose best box is difficult is neither true nor false positive.
 * Boxes are 0-based pixels; IoU has continuous areas (no +1).
 *
 * <p>One deliberate difference: where the reference's 11-point AP is NaN (a detection of a difficult object
 * ranked first makes its first precision 0/0), ours is a number. Detections of difficult objects are left
 * out of the precision-recall curve before precision is computed, as the devkit effectively does. This
 * changes no AP the reference computes as a number (those detections only repeat the previous curve point),
 * and gives the NaN case the AP of the remaining ranking: 1.0 (to rounding) for a perfect detector.
 * {@link ClassEvaluation#referenceWouldBeNaN()} says where this happened.
 */
public final class VocAveragePrecision {
    private final EvalProtocol protocol;
    private final DetectionMatcher matcher;

    public VocAveragePrecision() {
        this(EvalProtocol.REFERENCE);
    }

    public VocAveragePrecision(EvalProtocol protocol) {
        this.protocol = protocol;
        this.matcher = new DetectionMatcher(protocol);
    }

    public EvalProtocol protocol() {
        return protocol;
    }

    /**
     * Evaluates every class of {@code classNames} (in that order; no background). A class without
     * detections has AP 0; ground truth of other classes is ignored.
     */
    public EvaluationResult evaluate(List<String> classNames, Map<String, List<Detection>> detectionsByClass,
                                     List<GroundTruthBox> groundTruth) {
        List<ClassEvaluation> results = new ArrayList<>();
        for (String className : classNames) {
            List<GroundTruthBox> truth = groundTruth.stream().filter(g -> g.className().equals(className)).toList();
            results.add(evaluateClass(className, detectionsByClass.getOrDefault(className, List.of()), truth));
        }
        return new EvaluationResult(protocol, results);
    }

    /** One class: {@code groundTruth} holds that class's boxes only, in annotation order. */
    public ClassEvaluation evaluateClass(String className, List<Detection> detections,
                                         List<GroundTruthBox> groundTruth) {
        RankedMatches matches = matcher.match(detections, groundTruth);
        PrecisionRecallCurve curve = PrecisionRecallCurve.of(matches);
        return new ClassEvaluation(className, matches.positives(), detections.size(),
                matches.count(MatchOutcome.TRUE_POSITIVE), matches.count(MatchOutcome.IGNORED),
                ApMetric.VOC2007_11_POINT.of(curve), ApMetric.AREA_UNDER_CURVE.of(curve), curve,
                protocol == EvalProtocol.REFERENCE && matches.topRankedIgnored());
    }
}
