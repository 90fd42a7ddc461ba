package org.ssdspark.ssd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class HardNegativeMinerTest {

    @Test
    void keepsPositivesAndTheHardestNegativesTiesByIndex() {
        double[] loss = {0.5, 9.0, 0.7, 0.7, 0.1, 0.7};
        int[] labels = {0, 2, 0, 0, 0, 0};
        // one positive -> 2 negatives: the three 0.7s tie, the lower indices win
        assertArrayEquals(new boolean[]{false, true, true, true, false, false},
                new HardNegativeMiner(2).select(loss, labels));
    }

    @Test
    void asksForMoreNegativesThanThereAreTakesThemAll() {
        assertArrayEquals(new boolean[]{true, true, true},
                new HardNegativeMiner(3).select(new double[]{1, 2, 3}, new int[]{0, 1, 0}));
    }

    @Test
    void noPositivesNoNegatives() {
        assertArrayEquals(new boolean[]{false, false},
                new HardNegativeMiner(3).select(new double[]{1, 2}, new int[]{0, 0}));
    }
}
