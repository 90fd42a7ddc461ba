package org.ssdspark.testing;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

/**
 * The PyTorch original's outputs that parity tests compare with, kept in the repository under
 * {@code spark-job/src/test/fixtures/reference} (its README says how each file was made). The system property
 * {@code ssd.reference.dir} points elsewhere, e.g. at a regenerated set; parity tests fail, never skip, when the
 * folder is missing.
 */
public final class ReferenceFiles {
    static final String FOLDER = "reference";

    private ReferenceFiles() {
    }

    public static Path dir() {
        String prop = System.getProperty("ssd.reference.dir");
        if (prop == null || prop.isBlank()) {
            return FixtureFolders.of(FOLDER);
        }
        Path dir = Paths.get(prop);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("The reference fixtures are not at " + dir.toAbsolutePath()
                    + " (-Dssd.reference.dir)");
        }
        return dir;
    }

    public static Path resolve(String relative) {
        Path file = dir().resolve(relative);
        if (!Files.exists(file)) {
            throw new IllegalStateException("missing reference file " + file.toAbsolutePath()
                    + " (see " + dir().resolve("README.md") + ")");
        }
        return file;
    }

    public static Path checkpoint(String name) {
        return resolve("checkpoints/" + name);
    }

    public static Path map() {
        return resolve("map");
    }

    public static Path output(String name) {
        return resolve("outputs/" + name);
    }

    /** The reference images, sorted by name. */
    public static List<Path> images() {
        try (Stream<Path> files = Files.list(resolve("images"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jpg")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }

    public static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static INDArray npy(String relative) {
        return Nd4j.createFromNpyFile(resolve(relative).toFile());
    }

    /** A reference array flattened row-major into floats. */
    public static float[] floats(String relative) {
        return npy(relative).castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    public static int[] ints(String relative) {
        return npy(relative).castTo(DataType.INT).dup('c').data().asInt();
    }
}
