package org.ssdspark.ssd;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The prior (anchor) boxes of an {@link SsdSpec}, as the reference's {@code generate_ssd_priors(specs, size,
 * clamp=True)} builds them: center form (cx, cy, w, h) relative to the image; level by level, rows then columns,
 * per cell the small square, the big square, then for each aspect ratio its wide and its tall box.
 *
 * <p>Reference quirks kept on purpose: centers come from the stated shrinkage, not from the map size, and the
 * clamp to [0, 1] applies to the center-form values (a prior wider than the image gets w = 1 with its center
 * unchanged, so its corner form still sticks out). Values are computed in double and rounded once to float,
 * as Python computes them before {@code torch.tensor} makes them float32.
 */
public final class PriorBoxes {

    private PriorBoxes() {
    }

    /** Priors as an ND4J float array [numPriors, 4]. */
    public static INDArray generate(SsdSpec spec) {
        return Nd4j.create(centerForm(spec), new long[]{spec.numPriors(), 4}, 'c');
    }

    /** Priors as a flat float array, 4 values (cx, cy, w, h) per prior. */
    public static float[] centerForm(SsdSpec spec) {
        float[] out = new float[spec.numPriors() * 4];
        int k = 0;
        double imageSize = spec.imageSize();
        for (PriorLevel level : spec.levels()) {
            double scale = imageSize / level.shrinkage();
            double small = level.minSize() / imageSize;
            double big = Math.sqrt(level.maxSize() * level.minSize()) / imageSize;
            for (int row = 0; row < level.featureMapSize(); row++) {
                for (int col = 0; col < level.featureMapSize(); col++) {
                    double cx = (col + 0.5) / scale;
                    double cy = (row + 0.5) / scale;
                    k = put(out, k, cx, cy, small, small);
                    k = put(out, k, cx, cy, big, big);
                    for (int ratio : level.aspectRatios()) {
                        double r = Math.sqrt(ratio);
                        k = put(out, k, cx, cy, small * r, small / r);
                        k = put(out, k, cx, cy, small / r, small * r);
                    }
                }
            }
        }
        return out;
    }

    private static int put(float[] out, int k, double cx, double cy, double w, double h) {
        out[k] = clamp01((float) cx);
        out[k + 1] = clamp01((float) cy);
        out[k + 2] = clamp01((float) w);
        out[k + 3] = clamp01((float) h);
        return k + 4;
    }

    private static float clamp01(float v) {
        return Math.min(Math.max(v, 0f), 1f);
    }
}
