package org.ssdspark.bench;

import java.util.Arrays;
import java.util.List;

/** Seconds per iteration of one measurement, and what they mean in images per second. */
record Timings(int batch, double[] seconds) {

    static Timings of(int batch, List<Double> seconds) {
        return new Timings(batch, seconds.stream().mapToDouble(Double::doubleValue).toArray());
    }

    double medianSeconds() {
        double[] s = seconds.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    double imagesPerSecond() {
        return batch / medianSeconds();
    }

    double minImagesPerSecond() {
        return batch / Arrays.stream(seconds).max().orElse(Double.NaN);
    }

    double maxImagesPerSecond() {
        return batch / Arrays.stream(seconds).min().orElse(Double.NaN);
    }
}
