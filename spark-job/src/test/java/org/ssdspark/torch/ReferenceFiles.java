package org.ssdspark.torch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locates /work/shared/reference: property ssd.reference.dir, else ../shared/reference above the repo root. */
final class ReferenceFiles {

    private ReferenceFiles() {
    }

    static Path dir() {
        String prop = System.getProperty("ssd.reference.dir");
        if (prop != null) {
            return Paths.get(prop);
        }
        for (Path d = Paths.get(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("../shared/reference").normalize();
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/reference not found above " + System.getProperty("user.dir")
                + "; set -Dssd.reference.dir");
    }

    static Path checkpoint(String name) {
        return dir().resolve("checkpoints").resolve(name);
    }
}
