package org.ssdspark.image;

import org.bytedeco.opencv.opencv_core.Mat;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

/**
 * A decoded 8-bit image, 3 channels in RGB order, rows of interleaved pixels (HWC), held in native
 * memory. It owns that memory: close it (try-with-resources) so executors do not wait for the GC to
 * give it back.
 */
public final class RgbImage implements AutoCloseable {
    private final Mat mat;

    /** Takes ownership of {@code mat}, which must be a continuous CV_8UC3 matrix in RGB order. */
    RgbImage(Mat mat) {
        if (mat.type() != CV_8UC3 || !mat.isContinuous()) {
            mat.close();
            throw new IllegalArgumentException("expected a continuous CV_8UC3 matrix");
        }
        this.mat = mat;
    }

    /** Copies interleaved RGB bytes (HWC, {@code height*width*3}) into a new image. */
    public static RgbImage fromHwc(byte[] rgb, int height, int width) {
        if (rgb.length != height * width * 3) {
            throw new IllegalArgumentException("expected " + (height * width * 3) + " bytes, got " + rgb.length);
        }
        Mat mat = new Mat(height, width, CV_8UC3);
        mat.data().put(rgb, 0, rgb.length);
        return new RgbImage(mat);
    }

    public int width() {
        return mat.cols();
    }

    public int height() {
        return mat.rows();
    }

    /** The pixels as interleaved RGB bytes (HWC), copied onto the heap. */
    public byte[] toHwc() {
        byte[] out = new byte[height() * width() * 3];
        mat.data().get(out, 0, out.length);
        return out;
    }

    /** The native matrix, still owned by this image: do not close or keep it past {@link #close()}. */
    public Mat mat() {
        return mat;
    }

    @Override
    public void close() {
        mat.close();
    }
}
