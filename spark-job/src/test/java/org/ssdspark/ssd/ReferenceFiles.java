package org.ssdspark.ssd;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Finds and loads the PyTorch reference outputs ({@code ssd.reference.dir}, else {@code <repoRoot>/../shared/reference}). */
final class ReferenceFiles {

    private ReferenceFiles() {
    }

    static Path dir() {
        return org.ssdspark.testing.ReferenceData.dir();
    }

    static Path file(String relative) {
        return dir().resolve(relative);
    }

    static INDArray npy(String relative) {
        File f = file(relative).toFile();
        if (!f.isFile()) {
            throw new IllegalStateException("missing reference file " + f);
        }
        return Nd4j.createFromNpyFile(f);
    }

    /** A reference array flattened row-major into floats. */
    static float[] floats(String relative) {
        return npy(relative).castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    static int[] ints(String relative) {
        return npy(relative).castTo(DataType.INT).dup('c').data().asInt();
    }
}
