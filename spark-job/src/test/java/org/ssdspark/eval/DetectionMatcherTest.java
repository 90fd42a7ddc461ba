package org.ssdspark.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The matching rules on hand-made cases whose answers can be worked out on paper. */
class DetectionMatcherTest {
    private static final MatchOutcome TP = MatchOutcome.TRUE_POSITIVE;
    private static final MatchOutcome FP = MatchOutcome.FALSE_POSITIVE;
    private static final MatchOutcome IGNORED = MatchOutcome.IGNORED;

    private static GroundTruthBox truth(String image, double x0, double y0, double x1, double y1, boolean difficult) {
        return new GroundTruthBox(image, "c", x0, y0, x1, y1, difficult);
    }

    @Test
    void duplicatesMissesAndDifficultHits() {
        List<GroundTruthBox> gt = List.of(truth("a", 0, 0, 10, 10, false), truth("a", 20, 20, 30, 30, true),
                truth("b", 0, 0, 10, 10, false));
        List<Detection> dets = List.of(
                new Detection("a", 0.9, 0, 0, 10, 10),     // TP
                new Detection("a", 0.8, 0, 0, 10, 10),     // duplicate: FP
                new Detection("a", 0.7, 20, 20, 30, 30),   // difficult: ignored
                new Detection("c", 0.6, 0, 0, 10, 10),     // image without objects of the class: FP
                new Detection("b", 0.5, 0, 0, 10, 4));     // IoU 0.4: FP
        RankedMatches m = new DetectionMatcher(EvalProtocol.REFERENCE).match(dets, gt);
        assertArrayEquals(new MatchOutcome[] {TP, FP, IGNORED, FP, FP}, m.outcomes());
        assertEquals(2, m.positives());

        PrecisionRecallCurve curve = PrecisionRecallCurve.of(m);
        assertArrayEquals(new double[] {1.0, 0.5, 1.0 / 3, 0.25}, curve.precision(), 1e-15);
        assertArrayEquals(new double[] {0.5, 0.5, 0.5, 0.5}, curve.recall(), 1e-15);
        // 11-point: thresholds 0..0.5 (6 of them) see precision 1; area: recall 0 -> 0.5 at precision 1
        assertEquals(6.0 / 11, ApMetric.VOC2007_11_POINT.of(curve), 1e-15);
        assertEquals(0.5, ApMetric.AREA_UNDER_CURVE.of(curve), 1e-15);
    }

    @Test
    void bestBoxDifficultIgnoresEvenWhenAnotherBoxWouldMatch() {
        // both boxes overlap the detection by more than 0.5; the difficult one overlaps more
        List<GroundTruthBox> gt = List.of(truth("a", 0, 0, 10, 10, false), truth("a", 0, 0, 10, 9, true));
        RankedMatches m = new DetectionMatcher(EvalProtocol.REFERENCE)
                .match(List.of(new Detection("a", 1, 0, 0, 10, 9)), gt);
        assertArrayEquals(new MatchOutcome[] {IGNORED}, m.outcomes());
        assertTrue(m.topRankedIgnored());
    }

    @Test
    void iouOfExactlyOneHalfMatchesOnlyUnderTheDevkit() {
        // reference: continuous areas 100 and 50 -> 50/100 (less a hair for its 1e-5): no match.
        List<GroundTruthBox> gt = List.of(truth("a", 0, 0, 10, 10, false));
        Detection half = new Detection("a", 1, 0, 0, 10, 5);
        assertEquals(FP, new DetectionMatcher(EvalProtocol.REFERENCE).match(List.of(half), gt).outcomes()[0]);
        // devkit: +1 pixel sizes 11x11 and 11x6 -> 66/121 = 0.545: a match
        assertEquals(TP, new DetectionMatcher(EvalProtocol.DEVKIT).match(List.of(half), gt).outcomes()[0]);
        Detection devkitHalf = new Detection("a", 1, 0, 0, 10, 4.5); // 11*5.5 / 121 = 0.5 exactly
        assertEquals(0.5, EvalProtocol.DEVKIT.iou(devkitHalf, gt.get(0)), 0.0);
        assertEquals(TP, new DetectionMatcher(EvalProtocol.DEVKIT).match(List.of(devkitHalf), gt).outcomes()[0]);
    }

    @Test
    void equalBoxesAreDistinctObjects() {
        List<GroundTruthBox> gt = List.of(truth("a", 0, 0, 10, 10, false), truth("a", 0, 0, 10, 10, false));
        List<Detection> dets = List.of(new Detection("a", 0.9, 0, 0, 10, 10), new Detection("a", 0.8, 0, 0, 10, 10));
        assertArrayEquals(new MatchOutcome[] {TP, FP},
                new DetectionMatcher(EvalProtocol.REFERENCE).match(dets, gt).outcomes());
    }

    @Test
    void classWithoutDetectionsScoresZeroAndWithoutPositivesIsLeftOutOfTheMean() {
        List<GroundTruthBox> gt = List.of(new GroundTruthBox("a", "x", 0, 0, 10, 10, false),
                new GroundTruthBox("a", "y", 0, 0, 10, 10, true));
        EvaluationResult r = new VocAveragePrecision().evaluate(List.of("x", "y"),
                Map.of("y", List.of(new Detection("a", 1, 0, 0, 10, 10))), gt);
        assertEquals(0.0, r.forClass("x").orElseThrow().ap11Point());
        assertEquals(0.0, r.forClass("x").orElseThrow().apArea());
        assertTrue(Double.isNaN(r.forClass("y").orElseThrow().apArea()));
        assertEquals(0.0, r.meanAp(ApMetric.AREA_UNDER_CURVE));
    }
}
