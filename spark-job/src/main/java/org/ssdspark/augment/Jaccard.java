package org.ssdspark.augment;

/** Intersection over union of corner-form boxes with one rectangle, as the reference's jaccard_numpy. */
final class Jaccard {
    private Jaccard() {
    }

    static double[] overlaps(float[][] boxes, CropRect rect) {
        double rectArea = (double) rect.width() * rect.height();
        double[] out = new double[boxes.length];
        for (int i = 0; i < boxes.length; i++) {
            float[] b = boxes[i];
            double iw = Math.max(0, Math.min(b[2], rect.x1()) - Math.max(b[0], rect.x0()));
            double ih = Math.max(0, Math.min(b[3], rect.y1()) - Math.max(b[1], rect.y0()));
            double inter = iw * ih;
            double area = ((double) b[2] - b[0]) * ((double) b[3] - b[1]);
            out[i] = inter / (area + rectArea - inter);
        }
        return out;
    }
}
