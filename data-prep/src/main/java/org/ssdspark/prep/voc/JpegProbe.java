package org.ssdspark.prep.voc;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Decodes a JPEG fully to prove it is usable and to learn its size. The JDK decoder reports a truncated
 * file only as a warning and returns a grey-padded image, so warnings count as failures here.
 */
public final class JpegProbe {

    /** Width and height of a JPEG that decoded cleanly. */
    public record Size(int width, int height) {
    }

    public static Size probe(byte[] jpeg) throws IOException {
        if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
            throw new IOException("not a JPEG file (no SOI marker)");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
            if (!readers.hasNext()) {
                throw new IllegalStateException("No JPEG decoder in this JVM");
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            IIOReadWarningListener listener = (source, warning) -> warnings.add(warning);
            reader.addIIOReadWarningListener(listener);
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new IOException(String.join("; ", warnings));
                }
                return new Size(w, h);
            } catch (IOException | RuntimeException e) {
                // The JDK decoder throws unchecked exceptions on some malformed streams.
                throw new IOException("undecodable JPEG: " + e.getMessage(), e);
            } finally {
                reader.dispose();
            }
        }
    }

    private JpegProbe() {
    }
}
