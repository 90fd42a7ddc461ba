package org.ssdspark.train;

import java.util.Locale;

/** Concise console progress lines with an ETA from the mean round time of this run. */
final class Progress {

    private final long totalRounds;
    private long doneRounds;
    private double seconds;

    Progress(long totalRounds) {
        this.totalRounds = totalRounds;
    }

    void roundDone(double roundSeconds) {
        doneRounds++;
        seconds += roundSeconds;
    }

    String line(int epoch, int epochs, int round, int rounds, RoundOutcome o, double lr) {
        double eta = doneRounds == 0 ? 0 : seconds / doneRounds * Math.max(0, totalRounds - doneRounds);
        return String.format(Locale.ROOT, "epoch %d/%d round %d/%d loss %.4f (reg %.4f, cls %.4f) lr %.5g "
                        + "%.1f img/s sync %.0f%% ETA %s", epoch, epochs, round + 1, rounds, o.loss(), o.regressionLoss(),
                o.classificationLoss(), lr, o.images() / o.seconds(), 100 * o.averagingSeconds() / o.seconds(),
                duration(eta));
    }

    static String duration(double s) {
        long t = Math.round(s);
        if (t >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", t / 3600, t % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60);
    }
}
