package org.ssdspark.torch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locates /work/shared/reference: property ssd.reference.dir, else ../shared/reference above the repo root. */
final class ReferenceFiles {

    private ReferenceFiles() {
    }

    static Path dir() {
        return org.ssdspark.testing.ReferenceData.dir();
    }

    static Path checkpoint(String name) {
        return dir().resolve("checkpoints").resolve(name);
    }
}
