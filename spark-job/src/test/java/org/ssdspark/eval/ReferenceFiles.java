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
        String configured = System.getProperty("ssd.reference.dir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared/reference").normalize();
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no ../shared/reference above " + System.getProperty("user.dir")
                + "; set -Dssd.reference.dir");
    }

    static Path map() {
        return root().resolve("map");
    }
}
