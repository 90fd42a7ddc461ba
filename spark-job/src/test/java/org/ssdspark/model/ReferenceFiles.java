package org.ssdspark.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locates /work/shared/reference: system property ssd.reference.dir, else ../shared/reference above the repo root. */
final class ReferenceFiles {

    private ReferenceFiles() {
    }

    static Path root() {
        String configured = System.getProperty("ssd.reference.dir");
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        for (Path dir = Paths.get(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolveSibling("shared").resolve("reference");
            if (dir.getParent() != null && Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no ../shared/reference above " + System.getProperty("user.dir")
                + "; set -Dssd.reference.dir");
    }

    static Path resolve(String relative) {
        return root().resolve(relative);
    }
}
