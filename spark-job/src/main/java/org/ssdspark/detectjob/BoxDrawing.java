package org.ssdspark.detectjob;

import org.ssdspark.evaljob.ImageResult;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/** One image with its detections drawn: a box per detection in its class's colour, "class score" above it; PNG. */
final class BoxDrawing {
    private BoxDrawing() {
    }

    /** @return the PNG bytes, or null when Java's image reader cannot decode the file (e.g. a CMYK JPEG) */
    static byte[] png(byte[] encoded, ImageResult result, List<String> classes) throws IOException {
        BufferedImage source = ImageIO.read(new ByteArrayInputStream(encoded));
        if (source == null) {
            return null;
        }
        BufferedImage canvas = new BufferedImage(source.getWidth(), source.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.drawImage(source, 0, 0, null);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            int side = Math.max(canvas.getWidth(), canvas.getHeight());
            g.setStroke(new BasicStroke(Math.max(2f, side / 300f)));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, side / 40)));
            float[] d = result.detections();
            for (int i = 0; i < result.detectionCount(); i++) {
                int label = (int) d[ImageResult.STRIDE * i];
                float score = d[ImageResult.STRIDE * i + 1];
                int x0 = Math.round(d[ImageResult.STRIDE * i + 2]);
                int y0 = Math.round(d[ImageResult.STRIDE * i + 3]);
                int x1 = Math.round(d[ImageResult.STRIDE * i + 4]);
                int y1 = Math.round(d[ImageResult.STRIDE * i + 5]);
                g.setColor(colour(label));
                g.drawRect(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
                String text = String.format(Locale.ROOT, "%s %.2f", classes.get(label - 1), score);
                int baseline = y0 > g.getFontMetrics().getAscent() ? y0 - 3 : y0 + g.getFontMetrics().getAscent();
                g.drawString(text, x0 + 2, baseline);
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(canvas, "png", out);
        return out.toByteArray();
    }

    /** Well-separated hues by label (golden-angle steps), fully saturated so boxes show on photographs. */
    static Color colour(int label) {
        return Color.getHSBColor((label * 0.618034f) % 1f, 0.9f, 1f);
    }
}
