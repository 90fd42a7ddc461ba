package org.ssdspark.train.optim;

/**
 * How the reference training loops turn a zero-based training epoch into a learning rate.
 *
 * <p>qfgaohao/pytorch-ssd {@code train_ssd.py} builds its scheduler (whose constructor already takes step 0)
 * and then calls {@code scheduler.step()} at the start of every epoch, before training it: epoch {@code e}
 * trains at scheduler step {@code e + 1}. The Ascend 8-card port ({@code --warm_up --warm_up_epochs W}) adds a
 * {@code LambdaLR(lambda k: k / W)} on the same optimiser and, for {@code e < W}, steps it instead of the main
 * scheduler: epoch {@code e} trains at {@code base * (e + 1) / W}, reaching {@code base} exactly at epoch
 * {@code W - 1}. From epoch {@code W} on it steps the main scheduler, whose own counter was left at 0 and whose
 * chainable update starts from the current rate (then exactly {@code base}): epoch {@code e} trains at main
 * scheduler step {@code e - W + 1}.
 */
final class ReferenceEpochs {

    private ReferenceEpochs() {
    }

    static boolean inWarmup(int epoch, int warmupEpochs) {
        return epoch < warmupEpochs;
    }

    /** {@code (epoch + 1) / W}: the warm-up factor of {@code base} for an epoch inside the warm-up. */
    static double warmupFactor(int epoch, int warmupEpochs) {
        return (double) (epoch + 1) / warmupEpochs;
    }

    /** The main scheduler's {@code last_epoch} while the given training epoch runs (after any warm-up). */
    static int schedulerStep(int epoch, int warmupEpochs) {
        return epoch - warmupEpochs + 1;
    }

    static int checkWarmup(int warmupEpochs) {
        if (warmupEpochs < 0) {
            throw new IllegalArgumentException("warmupEpochs must be >= 0: " + warmupEpochs);
        }
        return warmupEpochs;
    }

    static void checkEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0: " + epoch);
        }
    }
}
