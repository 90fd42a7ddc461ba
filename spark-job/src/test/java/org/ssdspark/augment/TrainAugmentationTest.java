package org.ssdspark.augment;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;
import org.ssdspark.image.EvalPreprocessor;
import org.ssdspark.image.ImageDecoder;
import org.ssdspark.image.JpegImage;
import org.ssdspark.testing.ReferenceFiles;
import org.ssdspark.image.RgbImage;
import org.ssdspark.image.UndecodableImageException;

import java.util.Arrays;
import java.util.Random;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
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

    @Test
    void measuresThroughputOnA500x375Jpeg() {
        JpegImage jpeg = new JpegImage("synthetic-500x375", jpeg500x375());
        TrainAugmentation augmentation = new TrainAugmentation(300);
        float[][] boxes = {{30, 40, 200, 300}, {250, 100, 480, 360}};
        int[] labels = {1, 2};
        Random rng = new Random(99);
        for (int i = 0; i < 20; i++) {
            augmentation.apply(jpeg, boxes, labels, rng);
        }
        int n = 60;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            augmentation.apply(jpeg, boxes, labels, rng);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("train augmentation (decode + augment, 500x375 JPEG -> 300x300): %.1f images/s from one calling thread%n",
                n / seconds);
        EvalPreprocessor eval = new EvalPreprocessor();
        start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            eval.apply(jpeg);
        }
        seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("eval preprocessing (decode + resize, 500x375 JPEG): %.1f images/s from one calling thread%n", n / seconds);
    }

    private static byte[] jpeg500x375() {
        try (RgbImage image = ImageDecoder.decode(reference000401()); Mat resized = new Mat();
             Size size = new Size(500, 375); BytePointer encoded = new BytePointer()) {
            resize(image.mat(), resized, size);
            assertTrue(imencode(".jpg", resized, encoded));
            byte[] bytes = new byte[(int) encoded.limit()];
            encoded.get(bytes);
            return bytes;
        }
    }
}
