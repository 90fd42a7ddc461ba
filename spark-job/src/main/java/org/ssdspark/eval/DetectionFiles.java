package org.ssdspark.eval;

import java.nio.file.Path;

/** Naming of the reference's per-class detection files. */
public final class DetectionFiles {
    private DetectionFiles() {
    }

    public static Path pathFor(Path directory, String className) {
        return directory.resolve("det_test_" + className + ".txt");
    }
}
