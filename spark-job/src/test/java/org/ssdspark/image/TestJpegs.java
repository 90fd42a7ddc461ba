package org.ssdspark.image;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Small JPEGs with unusual colour layouts, written with the JDK's encoder. */
public final class TestJpegs {
    private TestJpegs() {
    }

    /** A one-component (grayscale) JPEG whose pixel value is {@code (x * 16 + y * 8) & 255}. */
    public static byte[] grayscale(int width, int height) {
        WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 1, null);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                r.setSample(x, y, 0, (x * 16 + y * 8) & 255);
            }
        }
        return encode(r);
    }

    /** A four-component (CMYK, no Adobe transform) JPEG, every pixel the given sample values. */
    public static byte[] cmyk(int width, int height, int c, int m, int y, int k) {
        WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, null);
        int[] px = {c, m, y, k};
        for (int yy = 0; yy < height; yy++) {
            for (int x = 0; x < width; x++) {
                r.setPixel(x, yy, px);
            }
        }
        return encode(r);
    }

    private static byte[] encode(Raster raster) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, null), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
