package org.ssdspark.augment;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_HSV2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2HSV;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

/**
 * The reference's ConvertColor between RGB and HSV: OpenCV on float32 pixels, so H is in degrees
 * [0, 360), S = (max - min) / max and V = max (the 0..255 scale is kept, values outside it included).
 * In place: the conversion is per pixel.
 */
final class ColorSpace {
    private ColorSpace() {
    }

    static void rgbToHsv(FloatImage image) {
        cvtColor(image.mat(), image.mat(), COLOR_RGB2HSV);
    }

    static void hsvToRgb(FloatImage image) {
        cvtColor(image.mat(), image.mat(), COLOR_HSV2RGB);
    }
}
