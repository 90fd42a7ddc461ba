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

    /** {@code jpeg} with an EXIF segment carrying only the orientation tag, inserted after SOI. */
    public static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0,
            0, 0, 0, 0};
        int length = 2 + 6 + tiff.length;
        byte[] app1 = new byte[2 + length];
        app1[0] = (byte) 0xFF;
        app1[1] = (byte) 0xE1;
        app1[2] = (byte) (length >> 8);
        app1[3] = (byte) length;
        System.arraycopy(new byte[]{'E', 'x', 'i', 'f', 0, 0}, 0, app1, 4, 6);
        System.arraycopy(tiff, 0, app1, 10, tiff.length);
        byte[] out = new byte[jpeg.length + app1.length];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(app1, 0, out, 2, app1.length);
        System.arraycopy(jpeg, 2, out, 2 + app1.length, jpeg.length - 2);
        return out;
    }
}
