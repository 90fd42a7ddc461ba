package org.ssdspark.image;

/** Turns interleaved 8-bit RGB pixels into normalised channel-first floats. */
final class ChwWriter {
    private ChwWriter() {
    }

    static void normalizedFromHwc(byte[] hwc, int pixels, float[] dst, int offset) {
        int g = offset + pixels;
        int b = g + pixels;
        for (int p = 0, i = 0; p < pixels; p++, i += 3) {
            dst[offset + p] = PixelNormalization.normalize(hwc[i] & 0xFF);
            dst[g + p] = PixelNormalization.normalize(hwc[i + 1] & 0xFF);
            dst[b + p] = PixelNormalization.normalize(hwc[i + 2] & 0xFF);
        }
    }
}
