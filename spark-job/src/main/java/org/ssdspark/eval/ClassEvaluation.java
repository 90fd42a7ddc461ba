package org.ssdspark.eval;

/** The scores of one class: both AP metrics, the curve they come from, and the counts behind them. */
public record ClassEvaluation(String className, int positives, int detections, long truePositives,
                              long ignored, double ap11Point, double apArea, PrecisionRecallCurve curve,
                              boolean referenceWouldBeNaN) {

    public double ap(ApMetric metric) {
        return metric == ApMetric.VOC2007_11_POINT ? ap11Point : apArea;
    }
}
