package org.ssdspark.augment;

import java.util.Random;

/**
 * The reference's RandomMirror: with probability 1/2 flips left-right; a box (x0, x1) becomes
 * (width - x1, width - x0). The pixels are flipped when the output is written.
 */
final class RandomMirror {
    private RandomMirror() {
    }

    static boolean sample(Random rng) {
        return Uniform.coin(rng);
    }

    static LabeledBoxes flipBoxes(LabeledBoxes boxes, int width) {
        float w = width;
        float[][] out = new float[boxes.size()][];
        for (int i = 0; i < out.length; i++) {
            float[] b = boxes.boxes()[i];
            out[i] = new float[]{w - b[2], b[1], w - b[0], b[3]};
        }
        return new LabeledBoxes(out, boxes.labels());
    }
}
