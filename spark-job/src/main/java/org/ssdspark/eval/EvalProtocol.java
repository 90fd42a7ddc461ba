package org.ssdspark.eval;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * How detections are ranked and matched to ground truth.
 *
 * <ul>
 * <li>{@link #REFERENCE}: qfgaohao/pytorch-ssd's {@code eval_ssd.py}. Ranking by {@code np.argsort(-scores)}
 * (numpy's unstable quicksort, reproduced by {@link NumpyArgsort}); IoU in float32 with continuous areas
 * (no +1 pixel) and {@code 1e-5} added to the union, as its {@code box_utils.iou_of}; a match needs
 * IoU &gt; 0.5.</li>
 * <li>{@link #DEVKIT}: the official PASCAL VOC devkit ({@code VOCevaldet.m}). Stable ranking (Matlab's
 * {@code sort}), IoU in double with +1 pixel widths and heights, boxes that do not overlap by at least a
 * pixel are skipped, a match needs IoU &ge; 0.5.</li>
 * </ul>
 * Both take, among the image's ground truth boxes of the class (difficult ones included), the one with the
 * highest IoU, the first on ties.
 */
public enum EvalProtocol {
    REFERENCE("reference") {
        @Override
        int[] rankByScore(double[] scores) {
            return NumpyArgsort.descending(scores);
        }

        @Override
        double iou(Detection d, GroundTruthBox g) {
            float dx0 = (float) d.xmin(), dy0 = (float) d.ymin(), dx1 = (float) d.xmax(), dy1 = (float) d.ymax();
            float gx0 = (float) g.xmin(), gy0 = (float) g.ymin(), gx1 = (float) g.xmax(), gy1 = (float) g.ymax();
            float overlap = area(Math.max(dx0, gx0), Math.max(dy0, gy0), Math.min(dx1, gx1), Math.min(dy1, gy1));
            float detectionArea = area(dx0, dy0, dx1, dy1);
            float truthArea = area(gx0, gy0, gx1, gy1);
            return overlap / (detectionArea + truthArea - overlap + 1e-5f);
        }

        private float area(float x0, float y0, float x1, float y1) {
            return Math.max(x1 - x0, 0f) * Math.max(y1 - y0, 0f);
        }

        @Override
        boolean isMatch(double iou) {
            return iou > 0.5;
        }
    },

    DEVKIT("devkit") {
        @Override
        int[] rankByScore(double[] scores) {
            return IntStream.range(0, scores.length).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> -scores[i]))
                    .mapToInt(Integer::intValue).toArray();
        }

        @Override
        double iou(Detection d, GroundTruthBox g) {
            double iw = Math.min(d.xmax(), g.xmax()) - Math.max(d.xmin(), g.xmin()) + 1;
            double ih = Math.min(d.ymax(), g.ymax()) - Math.max(d.ymin(), g.ymin()) + 1;
            if (iw <= 0 || ih <= 0) {
                return Double.NEGATIVE_INFINITY; // the devkit never considers such a box
            }
            double union = (d.xmax() - d.xmin() + 1) * (d.ymax() - d.ymin() + 1)
                    + (g.xmax() - g.xmin() + 1) * (g.ymax() - g.ymin() + 1) - iw * ih;
            return iw * ih / union;
        }

        @Override
        boolean isMatch(double iou) {
            return iou >= 0.5;
        }
    };

    private final String id;

    EvalProtocol(String id) {
        this.id = id;
    }

    /** The name used in configuration and in metrics.json. */
    public String id() {
        return id;
    }

    public static EvalProtocol fromId(String id) {
        return Arrays.stream(values()).filter(p -> p.id.equalsIgnoreCase(id.trim())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown evaluation protocol '" + id
                        + "', expected one of reference, devkit"));
    }

    /** Indices of the detections from the highest score to the lowest, with this protocol's tie order. */
    abstract int[] rankByScore(double[] scores);

    abstract double iou(Detection detection, GroundTruthBox truth);

    abstract boolean isMatch(double iou);
}
