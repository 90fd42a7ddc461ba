package org.ssdspark.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident set size of this process from {@code /proc/self/status} (Linux), in MiB; -1 where unavailable. */
final class PeakMemory {
    private PeakMemory() {
    }

    /** The high-water mark of the resident set since the process started. */
    static long peakRssMiB() {
        return field("VmHWM:");
    }

    static long currentRssMiB() {
        return field("VmRSS:");
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
