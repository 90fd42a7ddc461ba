package org.ssdspark.augment;

import java.util.Random;

/**
 * The reference's PhotometricDistort: brightness; then with probability 1/2 contrast before the HSV
 * ops, else after them (HSV: saturation then hue); then the channel swap, returned for the writer.
 */
final class PhotometricDistort {
    private PhotometricDistort() {
    }

    static ChannelOrder apply(FloatImage image, Random rng) {
        RandomBrightness.apply(image, rng);
        boolean contrastFirst = Uniform.coin(rng);
        if (contrastFirst) {
            RandomContrast.apply(image, rng);
        }
        ColorSpace.rgbToHsv(image);
        RandomSaturation.apply(image, rng);
        RandomHue.apply(image, rng);
        ColorSpace.hsvToRgb(image);
        if (!contrastFirst) {
            RandomContrast.apply(image, rng);
        }
        return RandomLightingNoise.sample(rng);
    }
}
