package org.ssdspark.augment;

import java.util.Random;

/**
 * The reference's RandomSampleCrop. Repeatedly picks one of six modes uniformly: keep the whole image,
 * a minimum IoU of 0.1, 0.3, 0.7 or 0.9, or no IoU bound; for an IoU mode tries up to 50 patches with
 * sides in [0.3, 1) of the image's and height/width in [0.5, 2], keeping the first whose rectangle
 * contains the center of at least one box (strictly); only those boxes stay, clipped to the patch.
 *
 * <p>The reference tests {@code min(iou) < min_iou and max_iou < max(iou)} with max_iou always
 * infinite, so its IoU bound never rejects a patch. That stays the default; with
 * {@code enforceIouConstraint} a patch is rejected when any box's IoU with it is below the mode's
 * minimum. The patch's corner is drawn as the reference does, {@code uniform(width - w)}, which numpy
 * reads as uniform between {@code width - w} and 1.
 */
final class RandomSampleCrop {
    static final int MAX_TRIALS = 50;
    /** Minimum IoU per mode; NaN marks "keep the whole image", -infinity "no bound". */
    static final double[] MODES = {Double.NaN, 0.1, 0.3, 0.7, 0.9, Double.NEGATIVE_INFINITY};
    private static final double MAX_IOU = Double.POSITIVE_INFINITY;

    private final boolean enforceIouConstraint;

    RandomSampleCrop(boolean enforceIouConstraint) {
        this.enforceIouConstraint = enforceIouConstraint;
    }

    CropResult apply(int width, int height, LabeledBoxes boxes, Random rng) {
        CropRect whole = new CropRect(0, 0, width, height);
        if (boxes.size() == 0) {
            // The reference never finds a patch holding a box center here; only the whole-image mode ends its loop.
            return new CropResult(whole, boxes, Double.NaN);
        }
        while (true) {
            double minIou = MODES[rng.nextInt(MODES.length)];
            if (Double.isNaN(minIou)) {
                return new CropResult(whole, boxes, Double.NaN);
            }
            for (int trial = 0; trial < MAX_TRIALS; trial++) {
                CropResult result = tryPatch(width, height, boxes, minIou, rng);
                if (result != null) {
                    return result;
                }
            }
        }
    }

    private CropResult tryPatch(int width, int height, LabeledBoxes boxes, double minIou, Random rng) {
        double w = Uniform.between(rng, 0.3 * width, width);
        double h = Uniform.between(rng, 0.3 * height, height);
        if (h / w < 0.5 || h / w > 2) {
            return null;
        }
        double left = Uniform.numpyOneArgument(rng, width - w);
        double top = Uniform.numpyOneArgument(rng, height - h);
        CropRect rect = new CropRect((int) left, (int) top, (int) (left + w), (int) (top + h));
        if (rect.width() <= 0 || rect.height() <= 0 || !new CropRect(0, 0, width, height).contains(rect)) {
            return null; // numpy would slice an empty or clipped array here; only tiny images get this far
        }
        if (rejectedByIou(Jaccard.overlaps(boxes.boxes(), rect), minIou)) {
            return null;
        }
        return keepCentered(boxes, rect, minIou);
    }

    private boolean rejectedByIou(double[] overlaps, double minIou) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double o : overlaps) {
            min = Math.min(min, o);
            max = Math.max(max, o);
        }
        if (enforceIouConstraint) {
            return min < minIou || MAX_IOU < max;
        }
        return min < minIou && MAX_IOU < max;
    }

    private static CropResult keepCentered(LabeledBoxes boxes, CropRect rect, double minIou) {
        float[][] all = boxes.boxes();
        int kept = 0;
        boolean[] keep = new boolean[all.length];
        for (int i = 0; i < all.length; i++) {
            float cx = (all[i][0] + all[i][2]) / 2f;
            float cy = (all[i][1] + all[i][3]) / 2f;
            keep[i] = rect.x0() < cx && rect.y0() < cy && rect.x1() > cx && rect.y1() > cy;
            if (keep[i]) {
                kept++;
            }
        }
        if (kept == 0) {
            return null;
        }
        float[][] out = new float[kept][];
        int[] labels = new int[kept];
        for (int i = 0, j = 0; i < all.length; i++) {
            if (keep[i]) {
                float[] b = all[i];
                out[j] = new float[]{
                    Math.max(b[0], rect.x0()) - rect.x0(), Math.max(b[1], rect.y0()) - rect.y0(),
                    Math.min(b[2], rect.x1()) - rect.x0(), Math.min(b[3], rect.y1()) - rect.y0()};
                labels[j++] = boxes.labels()[i];
            }
        }
        return new CropResult(rect, new LabeledBoxes(out, labels), minIou);
    }
}
