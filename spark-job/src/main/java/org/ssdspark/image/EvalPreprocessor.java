package org.ssdspark.image;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * The reference's evaluation input: decoded RGB bytes, {@code cv2.resize(image, (S, S))} (bilinear
 * on uint8), then {@code (x - 127) / 128}, laid out channel-first (CHW).
 */
public final class EvalPreprocessor {
    public static final int DEFAULT_SIZE = 300;

    private final int size;

    public EvalPreprocessor() {
        this(DEFAULT_SIZE);
    }

    public EvalPreprocessor(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive: " + size);
        }
        this.size = size;
    }

    public int size() {
        return size;
    }

    /** Values per image: {@code 3 * size * size}. */
    public int imageLength() {
        return 3 * size * size;
    }

    public float[] apply(JpegImage image) {
        float[] out = new float[imageLength()];
        applyInto(image, out, 0);
        return out;
    }

    public float[] apply(RgbImage image) {
        float[] out = new float[imageLength()];
        applyInto(image, out, 0);
        return out;
    }

    /** Writes the CHW input of {@code image} into {@code dst} from {@code offset}. */
    public void applyInto(JpegImage image, float[] dst, int offset) {
        try (RgbImage rgb = ImageDecoder.decode(image)) {
            applyInto(rgb, dst, offset);
        }
    }

    public void applyInto(RgbImage image, float[] dst, int offset) {
        if (dst.length - offset < imageLength()) {
            throw new IllegalArgumentException("destination too short for a " + size + "x" + size + " image");
        }
        byte[] resized = resizedHwc(image);
        ChwWriter.normalizedFromHwc(resized, size * size, dst, offset);
    }

    /** A batch of inputs as one [B, 3, S, S] float array. */
    public INDArray batch(List<JpegImage> images) {
        int n = imageLength();
        float[] data = new float[images.size() * n];
        for (int i = 0; i < images.size(); i++) {
            applyInto(images.get(i), data, i * n);
        }
        return Nd4j.create(data, new long[]{images.size(), 3, size, size}, 'c');
    }

    private byte[] resizedHwc(RgbImage image) {
        if (image.width() == size && image.height() == size) {
            return image.toHwc();
        }
        try (Size target = new Size(size, size); Mat resized = new Mat()) {
            resize(image.mat(), resized, target, 0, 0, INTER_LINEAR);
            byte[] out = new byte[size * size * 3];
            resized.data().get(out, 0, out.length);
            return out;
        }
    }
}
