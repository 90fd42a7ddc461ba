package org.ssdspark.testing;

import org.ssdspark.prep.synth.SyntheticVocGenerator;

import java.io.IOException;
import java.nio.file.Path;

/** Small generated VOC-format folders for tests. */
public final class SampleData {
    private SampleData() {
    }

    public static SyntheticVocGenerator.Options small(int images, long seed) {
        return new SyntheticVocGenerator.Options(images, 0.25, 96, 80, 1, 3, 0.2, 0.6, 4, seed);
    }

    public static Path generate(Path dir, int images, long seed) throws IOException {
        new SyntheticVocGenerator().generate(dir, small(images, seed));
        return dir;
    }
}
