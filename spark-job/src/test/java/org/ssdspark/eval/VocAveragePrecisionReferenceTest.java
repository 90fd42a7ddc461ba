package org.ssdspark.eval;

import org.ssdspark.testing.ReferenceFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parity with the AP the reference's eval_ssd.py computed on the detection sets under reference/map. */
class VocAveragePrecisionReferenceTest {
    /** README: AP and mAP equal the reference's evaluation to 1e-15 (measured 2.2e-16). */
    private static final double TOLERANCE = 1e-15;
    private static final Map<ApMetric, String> EXPECTED_KEY =
            Map.of(ApMetric.VOC2007_11_POINT, "voc2007_11point", ApMetric.AREA_UNDER_CURVE, "area");

    private static JsonNode expected;

    @BeforeAll
    static void load() throws Exception {
        expected = new ObjectMapper().readTree(ReferenceFiles.map().resolve("expected.json").toFile());
    }

    private static EvaluationResult evaluate(String set) {
        return ReferenceMapData.evaluate(set, EvalProtocol.REFERENCE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"trained", "noisy", "perfect"})
    void apEqualsReferenceWhereItIsANumber(String set) {
        EvaluationResult result = evaluate(set);
        JsonNode exp = expected.get(set);
        double maxError = 0;
        for (ClassEvaluation c : result.classes()) {
            assertEquals(exp.get("num_gt_non_difficult").get(c.className()).asInt(), c.positives(), c.className());
            assertEquals(exp.get("num_detections").get(c.className()).asInt(), c.detections(), c.className());
            for (ApMetric metric : ApMetric.values()) {
                JsonNode ap = exp.get(EXPECTED_KEY.get(metric)).get("ap").get(c.className());
                if (!ap.isNull()) {
                    assertEquals(ap.asDouble(), c.ap(metric), TOLERANCE, set + " " + c.className() + " " + metric);
                    maxError = Math.max(maxError, Math.abs(ap.asDouble() - c.ap(metric)));
                }
                // the reference is NaN exactly where a difficult object's detection is ranked first
                assertEquals(ap.isNull(), metric == ApMetric.VOC2007_11_POINT && c.referenceWouldBeNaN(),
                        set + " " + c.className() + " " + metric);
            }
        }
        for (ApMetric metric : ApMetric.values()) {
            JsonNode mAp = exp.get(EXPECTED_KEY.get(metric)).get("mAP");
            if (!mAp.isNull()) {
                assertEquals(mAp.asDouble(), result.meanAp(metric), TOLERANCE, set + " mAP " + metric);
                maxError = Math.max(maxError, Math.abs(mAp.asDouble() - result.meanAp(metric)));
            }
        }
        System.out.printf("%s: max |AP - reference| = %.3g%n", set, maxError);
    }

    @Test
    void whereTheReferenceIsNaNOursIsTheApOfTheRankingWithoutDifficultHits() {
        EvaluationResult perfect = evaluate("perfect");
        ClassEvaluation square = perfect.forClass("square").orElseThrow();
        assertTrue(square.referenceWouldBeNaN());
        assertTrue(square.ignored() > 0);
        // every counted detection is a true positive and every positive is found: 11 thresholds of 1/11
        assertEquals(square.positives(), square.truePositives());
        double elevenElevenths = 0;
        for (int i = 0; i < 11; i++) {
            elevenElevenths += 1.0 / 11;
        }
        assertEquals(elevenElevenths, square.ap11Point(), 0.0);
        assertEquals(1.0, square.apArea(), 0.0);
        double mean = perfect.classes().stream().mapToDouble(ClassEvaluation::ap11Point).average().orElseThrow();
        assertEquals(mean, perfect.meanAp(ApMetric.VOC2007_11_POINT), 0.0);
        assertFalse(Double.isNaN(perfect.meanAp(ApMetric.VOC2007_11_POINT)));
    }

    /** The devkit protocol on the same data: defined everywhere, perfect detections score 1, and it differs from the reference. */
    @Test
    void devkitProtocol() {
        for (String set : List.of("trained", "noisy", "perfect")) {
            EvaluationResult devkit = ReferenceMapData.evaluate(set, EvalProtocol.DEVKIT);
            EvaluationResult reference = evaluate(set);
            for (ClassEvaluation c : devkit.classes()) {
                System.out.printf("devkit %s %s: 11pt %.6f (reference %.6f) area %.6f (reference %.6f)%n", set,
                        c.className(), c.ap11Point(), reference.forClass(c.className()).orElseThrow().ap11Point(),
                        c.apArea(), reference.forClass(c.className()).orElseThrow().apArea());
                assertTrue(c.ap11Point() >= 0 && c.ap11Point() <= 1 + 1e-12);
                assertFalse(c.referenceWouldBeNaN());
                if (set.equals("perfect")) {
                    assertEquals(1.0, c.apArea(), 1e-12);
                    assertEquals(1.0, c.ap11Point(), 1e-12);
                }
            }
        }
    }
}
