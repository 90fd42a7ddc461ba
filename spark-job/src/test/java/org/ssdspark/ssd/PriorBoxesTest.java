package org.ssdspark.ssd;

import org.ssdspark.testing.ReferenceFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class PriorBoxesTest {

    @Test
    void referenceTableMatchesTheReferencePriors() {
        SsdSpec spec = SsdSpec.reference300();
        assertEquals(3000, spec.numPriors());
        INDArray priors = PriorBoxes.generate(spec);
        assertArrayEquals(new long[]{3000, 4}, priors.shape());

        float[] expected = ReferenceFiles.floats("priors.npy");
        float[] actual = PriorBoxes.centerForm(spec);
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
        }
        System.out.println("priors max |diff| vs reference: " + maxDiff);
        // README: "priors identical"
        assertEquals(0, maxDiff, 0.0);
        assertArrayEquals(expected, priors.data().asFloat(), 0f);
    }

    @Test
    void smallSpecsFollowTheNetworksDownsampling() {
        SsdSpec ref = SsdSpec.forImageSize(300);
        assertEquals(SsdSpec.reference300(), ref);
        assertArrayEquals(new double[]{16, 32, 64, 100, 150, 300}, ref.shrinkages());

        SsdSpec s64 = SsdSpec.forImageSize(64);
        assertArrayEquals(new int[]{4, 2, 1, 1, 1, 1}, s64.featureMapSizes());
        assertArrayEquals(new double[]{16, 32, 64, 64, 64, 64}, s64.shrinkages());
        assertEquals(60 * 64 / 300.0, s64.levels().get(0).minSize(), 1e-12);
        assertEquals(330 * 64 / 300.0, s64.levels().get(5).maxSize(), 1e-12);
        assertEquals(6 * (16 + 4 + 1 + 1 + 1 + 1), s64.numPriors());

        SsdSpec s100 = SsdSpec.forImageSize(100);
        assertArrayEquals(new int[]{7, 4, 2, 1, 1, 1}, s100.featureMapSizes());
        float[] priors = PriorBoxes.centerForm(s100);
        // first level centers spread evenly over the 7x7 map
        assertEquals(0.5f / 7, priors[0], 1e-6f);
        assertEquals(6.5f / 7, priors[4 * 6 * 6], 1e-6f);
        for (float v : priors) {
            assertEquals(true, v >= 0f && v <= 1f);
        }
    }
}
