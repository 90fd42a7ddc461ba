package org.ssdspark.augment;

import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_HSV2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2HSV;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class PhotometricOpsTest {

    @Test
    void brightnessAndContrastAreFloat32AddAndMultiplyAsNumpy() {
        float[] src = TestImages.noise(7, 9, 1);
        float delta = -23.456789f;
        float alpha = 1.2345678f;
        try (FloatImage image = FloatImage.fromHwc(src, 7, 9)) {
            RandomBrightness.add(image, delta);
            RandomContrast.scale(image, alpha);
            float[] out = image.toHwc();
            for (int i = 0; i < src.length; i++) {
                assertEquals((src[i] + delta) * alpha, out[i], 0f);
            }
        }
    }

    @Test
    void hsvIsOpenCvFloatHsvInDegreesAndInPlaceMatchesACopy() {
        float[] src = {255, 0, 0, 0, 255, 0, 0, 0, 255, 100, 50, 25};
        try (FloatImage image = FloatImage.fromHwc(src, 1, 4)) {
            ColorSpace.rgbToHsv(image);
            float[] hsv = image.toHwc();
            assertArrayEquals(new float[]{0, 1, 255, 120, 1, 255, 240, 1, 255, 20, 0.75f, 100}, hsv, 1e-4f);
        }
        float[] noise = TestImages.noise(17, 23, 2);
        try (FloatImage inPlace = FloatImage.fromHwc(noise, 17, 23); FloatImage copy = FloatImage.fromHwc(noise, 17, 23);
             Mat hsv = new Mat(); Mat rgb = new Mat()) {
            ColorSpace.rgbToHsv(inPlace);
            cvtColor(copy.mat(), hsv, COLOR_RGB2HSV);
            assertArrayEquals(values(hsv, noise.length), inPlace.toHwc(), 0f);
            ColorSpace.hsvToRgb(inPlace);
            cvtColor(hsv, rgb, COLOR_HSV2RGB);
            assertArrayEquals(values(rgb, noise.length), inPlace.toHwc(), 0f);
            assertArrayEquals(noise, inPlace.toHwc(), 1e-3f);
        }
    }

    @Test
    void hsvRoundTripIsNotTheIdentityForNegativeValuesAsInTheReference() {
        // Brightness can push values below 0 before the reference's float HSV conversion: it does not come back.
        try (FloatImage image = FloatImage.fromHwc(new float[]{-10, -20, -30}, 1, 1)) {
            ColorSpace.rgbToHsv(image);
            ColorSpace.hsvToRgb(image);
            float[] back = image.toHwc();
            assertNotEquals(-30f, back[2], 1f);
        }
    }

    private static float[] values(Mat mat, int n) {
        float[] out = new float[n];
        mat.<java.nio.FloatBuffer>createBuffer().get(0, out);
        return out;
    }

    @Test
    void hueShiftWrapsLikeTheReference() {
        // H values 350, 5, 345, 100 with S and V untouched.
        float[] hsv = {350, 0.5f, 9, 5, 0.5f, 9, 345, 0.5f, 9, 100, 0.5f, 9};
        try (FloatImage image = FloatImage.fromHwc(hsv, 1, 4)) {
            RandomHue.shift(image, 15f);
            // 365 -> 5; 20; 360 stays 360 (the reference wraps only values above 360); 115.
            assertArrayEquals(new float[]{5, 0.5f, 9, 20, 0.5f, 9, 360, 0.5f, 9, 115, 0.5f, 9}, image.toHwc(), 0f);
            RandomHue.shift(image, -17f);
            // -12 -> 348; 3; 343; 98.
            assertArrayEquals(new float[]{348, 0.5f, 9, 3, 0.5f, 9, 343, 0.5f, 9, 98, 0.5f, 9}, image.toHwc(), 0f);
        }
    }

    @Test
    void saturationScalesOnlyTheSecondChannel() {
        float[] hsv = {10, 0.5f, 200, 20, 0.25f, 100};
        try (FloatImage image = FloatImage.fromHwc(hsv, 1, 2)) {
            RandomSaturation.scale(image, 1.5f);
            assertArrayEquals(new float[]{10, 0.75f, 200, 20, 0.375f, 100}, image.toHwc(), 0f);
        }
    }

    @Test
    void drawsStayInTheReferenceRanges() {
        Random rng = new Random(3);
        int swaps = 0;
        int identities = 0;
        for (int i = 0; i < 6000; i++) {
            ChannelOrder order = RandomLightingNoise.sample(rng);
            if (order.equals(ChannelOrder.IDENTITY)) {
                identities++;
            } else {
                swaps++;
            }
        }
        // Identity: half the time no swap, plus one of six permutations otherwise: 7/12.
        assertEquals(7.0 / 12, identities / 6000.0, 0.03);
        assertEquals(5.0 / 12, swaps / 6000.0, 0.03);
    }

    @Test
    void photometricDistortIsDeterministicForASeed() {
        float[] src = TestImages.noise(8, 8, 4);
        float[] first;
        float[] second;
        ChannelOrder a;
        ChannelOrder b;
        try (FloatImage image = FloatImage.fromHwc(src, 8, 8)) {
            a = PhotometricDistort.apply(image, new Random(11));
            first = image.toHwc();
        }
        try (FloatImage image = FloatImage.fromHwc(src, 8, 8)) {
            b = PhotometricDistort.apply(image, new Random(11));
            second = image.toHwc();
        }
        assertArrayEquals(first, second, 0f);
        assertEquals(a, b);
        assertNotEquals(src[0], first[0]);
    }
}
