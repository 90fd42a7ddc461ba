package org.ssdspark.ssd;

import org.ssdspark.testing.ReferenceFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class PriorMatcherTest {

    @Test
    void reproducesTheReferenceTargets() throws Exception {
        LossReference ref = new LossReference();
        List<LossReference.GroundTruth> gts = ref.groundTruth();
        int[] expectedLabels = ReferenceFiles.ints("loss/target_labels.npy");
        float[] expectedLocations = ReferenceFiles.floats("loss/target_locations.npy");
        PriorMatcher matcher = PriorMatcher.of(SsdSpec.reference300());
        int p = LossReference.PRIORS;
        int positives = 0;
        double maxDiff = 0;
        for (int b = 0; b < gts.size(); b++) {
            PriorMatcher.Match m = matcher.match(gts.get(b).boxes(), gts.get(b).labels());
            assertArrayEquals(Arrays.copyOfRange(expectedLabels, b * p, (b + 1) * p), m.labels(), "labels of image " + b);
            float[] loc = m.locations();
            for (int i = 0; i < loc.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(loc[i] - expectedLocations[b * 4 * p + i]));
            }
            positives += m.numPositives();
        }
        System.out.println("matcher: location targets max |diff| = " + maxDiff + ", positives " + positives);
        // README: labels identical, location targets within 3e-7 (float32 rounding of the encoding: 2.4e-7 measured)
        assertTrue(maxDiff <= 3e-7, "max |diff| " + maxDiff);
        assertEquals(ref.numPositives(), positives);
    }

    @Test
    void everyGroundTruthGetsItsBestPriorEvenBelowThreshold() {
        // a tiny box overlaps no prior by 0.5 but must still be matched to one
        PriorMatcher matcher = PriorMatcher.of(SsdSpec.reference300());
        PriorMatcher.Match m = matcher.match(new float[]{0.50f, 0.50f, 0.52f, 0.52f}, new int[]{7});
        assertEquals(1, m.numPositives());
        assertEquals(7, Arrays.stream(m.labels()).max().orElseThrow());
    }

    @Test
    void noGroundTruthMeansAllBackground() {
        PriorMatcher.Match m = PriorMatcher.of(SsdSpec.reference300()).match(new float[0], new int[0]);
        assertEquals(0, m.numPositives());
        assertEquals(3000 * 4, m.locations().length);
    }
}
