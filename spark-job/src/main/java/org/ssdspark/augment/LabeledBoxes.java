package org.ssdspark.augment;

/** Boxes in corner form (x0, y0, x1, y1) with one label each; ops return new instances. */
record LabeledBoxes(float[][] boxes, int[] labels) {
    LabeledBoxes {
        if (boxes.length != labels.length) {
            throw new IllegalArgumentException(boxes.length + " boxes but " + labels.length + " labels");
        }
    }

    static LabeledBoxes copyOf(float[][] boxes, int[] labels) {
        float[][] copy = new float[boxes.length][];
        for (int i = 0; i < boxes.length; i++) {
            if (boxes[i].length != 4) {
                throw new IllegalArgumentException("box " + i + " has " + boxes[i].length + " coordinates");
            }
            copy[i] = boxes[i].clone();
        }
        return new LabeledBoxes(copy, labels.clone());
    }

    int size() {
        return labels.length;
    }

    /** Moves every box by (dx, dy), as the reference does when it places the image on a larger canvas. */
    LabeledBoxes shifted(int dx, int dy) {
        float[][] out = new float[boxes.length][];
        for (int i = 0; i < boxes.length; i++) {
            float[] b = boxes[i];
            out[i] = new float[]{b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy};
        }
        return new LabeledBoxes(out, labels);
    }

    /** ToPercentCoords: pixels of an image of this size to fractions of it. */
    LabeledBoxes toPercent(int width, int height) {
        float w = width;
        float h = height;
        float[][] out = new float[boxes.length][];
        for (int i = 0; i < boxes.length; i++) {
            float[] b = boxes[i];
            out[i] = new float[]{b[0] / w, b[1] / h, b[2] / w, b[3] / h};
        }
        return new LabeledBoxes(out, labels);
    }
}
