package org.ssdspark.augment;

/**
 * Where the image sits after Expand: a {@code width x height} canvas filled with the mean, the
 * image's top-left corner at ({@code imageLeft}, {@code imageTop}). Kept as geometry only: pixels are
 * made for the part the crop keeps, never for the whole canvas (up to 16 times the image).
 */
record Canvas(int width, int height, int imageLeft, int imageTop, int imageWidth, int imageHeight) {

    static Canvas of(int imageWidth, int imageHeight) {
        return new Canvas(imageWidth, imageHeight, 0, 0, imageWidth, imageHeight);
    }

    /** The canvas region that the image covers, in canvas coordinates. */
    CropRect imageRect() {
        return new CropRect(imageLeft, imageTop, imageLeft + imageWidth, imageTop + imageHeight);
    }

    CropRect whole() {
        return new CropRect(0, 0, width, height);
    }
}
