package org.ssdspark.augment;

import org.junit.jupiter.api.Test;
import org.ssdspark.image.EvalPreprocessor;
import org.ssdspark.image.ImageDecoder;
import org.ssdspark.image.JpegImage;
import org.ssdspark.testing.ReferenceFiles;
import org.ssdspark.image.RgbImage;
import org.ssdspark.image.UndecodableImageException;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainAugmentationTest {
    private static final float[][] BOXES = {{47, 239, 194, 370}, {7, 11, 351, 380}, {280, 0, 475, 384}};
    private static final int[] LABELS = {12, 15, 3};

    private static JpegImage reference000401() {
        return new JpegImage("000401", ReferenceFiles.read(ReferenceFiles.dir().resolve("images/000401.jpg")));
    }

    @Test
    void sameSeedGivesTheSameSample() {
        TrainAugmentation augmentation = new TrainAugmentation(300);
        JpegImage jpeg = reference000401();
        for (long seed = 0; seed < 5; seed++) {
            AugmentedSample a = augmentation.apply(jpeg, BOXES, LABELS, new Random(seed));
            AugmentedSample b = augmentation.apply(jpeg, BOXES, LABELS, new Random(seed));
            assertArrayEquals(a.image(), b.image(), 0f);
            assertArrayEquals(a.labels(), b.labels());
            assertEquals(a.boxes().length, b.boxes().length);
            for (int i = 0; i < a.boxes().length; i++) {
                assertArrayEquals(a.boxes()[i], b.boxes()[i], 0f);
            }
        }
    }

    @Test
    void outputsHaveTheNetworkShapeAndRange() {
        TrainAugmentation augmentation = new TrainAugmentation(300, true);
        Random rng = new Random(21);
        float[][] boxes = BOXES.clone();
        try (RgbImage image = ImageDecoder.decode(reference000401())) {
            for (int n = 0; n < 20; n++) {
                AugmentedSample sample = augmentation.apply(image, boxes, LABELS, rng);
                assertEquals(3 * 300 * 300, sample.image().length);
                assertEquals(300, sample.size());
                for (float v : sample.image()) {
                    // No clipping in the reference: brightness, contrast and saturation push past 0..255.
                    assertTrue(Float.isFinite(v) && v > -8 && v < 8, "value " + v);
                }
                assertTrue(sample.labels().length >= 1);
                assertEquals(sample.labels().length, sample.boxes().length);
                for (int i = 0; i < sample.boxes().length; i++) {
                    float[] b = sample.boxes()[i];
                    assertTrue(b[0] >= 0 && b[1] >= 0 && b[2] <= 1 && b[3] <= 1, Arrays.toString(b));
                    assertTrue(b[0] < b[2] && b[1] < b[3], Arrays.toString(b));
                    assertTrue(Arrays.stream(LABELS).anyMatch(l -> l == sample.labels()[0]));
                }
            }
        }
        assertArrayEquals(new float[]{47, 239, 194, 370}, boxes[0], 0f, "the caller's boxes are not changed");
    }

    @Test
    void withEveryDrawZeroOnlyTheFloatResizeAndHsvRoundTripChangeTheEvalInput() {
        // All-zero draws: no distortion, Expand with ratio 1 at (0, 0), the whole-image crop, no mirror.
        JpegImage jpeg = reference000401();
        AugmentedSample sample = new TrainAugmentation(300).apply(jpeg, BOXES, LABELS, TestImages.zeros());
        float[] eval = new EvalPreprocessor(300).apply(jpeg);
        double max = 0;
        for (int i = 0; i < eval.length; i++) {
            max = Math.max(max, Math.abs(eval[i] - sample.image()[i]));
        }
        System.out.printf("identity augmentation vs eval input: max diff %.3g (uint8 vs float resize)%n", max);
        assertTrue(max <= 1.0 / 128 + 1e-4, "max diff " + max);
        assertArrayEquals(LABELS, sample.labels());
        assertArrayEquals(new float[]{47f / 476, 239f / 385, 194f / 476, 370f / 385}, sample.boxes()[0], 1e-7f);
    }

    @Test
    void undecodableImagesNameTheirId() {
        JpegImage broken = new JpegImage("2012_004242", new byte[]{1, 2, 3});
        UndecodableImageException e = assertThrows(UndecodableImageException.class,
                () -> new TrainAugmentation(300).apply(broken, BOXES, LABELS, new Random(1)));
        assertTrue(e.getMessage().contains("2012_004242"));
    }
}
