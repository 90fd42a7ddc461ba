package org.ssdspark.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locates /work/shared/reference: system property ssd.reference.dir, else ../shared/reference above the repo root. */
final class ReferenceFiles {

    private ReferenceFiles() {
    }

    static Path root() {
        return org.ssdspark.testing.ReferenceData.dir();
    }

    static Path resolve(String relative) {
        return root().resolve(relative);
    }
}
