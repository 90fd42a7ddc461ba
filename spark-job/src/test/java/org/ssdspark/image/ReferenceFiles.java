package org.ssdspark.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the PyTorch reference outputs: system property {@code ssd.reference.dir}, else
 * {@code <repoRoot>/../shared/reference} found by walking up from {@code user.dir}.
 */
public final class ReferenceFiles {
    private ReferenceFiles() {
    }

    public static Path dir() {
        return org.ssdspark.testing.ReferenceData.dir();
    }

    /** The reference images, sorted by name. */
    public static List<Path> images() {
        try (Stream<Path> files = Files.list(dir().resolve("images"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jpg")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }

    public static Path output(String name) {
        return dir().resolve("outputs").resolve(name);
    }

    public static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
