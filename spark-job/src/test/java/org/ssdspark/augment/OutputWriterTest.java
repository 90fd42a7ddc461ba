package org.ssdspark.augment;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;

import static org.bytedeco.opencv.global.opencv_core.flip;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputWriterTest {

    @Test
    void resizesTheCropBilinearlyAndNormalisesToChw() {
        int w = 37;
        int h = 23;
        int s = 16;
        float[] src = TestImages.noise(h, w, 12);
        CropRect crop = new CropRect(3, 2, 30, 21);
        try (FloatImage image = FloatImage.fromHwc(src, h, w)) {
            float[] out = OutputWriter.write(image, Canvas.of(w, h), crop, false, ChannelOrder.IDENTITY, s);
            float[] expected = referenceOrder(image, crop, false, s);
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < s * s; i++) {
                    assertEquals((expected[i * 3 + c] - 127f) / 128f, out[c * s * s + i], 0f);
                }
            }
        }
    }

    @Test
    void mirroringAfterTheResizeMatchesTheReferenceOrderWithinFloatRounding() {
        int w = 500;
        int h = 375;
        int s = 300;
        float[] src = TestImages.noise(h, w, 13);
        CropRect crop = new CropRect(17, 9, 433, 370);
        try (FloatImage image = FloatImage.fromHwc(src, h, w)) {
            float[] ours = OutputWriter.write(image, Canvas.of(w, h), crop, true, ChannelOrder.IDENTITY, s);
            float[] reference = referenceOrder(image, crop, true, s);
            double max = 0;
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < s * s; i++) {
                    max = Math.max(max, Math.abs(ours[c * s * s + i] - (reference[i * 3 + c] - 127f) / 128f));
                }
            }
            System.out.printf("mirror after resize vs flip then resize (noise image, worst case): max diff %.3g%n", max);
            assertTrue(max < 2e-4, "max diff " + max);
        }
    }

    @Test
    void channelOrderPicksTheSourceChannelOfEachOutputChannel() {
        float[] src = {10, 20, 30};
        try (FloatImage image = FloatImage.fromHwc(src, 1, 1)) {
            float[] out = OutputWriter.write(image, Canvas.of(1, 1), new CropRect(0, 0, 1, 1), false,
                    new ChannelOrder(2, 0, 1), 1);
            assertEquals((30 - 127f) / 128f, out[0], 0f);
            assertEquals((10 - 127f) / 128f, out[1], 0f);
            assertEquals((20 - 127f) / 128f, out[2], 0f);
        }
    }

    @Test
    void cropReachingOutsideTheImageSeesTheExpandFill() {
        float[] src = TestImages.ramp(4, 4);
        Canvas canvas = new Canvas(10, 10, 3, 5, 4, 4);
        CropRect crop = new CropRect(1, 4, 6, 8);
        try (FloatImage image = FloatImage.fromHwc(src, 4, 4); Mat region = OutputWriter.region(image, canvas, crop)) {
            FloatBuffer px = region.createBuffer();
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 5; x++) {
                    int ix = x + 1 - 3;
                    int iy = y + 4 - 5;
                    boolean inside = ix >= 0 && iy >= 0 && ix < 4 && iy < 4;
                    assertEquals(inside ? src[(iy * 4 + ix) * 3] : 127f, px.get((y * 5 + x) * 3), 0f);
                }
            }
        }
    }

    /** The reference's order: cut, flip the cut, then resize (HWC floats, not normalised). */
    private static float[] referenceOrder(FloatImage image, CropRect crop, boolean mirror, int s) {
        try (Mat region = OutputWriter.region(image, Canvas.of(image.width(), image.height()), crop);
             Mat flipped = new Mat(); Mat resized = new Mat(); Size size = new Size(s, s)) {
            Mat source = region;
            if (mirror) {
                flip(region, flipped, 1);
                source = flipped;
            }
            resize(source, resized, size, 0, 0, INTER_LINEAR);
            float[] out = new float[s * s * 3];
            resized.<FloatBuffer>createBuffer().get(0, out);
            return out;
        }
    }
}
