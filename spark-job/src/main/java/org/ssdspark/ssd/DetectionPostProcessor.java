package org.ssdspark.ssd;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns one image's class scores and boxes into detections, as the reference's {@code Predictor.predict} with hard
 * NMS does: for each class but background, the priors whose probability exceeds the threshold; of those the
 * {@code candidateSize} best ({@code box_utils.hard_nms}); then greedy suppression of every candidate whose IoU with
 * a kept box exceeds the NMS threshold; optionally only the first {@code topK} kept per class. Output order is the
 * reference's: class by class, each class best first. Boxes are scaled from image-relative to pixels of the original
 * image (the reference multiplies float32 coordinates by the width and height).
 *
 * <p>Defaults are what the reference outputs used ({@code outputs/manifest.json}): threshold 0.01 (the Predictor's
 * {@code filter_threshold}, which {@code predict(image, top_k=-1, prob_threshold=None)} falls back to), IoU 0.45,
 * 200 candidates, topK -1 (keep all). Equal scores rank by prior index, lower first.
 */
public final class DetectionPostProcessor {

    public static final float DEFAULT_PROB_THRESHOLD = 0.01f;
    public static final float DEFAULT_IOU_THRESHOLD = 0.45f;
    public static final int DEFAULT_CANDIDATE_SIZE = 200;

    private final float probThreshold;
    private final float iouThreshold;
    private final int candidateSize;
    private final int topK;

    public DetectionPostProcessor() {
        this(DEFAULT_PROB_THRESHOLD, DEFAULT_IOU_THRESHOLD, DEFAULT_CANDIDATE_SIZE, -1);
    }

    /** @param topK at most this many detections per class after NMS; 0 or less keeps all */
    public DetectionPostProcessor(double probThreshold, double iouThreshold, int candidateSize, int topK) {
        this.probThreshold = (float) probThreshold;
        this.iouThreshold = (float) iouThreshold;
        this.candidateSize = candidateSize;
        this.topK = topK;
    }

    /**
     * From raw network outputs: softmax over classes and decoding against the coder's priors (the reference's
     * {@code SSD.forward} in test mode), then {@link #process}.
     *
     * @param logits      [numPriors * numClasses], prior-major
     * @param regressions [numPriors * 4]
     */
    public List<Detection> processRaw(float[] logits, float[] regressions, BoxCoder coder, int numClasses,
                                      int width, int height) {
        return process(softmax(logits, numClasses), numClasses, coder.decode(regressions), width, height);
    }

    /**
     * @param scores      class probabilities [numPriors * numClasses], prior-major
     * @param cornerBoxes boxes relative to the image, corner form [numPriors * 4]
     * @param width       original image width in pixels (1 keeps boxes relative)
     * @param height      original image height in pixels
     */
    public List<Detection> process(float[] scores, int numClasses, float[] cornerBoxes, int width, int height) {
        int numPriors = cornerBoxes.length / 4;
        if (cornerBoxes.length != 4 * numPriors || scores.length != numPriors * numClasses) {
            throw new IllegalArgumentException("scores and boxes disagree on the number of priors");
        }
        List<Detection> out = new ArrayList<>();
        for (int c = 1; c < numClasses; c++) {
            int[] candidates = candidates(scores, numClasses, c, numPriors);
            for (int p : suppress(candidates, cornerBoxes)) {
                int i = 4 * p;
                out.add(new Detection(c, scores[p * numClasses + c],
                        cornerBoxes[i] * width, cornerBoxes[i + 1] * height,
                        cornerBoxes[i + 2] * width, cornerBoxes[i + 3] * height));
            }
        }
        return out;
    }

    /** Priors above the threshold for class c, best first, at most candidateSize. */
    private int[] candidates(float[] scores, int numClasses, int c, int numPriors) {
        List<Integer> above = new ArrayList<>();
        for (int p = 0; p < numPriors; p++) {
            if (scores[p * numClasses + c] > probThreshold) {
                above.add(p);
            }
        }
        above.sort((a, b) -> {
            int byScore = Float.compare(scores[b * numClasses + c], scores[a * numClasses + c]);
            return byScore != 0 ? byScore : Integer.compare(a, b);
        });
        int n = candidateSize > 0 ? Math.min(candidateSize, above.size()) : above.size();
        return above.subList(0, n).stream().mapToInt(Integer::intValue).toArray();
    }

    /** Greedy hard NMS over candidates in rank order; returns the kept prior indices in order. */
    private List<Integer> suppress(int[] candidates, float[] boxes) {
        List<Integer> kept = new ArrayList<>();
        boolean[] removed = new boolean[candidates.length];
        for (int i = 0; i < candidates.length; i++) {
            if (removed[i]) {
                continue;
            }
            int current = candidates[i];
            kept.add(current);
            if (topK > 0 && kept.size() == topK) {
                break;
            }
            for (int j = i + 1; j < candidates.length; j++) {
                // the reference keeps iou_of(rest, current) <= threshold: the remaining box's area comes first,
                // and a NaN IoU suppresses
                if (!removed[j] && !(BoxCoder.iou(boxes, 4 * candidates[j], boxes, 4 * current) <= iouThreshold)) {
                    removed[j] = true;
                }
            }
        }
        return kept;
    }

    /** Softmax over each prior's classes; float result as the reference's float32 {@code F.softmax}. */
    public static float[] softmax(float[] logits, int numClasses) {
        float[] out = new float[logits.length];
        for (int from = 0; from < logits.length; from += numClasses) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < numClasses; c++) {
                max = Math.max(max, logits[from + c]);
            }
            double sum = 0;
            double[] e = new double[numClasses];
            for (int c = 0; c < numClasses; c++) {
                e[c] = Math.exp(logits[from + c] - max);
                sum += e[c];
            }
            for (int c = 0; c < numClasses; c++) {
                out[from + c] = (float) (e[c] / sum);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "DetectionPostProcessor(prob>" + probThreshold + ", iou " + iouThreshold + ", candidates "
                + candidateSize + ", topK " + topK + ")";
    }
}
