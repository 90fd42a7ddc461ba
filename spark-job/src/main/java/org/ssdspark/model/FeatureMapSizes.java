package org.ssdspark.model;

/**
 * Spatial sizes of the six head inputs. Every stride-2 layer is a 3x3 convolution with padding 1, so
 * a side s becomes floor((s - 1) / 2) + 1 (PyTorch's arithmetic): 300 gives 19, 10, 5, 3, 2, 1.
 */
public final class FeatureMapSizes {

    /** Stride-2 layers before the first head input (MobileNetV2 blocks 0, 2, 4, 7 and block 14's depthwise comes after). */
    private static final int HALVINGS_BEFORE_FIRST_LEVEL = 4;
    public static final int LEVELS = 6;

    private FeatureMapSizes() {
    }

    public static int halve(int side) {
        return (side - 1) / 2 + 1;
    }

    public static int[] of(int imageSize) {
        int side = imageSize;
        for (int i = 0; i < HALVINGS_BEFORE_FIRST_LEVEL; i++) {
            side = halve(side);
        }
        int[] sizes = new int[LEVELS];
        sizes[0] = side;
        for (int level = 1; level < LEVELS; level++) {
            side = halve(side);
            sizes[level] = side;
        }
        return sizes;
    }

    /** Total number of priors: sum over levels of side^2 * priors per location (3000 for the reference). */
    public static int numPriors(SsdLiteConfig config) {
        int total = 0;
        for (int side : of(config.imageSize())) {
            total += side * side * config.numPriorsPerLocation();
        }
        return total;
    }
}
