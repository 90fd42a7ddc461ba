package org.ssdspark.model;

/**
 * One inverted-residual block: optional 1x1 expansion (when the ratio is not 1), 3x3 depthwise with the
 * block's stride, linear 1x1 projection; a residual add when the stride is 1 and the channel count stays.
 */
public record InvertedResidualSpec(int in, int out, int stride, double expandRatio) {

    /** The reference's {@code round(inp * expand_ratio)}; Python rounds halves to even, as {@link Math#rint} does. */
    public int hidden() {
        return (int) Math.rint(in * expandRatio);
    }

    public boolean expands() {
        return expandRatio != 1.0;
    }

    public boolean residual() {
        return stride == 1 && in == out;
    }
}
