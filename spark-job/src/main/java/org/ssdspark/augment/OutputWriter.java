package org.ssdspark.augment;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.ssdspark.image.PixelNormalization;

import java.nio.FloatBuffer;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * The tail of the reference's pipeline on the pixels: cut the crop out of the (expanded) canvas,
 * Resize to S (cv2.resize, bilinear, on float32), mirror, channel swap, {@code (x - 127) / 128},
 * ToTensor (CHW).
 *
 * <p>Order differs from the reference in two exact or near-exact ways, to avoid copying full-size
 * images: the channel swap is applied here (exact, see {@link ChannelOrder}); the mirror is applied
 * after the resize instead of before, which bilinear resizing commutes with up to the float32
 * rounding of OpenCV's interpolation weights (measured below 2e-4 after normalisation).
 */
final class OutputWriter {
    private OutputWriter() {
    }

    static float[] write(FloatImage image, Canvas canvas, CropRect crop, boolean mirror, ChannelOrder order,
                         int size) {
        float[] out = new float[3 * size * size];
        try (Mat region = region(image, canvas, crop); Size target = new Size(size, size);
             Mat resized = new Mat()) {
            resize(region, resized, target, 0, 0, INTER_LINEAR);
            toChw(resized.createBuffer(), size, mirror, order, out);
        }
        return out;
    }

    /**
     * The pixels of {@code crop} (canvas coordinates): a view into the image when the crop lies inside
     * it, else a new crop-sized matrix filled with the mean with the image's part copied in.
     */
    static Mat region(FloatImage image, Canvas canvas, CropRect crop) {
        CropRect placed = canvas.imageRect();
        if (placed.contains(crop)) {
            try (Rect r = new Rect(crop.x0() - placed.x0(), crop.y0() - placed.y0(), crop.width(), crop.height())) {
                return image.mat().apply(r);
            }
        }
        Mat region;
        try (Scalar mean = Scalar.all(PixelNormalization.MEAN)) {
            region = new Mat(crop.height(), crop.width(), CV_32FC3, mean);
        }
        int x0 = Math.max(crop.x0(), placed.x0());
        int y0 = Math.max(crop.y0(), placed.y0());
        int x1 = Math.min(crop.x1(), placed.x1());
        int y1 = Math.min(crop.y1(), placed.y1());
        if (x1 > x0 && y1 > y0) {
            try (Rect from = new Rect(x0 - placed.x0(), y0 - placed.y0(), x1 - x0, y1 - y0);
                 Rect to = new Rect(x0 - crop.x0(), y0 - crop.y0(), x1 - x0, y1 - y0);
                 Mat source = image.mat().apply(from);
                 Mat destination = region.apply(to)) {
                source.copyTo(destination);
            }
        }
        return region;
    }

    private static void toChw(FloatBuffer hwc, int size, boolean mirror, ChannelOrder order, float[] out) {
        int plane = size * size;
        int s0 = order.first();
        int s1 = order.second();
        int s2 = order.third();
        float[] row = new float[size * 3];
        for (int y = 0; y < size; y++) {
            hwc.get(y * size * 3, row);
            int base = y * size;
            for (int x = 0; x < size; x++) {
                int p = 3 * (mirror ? size - 1 - x : x);
                int o = base + x;
                out[o] = PixelNormalization.normalize(row[p + s0]);
                out[plane + o] = PixelNormalization.normalize(row[p + s1]);
                out[2 * plane + o] = PixelNormalization.normalize(row[p + s2]);
            }
        }
    }
}
