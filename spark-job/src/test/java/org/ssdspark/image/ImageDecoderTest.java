package org.ssdspark.image;

import org.ssdspark.testing.ReferenceFiles;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageDecoderTest {

    @Test
    void decodesAReferenceJpegToRgb() {
        byte[] jpeg = ReferenceFiles.read(ReferenceFiles.dir().resolve("images/000401.jpg"));
        try (RgbImage image = ImageDecoder.decode("000401", jpeg)) {
            assertEquals(476, image.width());
            assertEquals(385, image.height());
            assertEquals(476 * 385 * 3, image.toHwc().length);
        }
    }

    @Test
    void appliesExifOrientationAsImreadDoes() {
        byte[] jpeg = ReferenceFiles.read(ReferenceFiles.dir().resolve("images/000402.jpg"));
        try (RgbImage upright = ImageDecoder.decode("000402", jpeg);
             RgbImage rotated = ImageDecoder.decode("000402-exif6", TestJpegs.withExifOrientation(jpeg, 6))) {
            int w = upright.width();
            int h = upright.height();
            assertEquals(h, rotated.width());
            assertEquals(w, rotated.height());
            byte[] a = upright.toHwc();
            byte[] b = rotated.toHwc();
            // Orientation 6: turned 90 degrees clockwise, rotated(x, y) = upright(y, h - 1 - x).
            for (int y = 0; y < w; y++) {
                for (int x = 0; x < h; x++) {
                    for (int c = 0; c < 3; c++) {
                        assertEquals(a[((h - 1 - x) * w + y) * 3 + c], b[(y * h + x) * 3 + c]);
                    }
                }
            }
        }
    }

    @Test
    void grayscaleJpegGivesThreeEqualChannels() {
        try (RgbImage image = ImageDecoder.decode("gray", TestJpegs.grayscale(24, 16))) {
            assertEquals(24, image.width());
            assertEquals(16, image.height());
            byte[] px = image.toHwc();
            assertEquals(24 * 16 * 3, px.length);
            for (int i = 0; i < px.length; i += 3) {
                assertEquals(px[i], px[i + 1]);
                assertEquals(px[i], px[i + 2]);
            }
        }
    }

    @Test
    void cmykJpegGivesThreeChannels() {
        // Stored without an Adobe marker; OpenCV reads the samples as inverted CMYK, so (0,255,255,255) is cyan.
        try (RgbImage image = ImageDecoder.decode("cmyk", TestJpegs.cmyk(16, 8, 0, 255, 255, 255))) {
            byte[] px = image.toHwc();
            assertEquals(16 * 8 * 3, px.length);
            for (int i = 0; i < px.length; i += 3) {
                assertTrue((px[i] & 0xFF) < 8, "red " + (px[i] & 0xFF));
                assertTrue((px[i + 1] & 0xFF) > 247, "green " + (px[i + 1] & 0xFF));
                assertTrue((px[i + 2] & 0xFF) > 247, "blue " + (px[i + 2] & 0xFF));
            }
        }
    }

    @Test
    void undecodableBytesNameTheImage() {
        byte[] garbage = new byte[100];
        Arrays.fill(garbage, (byte) 7);
        UndecodableImageException e = assertThrows(UndecodableImageException.class,
                () -> ImageDecoder.decode("2008_000123", garbage));
        assertEquals("2008_000123", e.imageId());
        assertTrue(e.getMessage().contains("2008_000123"), e.getMessage());

        byte[] jpeg = ReferenceFiles.read(ReferenceFiles.dir().resolve("images/000402.jpg"));
        byte[] truncatedHeader = Arrays.copyOf(jpeg, 20);
        assertThrows(UndecodableImageException.class, () -> ImageDecoder.decode("trunc", truncatedHeader));
        assertThrows(UndecodableImageException.class, () -> ImageDecoder.decode("empty", new byte[0]));
    }

    @Test
    void closingReleasesTheNativeMatrix() {
        byte[] jpeg = ReferenceFiles.read(ReferenceFiles.dir().resolve("images/000402.jpg"));
        RgbImage image = ImageDecoder.decode("000402", jpeg);
        image.close();
        assertTrue(image.mat().isNull());
    }

    @Test
    void roundTripsHwcBytes() {
        byte[] px = new byte[5 * 4 * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 7);
        }
        try (RgbImage image = RgbImage.fromHwc(px, 4, 5)) {
            assertEquals(5, image.width());
            assertEquals(4, image.height());
            assertTrue(Arrays.equals(px, image.toHwc()));
        }
    }
}
