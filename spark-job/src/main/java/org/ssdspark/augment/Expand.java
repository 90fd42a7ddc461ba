package org.ssdspark.augment;

import java.util.Random;

/**
 * The reference's Expand (zoom out): with probability 1/2 places the image on a canvas {@code ratio}
 * times larger per side, ratio drawn from [1, 4), at an offset drawn uniformly over the free room,
 * filled with the mean (127, every channel); boxes move with the image.
 */
final class Expand {
    static final double MAX_RATIO = 4;

    private Expand() {
    }

    static Canvas sample(int width, int height, Random rng) {
        if (Uniform.coin(rng)) {
            return Canvas.of(width, height);
        }
        double ratio = Uniform.between(rng, 1, MAX_RATIO);
        double left = Uniform.between(rng, 0, width * ratio - width);
        double top = Uniform.between(rng, 0, height * ratio - height);
        int canvasWidth = (int) (width * ratio);
        int canvasHeight = (int) (height * ratio);
        // The reference writes the image at int(left); the min only guards a rounding ulp at the far edge.
        int x = Math.min((int) left, canvasWidth - width);
        int y = Math.min((int) top, canvasHeight - height);
        return new Canvas(canvasWidth, canvasHeight, x, y, width, height);
    }

    static LabeledBoxes moveBoxes(LabeledBoxes boxes, Canvas canvas) {
        if (canvas.imageLeft() == 0 && canvas.imageTop() == 0) {
            return boxes;
        }
        return boxes.shifted(canvas.imageLeft(), canvas.imageTop());
    }
}
