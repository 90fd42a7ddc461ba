package org.ssdspark.train.optim;

import java.util.function.IntToDoubleFunction;

/**
 * The reference training loops replayed with PyTorch's (1.5 to 1.13) chainable scheduler updates, which act on
 * the optimiser's current learning rate, not on a closed form:
 * <ul>
 *   <li>{@code CosineAnnealingLR.get_lr}: step 0 keeps the rate; step k multiplies (lr - eta_min) by
 *       {@code (1 + cos(pi k / T)) / (1 + cos(pi (k - 1) / T))};</li>
 *   <li>{@code MultiStepLR.get_lr}: keeps the rate unless k is a milestone, then multiplies by gamma per
 *       occurrence;</li>
 *   <li>{@code LambdaLR.get_lr}: {@code base * lambda(k)}.</li>
 * </ul>
 * A scheduler's constructor takes step 0. The loop ({@code train_ssd.py} of both originals): build the main
 * scheduler, then (Ascend, {@code --warm_up}) {@code LambdaLR(lambda k: k / W)}; every epoch first steps the
 * warm-up scheduler while {@code epoch < W}, else the main one, then trains.
 */
final class TorchSchedulerSimulation {

    private double lr;
    private final double base;

    private TorchSchedulerSimulation(double base) {
        this.base = base;
        this.lr = base;
    }

    /** Learning rates of training epochs 0..epochs-1 with CosineAnnealingLR(T, eta_min = 0). */
    static double[] cosine(double base, int tMax, int warmupEpochs, int epochs) {
        TorchSchedulerSimulation sim = new TorchSchedulerSimulation(base);
        int[] mainStep = {0}; // constructor: step 0 keeps lr
        IntToDoubleFunction mainNext = unused -> {
            int k = ++mainStep[0];
            if ((k - 1 - tMax) % (2 * tMax) == 0) {
                return sim.lr + base * (1 - Math.cos(Math.PI / tMax)) / 2;
            }
            return (1 + Math.cos(Math.PI * k / tMax)) / (1 + Math.cos(Math.PI * (k - 1) / tMax)) * sim.lr;
        };
        return sim.run(warmupEpochs, epochs, mainNext);
    }

    /** Learning rates of training epochs 0..epochs-1 with MultiStepLR(milestones, gamma). */
    static double[] multiStep(double base, int[] milestones, double gamma, int warmupEpochs, int epochs) {
        TorchSchedulerSimulation sim = new TorchSchedulerSimulation(base);
        int[] mainStep = {0};
        IntToDoubleFunction mainNext = unused -> {
            int k = ++mainStep[0];
            int count = 0;
            for (int m : milestones) {
                if (m == k) {
                    count++;
                }
            }
            return count == 0 ? sim.lr : sim.lr * Math.pow(gamma, count);
        };
        return sim.run(warmupEpochs, epochs, mainNext);
    }

    private double[] run(int warmupEpochs, int epochs, IntToDoubleFunction mainNext) {
        int warmupStep = 0;
        if (warmupEpochs > 0) {
            lr = base * (0.0 / warmupEpochs); // LambdaLR constructor: step 0
        }
        double[] used = new double[epochs];
        for (int epoch = 0; epoch < epochs; epoch++) {
            if (warmupEpochs > 0 && epoch < warmupEpochs) {
                warmupStep++;
                lr = base * ((double) warmupStep / warmupEpochs);
            } else {
                lr = mainNext.applyAsDouble(epoch);
            }
            used[epoch] = lr;
        }
        return used;
    }
}
