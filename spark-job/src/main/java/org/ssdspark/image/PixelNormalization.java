package org.ssdspark.image;

/**
 * The reference's input normalisation: {@code (x - 127) / 128} in float32 for every channel
 * (config image_mean 127, image_std 128.0). Division by a power of two is exact, so multiplying by
 * 1/128 gives the same floats.
 */
public final class PixelNormalization {
    public static final float MEAN = 127f;
    public static final float STD = 128f;
    private static final float INV_STD = 1f / STD;

    private PixelNormalization() {
    }

    public static float normalize(float x) {
        return (x - MEAN) * INV_STD;
    }
}
