package org.ssdspark.augment;

/** An integer rectangle [x0, x1) x [y0, y1) in pixels. */
record CropRect(int x0, int y0, int x1, int y1) {
    int width() {
        return x1 - x0;
    }

    int height() {
        return y1 - y0;
    }

    boolean contains(CropRect other) {
        return other.x0 >= x0 && other.y0 >= y0 && other.x1 <= x1 && other.y1 <= y1;
    }
}
