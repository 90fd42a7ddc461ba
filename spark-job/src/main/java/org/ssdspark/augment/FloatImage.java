package org.ssdspark.augment;

import org.bytedeco.opencv.opencv_core.Mat;
import org.ssdspark.image.RgbImage;

import java.nio.FloatBuffer;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;

/**
 * A float32 image of 3 interleaved channels (HWC) in native memory, which photometric ops change in
 * place. Owns its matrix: close it.
 */
final class FloatImage implements AutoCloseable {
    private final Mat mat;
    private final FloatBuffer pixels;

    private FloatImage(Mat mat) {
        if (mat.type() != CV_32FC3 || !mat.isContinuous()) {
            mat.close();
            throw new IllegalArgumentException("expected a continuous CV_32FC3 matrix");
        }
        this.mat = mat;
        this.pixels = mat.createBuffer();
    }

    /** ConvertFromInts: the 8-bit pixels as float32. */
    static FloatImage fromRgb(RgbImage image) {
        Mat mat = new Mat();
        image.mat().convertTo(mat, CV_32F);
        return new FloatImage(mat);
    }

    /** An image from interleaved floats (HWC), copied. */
    static FloatImage fromHwc(float[] hwc, int height, int width) {
        if (hwc.length != height * width * 3) {
            throw new IllegalArgumentException("expected " + (height * width * 3) + " floats, got " + hwc.length);
        }
        FloatImage image = new FloatImage(new Mat(height, width, CV_32FC3));
        image.pixels.put(0, hwc);
        return image;
    }

    int width() {
        return mat.cols();
    }

    int height() {
        return mat.rows();
    }

    /** The interleaved pixels: index {@code (y * width + x) * 3 + channel}. A view, valid until close. */
    FloatBuffer pixels() {
        return pixels;
    }

    Mat mat() {
        return mat;
    }

    float[] toHwc() {
        float[] out = new float[pixels.capacity()];
        pixels.get(0, out);
        return out;
    }

    @Override
    public void close() {
        mat.close();
    }
}
