package org.ssdspark.eval;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the PyTorch reference outputs: system property {@code ssd.reference.dir}, else the first
 * {@code ../shared/reference} found walking up from the working directory.
 */
final class ReferenceFiles {
    private ReferenceFiles() {
    }

    static Path root() {
        return org.ssdspark.testing.ReferenceData.dir();
    }

    static Path map() {
        return root().resolve("map");
    }
}
