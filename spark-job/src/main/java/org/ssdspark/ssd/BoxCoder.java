package org.ssdspark.ssd;

/**
 * Conversions between box forms and the SSD location encoding relative to a fixed set of priors, in float32 and in
 * the operation order of the reference's {@code box_utils} (so results match PyTorch's to the last bit or two).
 * Boxes are flat arrays, 4 values per box: corner form (x0, y0, x1, y1) or center form (cx, cy, w, h).
 */
public final class BoxCoder {

    /** The reference's {@code iou_of} adds this to the denominator. */
    public static final float IOU_EPS = 1e-5f;

    private final float[] centerPriors;
    private final float[] cornerPriors;
    private final float centerVariance;
    private final float sizeVariance;

    public BoxCoder(float[] centerFormPriors, double centerVariance, double sizeVariance) {
        if (centerFormPriors.length % 4 != 0) {
            throw new IllegalArgumentException("priors must hold 4 values per box");
        }
        this.centerPriors = centerFormPriors.clone();
        this.cornerPriors = centerToCorner(centerFormPriors);
        this.centerVariance = (float) centerVariance;
        this.sizeVariance = (float) sizeVariance;
    }

    public static BoxCoder of(SsdSpec spec) {
        return new BoxCoder(PriorBoxes.centerForm(spec), spec.centerVariance(), spec.sizeVariance());
    }

    public int numPriors() {
        return centerPriors.length / 4;
    }

    public float[] centerFormPriors() {
        return centerPriors.clone();
    }

    public float[] cornerFormPriors() {
        return cornerPriors.clone();
    }

    /** Read-only view for the matcher, which compares every ground-truth box with every prior. */
    float[] cornerPriorsView() {
        return cornerPriors;
    }

    public static float[] centerToCorner(float[] center) {
        float[] out = new float[center.length];
        for (int i = 0; i < center.length; i += 4) {
            float halfW = center[i + 2] / 2f;
            float halfH = center[i + 3] / 2f;
            out[i] = center[i] - halfW;
            out[i + 1] = center[i + 1] - halfH;
            out[i + 2] = center[i] + halfW;
            out[i + 3] = center[i + 1] + halfH;
        }
        return out;
    }

    public static float[] cornerToCenter(float[] corner) {
        float[] out = new float[corner.length];
        for (int i = 0; i < corner.length; i += 4) {
            out[i] = (corner[i] + corner[i + 2]) / 2f;
            out[i + 1] = (corner[i + 1] + corner[i + 3]) / 2f;
            out[i + 2] = corner[i + 2] - corner[i];
            out[i + 3] = corner[i + 3] - corner[i + 1];
        }
        return out;
    }

    /**
     * Location targets for corner-form boxes, one per prior ({@code boxes.length == 4 * numPriors}): the reference's
     * {@code convert_boxes_to_locations} after {@code corner_form_to_center_form}.
     */
    public float[] encode(float[] cornerBoxesPerPrior) {
        checkPerPrior(cornerBoxesPerPrior);
        float[] center = cornerToCenter(cornerBoxesPerPrior);
        float[] out = new float[center.length];
        float[] p = centerPriors;
        for (int i = 0; i < center.length; i += 4) {
            out[i] = (center[i] - p[i]) / p[i + 2] / centerVariance;
            out[i + 1] = (center[i + 1] - p[i + 1]) / p[i + 3] / centerVariance;
            out[i + 2] = (float) Math.log(center[i + 2] / p[i + 2]) / sizeVariance;
            out[i + 3] = (float) Math.log(center[i + 3] / p[i + 3]) / sizeVariance;
        }
        return out;
    }

    /** Corner-form boxes from regressions, one per prior: {@code convert_locations_to_boxes} then corner form. */
    public float[] decode(float[] locations) {
        return centerToCorner(decodeToCenter(locations));
    }

    /** Center-form boxes from regressions, one per prior (the reference's {@code convert_locations_to_boxes}). */
    public float[] decodeToCenter(float[] locations) {
        checkPerPrior(locations);
        float[] out = new float[locations.length];
        float[] p = centerPriors;
        for (int i = 0; i < locations.length; i += 4) {
            out[i] = locations[i] * centerVariance * p[i + 2] + p[i];
            out[i + 1] = locations[i + 1] * centerVariance * p[i + 3] + p[i + 1];
            out[i + 2] = (float) Math.exp(locations[i + 2] * sizeVariance) * p[i + 2];
            out[i + 3] = (float) Math.exp(locations[i + 3] * sizeVariance) * p[i + 3];
        }
        return out;
    }

    /**
     * IoU of corner-form box {@code a} (at offset ia) with box {@code b} (at offset ib), as the reference's
     * {@code iou_of(a, b)}: overlap / (area(a) + area(b) - overlap + 1e-5), negative extents clamped to 0.
     * The argument order matters in float: a's area is added first.
     */
    public static float iou(float[] a, int ia, float[] b, int ib) {
        float overlapW = Math.max(Math.min(a[ia + 2], b[ib + 2]) - Math.max(a[ia], b[ib]), 0f);
        float overlapH = Math.max(Math.min(a[ia + 3], b[ib + 3]) - Math.max(a[ia + 1], b[ib + 1]), 0f);
        float overlap = overlapW * overlapH;
        return overlap / (area(a, ia) + area(b, ib) - overlap + IOU_EPS);
    }

    /** Area of a corner-form box, 0 when it is inverted. */
    public static float area(float[] box, int i) {
        return Math.max(box[i + 2] - box[i], 0f) * Math.max(box[i + 3] - box[i + 1], 0f);
    }

    private void checkPerPrior(float[] boxes) {
        if (boxes.length != centerPriors.length) {
            throw new IllegalArgumentException(
                    "expected 4 values for each of " + numPriors() + " priors, got " + boxes.length);
        }
    }
}
