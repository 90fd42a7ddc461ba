package org.ssdspark.eval;

/**
 * Average precision from a precision-recall curve, as the reference's {@code vision/utils/measurements.py}.
 * A class with no non-difficult ground truth has no recall: its AP is NaN (left out of the mAP).
 */
public enum ApMetric {
    /** VOC2007: mean over recall thresholds 0, 0.1, ..., 1 of the best precision at recall &ge; threshold (0 if none). */
    VOC2007_11_POINT("voc2007_11point") {
        @Override
        double fromCurve(double[] precision, double[] recall) {
            double ap = 0;
            for (int step = 0; step <= 10; step++) {
                double threshold = step * 0.1; // the values np.arange(0., 1.1, 0.1) holds
                double best = 0;
                for (int i = 0; i < recall.length; i++) {
                    if (recall[i] >= threshold) {
                        best = Math.max(best, precision[i]);
                    }
                }
                ap = ap + best / 11.0;
            }
            return ap;
        }
    },
    /** VOC2010+: area under the envelope of the curve, over the recall values it reaches. */
    AREA_UNDER_CURVE("area") {
        @Override
        double fromCurve(double[] precision, double[] recall) {
            int n = precision.length;
            double[] envelope = new double[n + 2]; // padded with precision 0 at both ends
            System.arraycopy(precision, 0, envelope, 1, n);
            for (int i = n; i > 0; i--) {
                envelope[i] = Math.max(envelope[i], envelope[i + 1]);
            }
            double[] r = new double[n + 2]; // padded with recall 0 in front and 1 behind
            System.arraycopy(recall, 0, r, 1, n);
            r[n + 1] = 1.0;
            double area = 0;
            for (int i = 0; i < n + 1; i++) {
                if (r[i + 1] != r[i]) {
                    area += (r[i + 1] - r[i]) * envelope[i + 1];
                }
            }
            return area;
        }
    };

    private final String id;

    ApMetric(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public double of(PrecisionRecallCurve curve) {
        if (curve.positives() == 0) {
            return Double.NaN;
        }
        return fromCurve(curve.precision(), curve.recall());
    }

    abstract double fromCurve(double[] precision, double[] recall);
}
