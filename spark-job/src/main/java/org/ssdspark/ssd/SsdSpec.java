package org.ssdspark.ssd;

import java.util.ArrayList;
import java.util.List;

/**
 * Geometry of an SSD model's priors and box coding: the image side, one {@link PriorLevel} per head,
 * the variances of the location encoding and the IoU a prior needs to be matched to a ground-truth box.
 */
public record SsdSpec(int imageSize, List<PriorLevel> levels, double centerVariance, double sizeVariance,
                      double iouThreshold) {

    public static final int REFERENCE_IMAGE_SIZE = 300;
    public static final double CENTER_VARIANCE = 0.1;
    public static final double SIZE_VARIANCE = 0.2;
    public static final double MATCH_IOU_THRESHOLD = 0.5;

    private static final List<Integer> RATIOS = List.of(2, 3);
    /** Downsamplings (by 2, rounding up) from the input to the first head: 300 -> 150 -> 75 -> 38 -> 19. */
    private static final int HALVINGS_TO_FIRST_HEAD = 4;
    private static final double[][] REFERENCE_BOX_SIZES =
            {{60, 105}, {105, 150}, {150, 195}, {195, 240}, {240, 285}, {285, 330}};

    public SsdSpec {
        levels = List.copyOf(levels);
    }

    /** The table of {@code mobilenetv1_ssd_config.py} that mb2-ssd-lite uses: 3000 priors. */
    public static SsdSpec reference300() {
        int[] mapSizes = {19, 10, 5, 3, 2, 1};
        double[] shrinkages = {16, 32, 64, 100, 150, 300};
        List<PriorLevel> levels = new ArrayList<>();
        for (int i = 0; i < mapSizes.length; i++) {
            levels.add(new PriorLevel(mapSizes[i], shrinkages[i],
                    REFERENCE_BOX_SIZES[i][0], REFERENCE_BOX_SIZES[i][1], RATIOS));
        }
        return new SsdSpec(REFERENCE_IMAGE_SIZE, levels, CENTER_VARIANCE, SIZE_VARIANCE, MATCH_IOU_THRESHOLD);
    }

    /**
     * A table for an input of side {@code s}, for small test models. 300 gives {@link #reference300()}. Otherwise the
     * map sizes follow the network (halved with rounding up four times to the first head, then once per further
     * head), shrinkage is s / mapSize so centers spread evenly over each map, and box sizes scale by s / 300.
     */
    public static SsdSpec forImageSize(int s) {
        if (s == REFERENCE_IMAGE_SIZE) {
            return reference300();
        }
        if (s < 1) {
            throw new IllegalArgumentException("image size must be positive: " + s);
        }
        int f = s;
        for (int i = 0; i < HALVINGS_TO_FIRST_HEAD; i++) {
            f = halveUp(f);
        }
        double scale = s / (double) REFERENCE_IMAGE_SIZE;
        List<PriorLevel> levels = new ArrayList<>();
        for (int i = 0; i < REFERENCE_BOX_SIZES.length; i++) {
            if (i > 0) {
                f = halveUp(f);
            }
            levels.add(new PriorLevel(f, s / (double) f,
                    REFERENCE_BOX_SIZES[i][0] * scale, REFERENCE_BOX_SIZES[i][1] * scale, RATIOS));
        }
        return new SsdSpec(s, levels, CENTER_VARIANCE, SIZE_VARIANCE, MATCH_IOU_THRESHOLD);
    }

    private static int halveUp(int n) {
        return (n + 1) / 2;
    }

    public int numPriors() {
        return levels.stream().mapToInt(PriorLevel::numPriors).sum();
    }

    public int[] featureMapSizes() {
        return levels.stream().mapToInt(PriorLevel::featureMapSize).toArray();
    }

    public double[] shrinkages() {
        return levels.stream().mapToDouble(PriorLevel::shrinkage).toArray();
    }
}
