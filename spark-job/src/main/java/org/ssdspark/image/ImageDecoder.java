package org.ssdspark.image;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

/**
 * Decodes image bytes as the reference reads files: OpenCV with IMREAD_COLOR (grayscale and CMYK
 * JPEGs come out as 3 channels, EXIF orientation applied), then BGR to RGB.
 */
public final class ImageDecoder {
    private ImageDecoder() {
    }

    public static RgbImage decode(JpegImage image) {
        return decode(image.id(), image.bytes());
    }

    public static RgbImage decode(String imageId, byte[] bytes) {
        if (bytes.length == 0) {
            throw new UndecodableImageException(imageId, "no bytes");
        }
        try (BytePointer encodedBytes = new BytePointer(bytes);
             Mat encoded = new Mat(1, bytes.length, CV_8UC1, encodedBytes);
             Mat bgr = imdecode(encoded, IMREAD_COLOR)) {
            if (bgr.empty()) {
                throw new UndecodableImageException(imageId, "OpenCV could not decode its " + bytes.length + " bytes");
            }
            Mat rgb = new Mat();
            try {
                cvtColor(bgr, rgb, COLOR_BGR2RGB);
            } catch (RuntimeException e) {
                rgb.close();
                throw e;
            }
            return new RgbImage(rgb);
        } catch (UndecodableImageException e) {
            throw e;
        } catch (RuntimeException e) {
            // A cv::Exception from a codec arrives as a RuntimeException without the image's name.
            throw new UndecodableImageException(imageId, e.getMessage());
        }
    }
}
