package org.ssdspark.bench;

import org.ssdspark.image.JpegImage;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;

/** A VOC-sized JPEG with some structure, for benchmarks that need decodable input without a data set. */
final class SyntheticJpeg {
    static JpegImage make(String id, int width, int height, long seed) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random rng = new Random(seed);
        Graphics2D g = img.createGraphics();
        for (int i = 0; i < 40; i++) {
            g.setColor(new Color(rng.nextInt(256), rng.nextInt(256), rng.nextInt(256)));
            g.fillRect(rng.nextInt(width), rng.nextInt(height), 20 + rng.nextInt(150), 20 + rng.nextInt(150));
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return new JpegImage(id, out.toByteArray());
    }

    private SyntheticJpeg() {
    }
}
