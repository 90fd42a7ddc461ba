package org.ssdspark.model;

/**
 * The shape of an mb2-ssd-lite network, as {@code create_mobilenetv2_ssd_lite} of the reference takes it.
 *
 * @param numClasses           classes including BACKGROUND (label 0); 21 for VOC
 * @param widthMultiplier      MobileNetV2 width multiplier; the reference only builds for values whose block-14
 *                             expansion equals {@code round(576 * w)} and whose last channel stays 1280 (w &lt;= 1)
 * @param imageSize            square input side in pixels
 * @param numPriorsPerLocation anchors per feature-map cell (6 in the reference)
 */
public record SsdLiteConfig(int numClasses, double widthMultiplier, int imageSize, int numPriorsPerLocation) {

    public static final double DEFAULT_WIDTH_MULTIPLIER = 1.0;
    public static final int DEFAULT_IMAGE_SIZE = 300;
    public static final int DEFAULT_PRIORS_PER_LOCATION = 6;

    public SsdLiteConfig {
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses counts BACKGROUND too and must be >= 2, got " + numClasses);
        }
        if (!(widthMultiplier > 0)) {
            throw new IllegalArgumentException("widthMultiplier must be > 0, got " + widthMultiplier);
        }
        if (imageSize < 1) {
            throw new IllegalArgumentException("imageSize must be >= 1, got " + imageSize);
        }
        if (numPriorsPerLocation < 1) {
            throw new IllegalArgumentException("numPriorsPerLocation must be >= 1, got " + numPriorsPerLocation);
        }
    }

    /** The reference network: width 1.0, 300x300, 6 priors per location. */
    public static SsdLiteConfig of(int numClasses) {
        return new SsdLiteConfig(numClasses, DEFAULT_WIDTH_MULTIPLIER, DEFAULT_IMAGE_SIZE, DEFAULT_PRIORS_PER_LOCATION);
    }

    public SsdLiteConfig withWidthMultiplier(double w) {
        return new SsdLiteConfig(numClasses, w, imageSize, numPriorsPerLocation);
    }

    public SsdLiteConfig withImageSize(int size) {
        return new SsdLiteConfig(numClasses, widthMultiplier, size, numPriorsPerLocation);
    }
}
