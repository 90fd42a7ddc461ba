package org.ssdspark.image;

import org.ssdspark.testing.ReferenceFiles;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvalPreprocessorTest {
    private final EvalPreprocessor preprocessor = new EvalPreprocessor();

    @Test
    void matchesTheReferenceInputOfEveryReferenceImage() {
        List<Path> images = ReferenceFiles.images();
        assertEquals(4, images.size());
        double worst = 0;
        for (Path file : images) {
            String stem = ReferenceFiles.stem(file);
            float[] expected = Nd4j.createFromNpyFile(ReferenceFiles.output(stem + ".input.npy").toFile())
                    .castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).data().asFloat();
            float[] actual = preprocessor.apply(new JpegImage(stem, ReferenceFiles.read(file)));
            assertEquals(expected.length, actual.length, stem);
            double max = maxAbsDiff(expected, actual);
            System.out.printf("eval input %s: max |java - reference| = %.3g%n", stem, max);
            // README: "reproduces the reference's input tensors exactly"
            assertEquals(0.0, max, 0.0, stem + " differs by " + max);
            worst = Math.max(worst, max);
        }
        System.out.printf("eval input, all reference images: max |java - reference| = %.3g%n", worst);
    }

    @Test
    void batchStacksTheSingleImageInputs() {
        List<JpegImage> jpegs = new ArrayList<>();
        for (Path file : ReferenceFiles.images()) {
            jpegs.add(new JpegImage(ReferenceFiles.stem(file), ReferenceFiles.read(file)));
        }
        INDArray batch = preprocessor.batch(jpegs);
        assertArrayEquals(new long[]{jpegs.size(), 3, 300, 300}, batch.shape());
        for (int i = 0; i < jpegs.size(); i++) {
            float[] single = preprocessor.apply(jpegs.get(i));
            assertArrayEquals(single, batch.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).dup().data().asFloat(),
                    jpegs.get(i).id());
        }
    }

    @Test
    void sizeIsConfigurable() {
        Path file = ReferenceFiles.images().get(0);
        float[] input = new EvalPreprocessor(64).apply(new JpegImage("x", ReferenceFiles.read(file)));
        assertEquals(3 * 64 * 64, input.length);
        for (float v : input) {
            assertTrue(v >= -127f / 128f && v <= 128f / 128f);
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }
}
