package org.ssdspark.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The schedules against PyTorch's closed forms and against a replay of the reference training loops. */
class LearningRateScheduleTest {

    private static final double EXACT = 1e-15;

    private static double closedFormCosine(double base, int tMax, int k) {
        return 0 + (base - 0) * (1 + Math.cos(Math.PI * k / tMax)) / 2;
    }

    @Test
    void cosineClosedFormAtReferenceSteps() {
        CosineAnnealingSchedule s = new CosineAnnealingSchedule(0.01, 200);
        for (int k : new int[] {0, 1, 100, 199, 200}) {
            assertEquals(closedFormCosine(0.01, 200, k), s.cosineAt(k), EXACT, "k=" + k);
        }
        assertEquals(0.01, s.cosineAt(0), EXACT);
        assertEquals(0.01 * (1 + Math.cos(Math.PI / 200)) / 2, s.cosineAt(1), EXACT);
        assertEquals(0.005, s.cosineAt(100), EXACT);
        assertEquals(0.01 * Math.pow(Math.sin(Math.PI / 400), 2), s.cosineAt(199), EXACT); // 6.168e-7
        assertEquals(0.0, s.cosineAt(200), EXACT);
    }

    @Test
    void epochEUsesSchedulerStepEPlusOneAsTheReferenceLoopSteps() {
        CosineAnnealingSchedule s = new CosineAnnealingSchedule(0.01, 200);
        assertEquals(s.cosineAt(1), s.valueAt(0, 0), 0.0);
        assertEquals(s.cosineAt(2), s.valueAt(123, 1), 0.0); // the iteration is ignored
        assertEquals(s.cosineAt(101), s.valueAt(0, 100), 0.0);
        assertEquals(0.0, s.valueAt(0, 199), EXACT); // the last of 200 epochs trains at eta_min
        assertEquals(s.cosineAt(201), s.valueAt(0, 200), 0.0);
    }

    @Test
    void warmupIsLinearFromBaseOverWToBase() {
        CosineAnnealingSchedule s = new CosineAnnealingSchedule(0.08, 200, 5);
        double[] expected = {0.016, 0.032, 0.048, 0.064, 0.08};
        for (int e = 0; e < 5; e++) {
            assertEquals(expected[e], s.valueAt(0, e), EXACT, "epoch " + e);
        }
        assertEquals(s.cosineAt(1), s.valueAt(0, 5), 0.0);
        assertEquals(s.cosineAt(195), s.valueAt(0, 199), 0.0);
    }

    @Test
    void cosineMatchesReplayOfReferenceLoops() {
        for (int warmup : new int[] {0, 5}) {
            double base = warmup == 0 ? 0.01 : 0.08;
            CosineAnnealingSchedule s = new CosineAnnealingSchedule(base, 200, warmup);
            double[] torch = TorchSchedulerSimulation.cosine(base, 200, warmup, 200);
            double worst = 0;
            for (int e = 0; e < 200; e++) {
                worst = Math.max(worst, Math.abs(torch[e] - s.valueAt(0, e)));
            }
            System.out.printf("cosine warmup=%d: max |replay - schedule| over 200 epochs = %.3e%n", warmup, worst);
            assertEquals(0.0, worst, 1e-15);
        }
    }

    @Test
    void multiStepValuesAndReplay() {
        MultiStepSchedule s = new MultiStepSchedule(0.01, new int[] {100, 80}, 0.1);
        assertEquals(0.01, s.stepAt(79), 0.0);
        assertEquals(0.001, s.stepAt(80), EXACT);
        assertEquals(0.001, s.stepAt(99), EXACT);
        assertEquals(0.0001, s.stepAt(100), EXACT);
        assertEquals(0.01, s.valueAt(0, 78), 0.0);
        assertEquals(0.001, s.valueAt(0, 79), EXACT); // scheduler.step() before epoch 79 reaches milestone 80
        assertEquals(0.0001, s.valueAt(0, 99), EXACT);

        for (int warmup : new int[] {0, 5}) {
            MultiStepSchedule w = new MultiStepSchedule(0.08, new int[] {80, 100}, 0.1, warmup);
            double[] torch = TorchSchedulerSimulation.multiStep(0.08, new int[] {80, 100}, 0.1, warmup, 120);
            for (int e = 0; e < 120; e++) {
                assertEquals(torch[e], w.valueAt(0, e), 1e-17, "warmup " + warmup + " epoch " + e);
            }
        }
        assertEquals(0.08 * 3 / 5, new MultiStepSchedule(0.08, new int[] {80}, 0.1, 5).valueAt(0, 2), EXACT);
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingSchedule(0.01, 0));
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingSchedule(-1, 200));
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingSchedule(0.01, 200, -1));
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingSchedule(0.01, 200).valueAt(0, -1));
        assertThrows(IllegalArgumentException.class, () -> new MultiStepSchedule(0.01, new int[] {80}, 0));
        assertThrows(IllegalArgumentException.class, () -> new SgdMomentum(0.01, 1.0));
    }
}
