package org.ssdspark.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How an epoch splits into tasks and rounds, and which slots are trained (whole minibatches only). */
class EpochLayoutTest {

    @Test
    void theQuickStartsSampleTrainsWholeMinibatchesOnly() {
        // 225 trainable images, one worker x batch 16, averaging every 5: 14 minibatches (224 images), as the
        // reference's DataLoader(drop_last=True); tasks of 80, 80, 64
        EpochLayout one = new EpochLayout(225, 1, 16, 5, 0);
        assertEquals(224, one.trainedRecords());
        assertEquals(3, one.tasks());
        assertEquals(3, one.rounds());
        assertEquals(80, one.imagesInRound(0));
        assertEquals(64, one.imagesInRound(2));
        assertTrue(one.trains(223));
        assertFalse(one.trains(224));

        // two workers x batch 8: 28 minibatches of 8; tasks of 40: rounds (40, 40), (40, 40), (40, 24)
        EpochLayout two = new EpochLayout(225, 2, 8, 5, 0);
        assertEquals(224, two.trainedRecords());
        assertEquals(6, two.tasks());
        assertEquals(3, two.rounds());
        assertEquals(80, two.imagesInRound(0));
        assertEquals(64, two.imagesInRound(2));
        assertEquals(2, two.endTask(2) - two.firstTask(2));
        assertEquals(4, two.taskOfSlot(160));
    }

    @Test
    void anEpochThatDividesEvenlyKeepsEveryImage() {
        EpochLayout layout = new EpochLayout(240, 2, 8, 5, 0);
        assertEquals(240, layout.trainedRecords());
        assertEquals(6, layout.tasks());
        assertEquals(3, layout.rounds());
    }

    @Test
    void anEpochSmallerThanOneMinibatchIsTrainedAsItIs() {
        EpochLayout layout = new EpochLayout(5, 1, 8, 2, 0);
        assertEquals(5, layout.trainedRecords());
        assertEquals(1, layout.tasks());
        assertEquals(5, layout.imagesInRound(0));
    }

    @Test
    void maxRoundsCapsTheEpochAndTheLastRoundMayHaveFewerTasks() {
        EpochLayout layout = new EpochLayout(1000, 3, 10, 2, 4);
        assertEquals(1000, layout.trainedRecords());
        assertEquals(50, layout.tasks());
        assertEquals(17, layout.fullRounds());
        assertEquals(4, layout.rounds());
        EpochLayout uncapped = new EpochLayout(1000, 3, 10, 2, 0);
        assertEquals(2, uncapped.endTask(16) - uncapped.firstTask(16));
    }

    @Test
    void refusesANonsensicalLayout() {
        assertThrows(IllegalArgumentException.class, () -> new EpochLayout(0, 1, 8, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new EpochLayout(10, 0, 8, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new EpochLayout(10, 1, 8, 0, 0));
    }
}
