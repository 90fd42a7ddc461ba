package org.ssdspark.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the PyTorch reference outputs ({@code shared/reference}, a sibling of the repository): the system
 * property {@code ssd.reference.dir}, else {@code shared/reference} next to the working directory or any of
 * its ancestors, else {@code /work/shared/reference}. Parity tests fail, never skip, when it is missing.
 */
public final class ReferenceData {
    private ReferenceData() {
    }

    public static Path dir() {
        String prop = System.getProperty("ssd.reference.dir");
        if (prop != null && !prop.isBlank()) {
            return Paths.get(prop);
        }
        List<Path> tried = new ArrayList<>();
        for (Path d = Paths.get(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
            for (Path candidate : List.of(d.resolve("shared/reference"), d.resolve("../shared/reference").normalize())) {
                if (Files.isDirectory(candidate)) {
                    return candidate;
                }
                tried.add(candidate);
            }
        }
        Path fallback = Paths.get("/work/shared/reference");
        if (Files.isDirectory(fallback)) {
            return fallback;
        }
        throw new IllegalStateException("The reference outputs (shared/reference) are not next to the repository;"
                + " set -Dssd.reference.dir=DIR. Tried " + tried + " and " + fallback);
    }

    public static Path resolve(String relative) {
        return dir().resolve(relative);
    }
}
