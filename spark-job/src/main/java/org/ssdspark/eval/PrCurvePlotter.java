package org.ssdspark.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * PNG charts of an evaluation with plain Java2D: one precision-recall plot per class
 * ({@code pr-<class>.png}: the raw curve, the interpolated envelope the area AP integrates, and the 11
 * points the VOC2007 AP averages), all classes' curves in one plot ({@code pr-curves.png}), and a bar chart of
 * every class's AP under both metrics with the mAPs ({@code ap-per-class.png}). Needs a font on the machine
 * (any TrueType font with fontconfig); runs headless.
 */
public final class PrCurvePlotter {
    public static final int WIDTH = 800;
    public static final int HEIGHT = 600;
    public static final int CURVES_WIDTH = 1000;

    private static final Color RAW = new Color(31, 119, 180);
    private static final Color ENVELOPE = new Color(255, 127, 14);
    private static final Color ELEVEN_POINT = new Color(214, 39, 40);
    private static final Color GRID = new Color(225, 225, 225);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 18);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    private static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    /** Writes every chart into {@code directory}; returns their paths. */
    public List<Path> plotAll(EvaluationResult result, Path directory) {
        List<Path> written = new ArrayList<>();
        for (ClassEvaluation c : result.classes()) {
            written.add(write(renderClass(c, result.protocol()), directory, "pr-" + c.className() + ".png"));
        }
        written.add(write(renderCurves(result), directory, "pr-curves.png"));
        written.add(write(renderApBars(result), directory, "ap-per-class.png"));
        return written;
    }

    BufferedImage renderClass(ClassEvaluation c, EvalProtocol protocol) {
        BufferedImage image = canvas(WIDTH, HEIGHT);
        Graphics2D g = graphics(image);
        Rectangle plot = new Rectangle(80, 60, WIDTH - 110, HEIGHT - 130);
        title(g, WIDTH, String.format(Locale.ROOT, "Precision-recall: %s (%s protocol)", c.className(), protocol.id()));
        unitAxes(g, plot, "Recall", "Precision");

        PrecisionRecallCurve curve = c.curve();
        Graphics2D clipped = (Graphics2D) g.create();
        clipped.clip(new Rectangle(plot.x - 4, plot.y - 4, plot.width + 8, plot.height + 8));
        clipped.setColor(RAW);
        clipped.setStroke(new BasicStroke(1.5f));
        clipped.draw(polyline(plot, curve.recall(), curve.precision()));
        clipped.setColor(ENVELOPE);
        clipped.setStroke(new BasicStroke(2.5f));
        clipped.draw(envelopeSteps(plot, curve));
        clipped.setColor(ELEVEN_POINT);
        for (int step = 0; step <= 10; step++) {
            double threshold = step * 0.1;
            double best = 0;
            for (int i = 0; i < curve.size(); i++) {
                if (curve.recall()[i] >= threshold) {
                    best = Math.max(best, curve.precision()[i]);
                }
            }
            clipped.fill(new Ellipse2D.Double(x(plot, threshold) - 4.5, y(plot, best) - 4.5, 9, 9));
        }
        clipped.dispose();

        legend(g, plot.x + plot.width - 290, plot.y + 12, List.of(
                new LegendEntry("precision after each detection", RAW, Mark.LINE),
                new LegendEntry(String.format(Locale.ROOT, "interpolated, AP area %s", fmt(c.apArea())), ENVELOPE, Mark.LINE),
                new LegendEntry(String.format(Locale.ROOT, "11 points, AP %s", fmt(c.ap11Point())), ELEVEN_POINT, Mark.DOT)));
        g.setFont(TICK);
        g.setColor(Color.DARK_GRAY);
        g.drawString(String.format(Locale.ROOT, "%d objects (difficult excluded), %d detections, %d true positives",
                c.positives(), c.detections(), c.truePositives()), plot.x, HEIGHT - 15);
        g.dispose();
        return image;
    }

    BufferedImage renderCurves(EvaluationResult result) {
        BufferedImage image = canvas(CURVES_WIDTH, HEIGHT);
        Graphics2D g = graphics(image);
        Rectangle plot = new Rectangle(80, 60, WIDTH - 110, HEIGHT - 130);
        title(g, CURVES_WIDTH, String.format(Locale.ROOT, "Precision-recall per class (%s protocol), mAP %s, mAP area %s",
                result.protocol().id(), fmt(result.meanAp(ApMetric.VOC2007_11_POINT)),
                fmt(result.meanAp(ApMetric.AREA_UNDER_CURVE))));
        unitAxes(g, plot, "Recall", "Precision");
        List<LegendEntry> entries = new ArrayList<>();
        Graphics2D clipped = (Graphics2D) g.create();
        clipped.clip(new Rectangle(plot.x - 2, plot.y - 2, plot.width + 4, plot.height + 4));
        clipped.setStroke(new BasicStroke(1.8f));
        List<ClassEvaluation> classes = result.classes();
        for (int k = 0; k < classes.size(); k++) {
            ClassEvaluation c = classes.get(k);
            Color color = palette(k, classes.size());
            clipped.setColor(color);
            clipped.draw(polyline(plot, c.curve().recall(), c.curve().precision()));
            entries.add(new LegendEntry(String.format(Locale.ROOT, "%s  AP %s", c.className(), fmt(c.ap11Point())), color, Mark.LINE));
        }
        clipped.dispose();
        legend(g, plot.x + plot.width + 20, plot.y, entries);
        g.dispose();
        return image;
    }

    BufferedImage renderApBars(EvaluationResult result) {
        List<ClassEvaluation> classes = result.classes();
        int width = Math.max(WIDTH, 160 + 56 * classes.size());
        BufferedImage image = canvas(width, HEIGHT);
        Graphics2D g = graphics(image);
        Rectangle plot = new Rectangle(80, 60, width - 110, HEIGHT - 170);
        title(g, width, String.format(Locale.ROOT, "Average precision per class (%s protocol)", result.protocol().id()));
        valueAxis(g, plot, "AP");

        double slot = plot.width / (double) Math.max(1, classes.size());
        double bar = Math.min(30, slot * 0.36);
        g.setFont(TICK);
        FontMetrics fm = g.getFontMetrics();
        boolean rotate = classes.stream().anyMatch(c -> fm.stringWidth(c.className()) > slot - 6);
        for (int k = 0; k < classes.size(); k++) {
            ClassEvaluation c = classes.get(k);
            double center = plot.x + slot * (k + 0.5);
            bar(g, plot, center - bar, bar, c.ap11Point(), RAW);
            bar(g, plot, center, bar, c.apArea(), ENVELOPE);
            g.setColor(Color.BLACK);
            String name = c.className();
            if (rotate) {
                AffineTransform saved = g.getTransform();
                g.translate(center + 4, plot.y + plot.height + 10);
                g.rotate(-Math.PI / 4);
                g.drawString(name, -fm.stringWidth(name), 0);
                g.setTransform(saved);
            } else {
                g.drawString(name, (float) (center - fm.stringWidth(name) / 2.0), plot.y + plot.height + 20);
            }
        }
        Stroke dashed = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {8, 6}, 0);
        double map11 = result.meanAp(ApMetric.VOC2007_11_POINT);
        double mapArea = result.meanAp(ApMetric.AREA_UNDER_CURVE);
        g.setStroke(dashed);
        for (double[] line : new double[][] {{map11, 0}, {mapArea, 1}}) {
            if (Double.isFinite(line[0])) {
                g.setColor(line[1] == 0 ? RAW.darker() : ENVELOPE.darker());
                g.draw(new Line2D.Double(plot.x, y(plot, line[0]), plot.x + plot.width, y(plot, line[0])));
            }
        }
        g.setStroke(new BasicStroke(1));
        legend(g, plot.x + plot.width - 250, plot.y + 12, List.of(
                new LegendEntry("AP, VOC2007 11-point", RAW, Mark.BOX),
                new LegendEntry("AP, area under curve", ENVELOPE, Mark.BOX),
                new LegendEntry("mAP 11-point " + fmt(map11), RAW.darker(), Mark.LINE),
                new LegendEntry("mAP area " + fmt(mapArea), ENVELOPE.darker(), Mark.LINE)));
        g.dispose();
        return image;
    }

    // ---- drawing helpers

    private enum Mark { LINE, BOX, DOT }

    private record LegendEntry(String text, Color color, Mark mark) {
    }

    private static BufferedImage canvas(int width, int height) {
        return new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    }

    private static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        return g;
    }

    private static void title(Graphics2D g, int width, String text) {
        g.setFont(TITLE);
        g.setColor(Color.BLACK);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(text, Math.max(10, (width - fm.stringWidth(text)) / 2), 35);
    }

    /** Both axes from 0 to 1 with ticks every 0.1 and a light grid. */
    private static void unitAxes(Graphics2D g, Rectangle plot, String xLabel, String yLabel) {
        valueAxis(g, plot, yLabel);
        g.setFont(TICK);
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i <= 10; i++) {
            double px = x(plot, i / 10.0);
            g.setColor(GRID);
            g.draw(new Line2D.Double(px, plot.y, px, plot.y + plot.height));
            g.setColor(Color.BLACK);
            g.draw(new Line2D.Double(px, plot.y + plot.height, px, plot.y + plot.height + 5));
            String label = String.format(Locale.ROOT, "%.1f", i / 10.0);
            g.drawString(label, (float) (px - fm.stringWidth(label) / 2.0), plot.y + plot.height + 20);
        }
        g.setFont(LABEL);
        FontMetrics lm = g.getFontMetrics();
        g.drawString(xLabel, plot.x + (plot.width - lm.stringWidth(xLabel)) / 2, plot.y + plot.height + 45);
        g.setColor(Color.BLACK);
        g.draw(new Rectangle2D.Double(plot.x, plot.y, plot.width, plot.height));
    }

    /** The vertical 0..1 axis with ticks, grid and a rotated label. */
    private static void valueAxis(Graphics2D g, Rectangle plot, String label) {
        g.setFont(TICK);
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i <= 10; i++) {
            double py = y(plot, i / 10.0);
            g.setColor(GRID);
            g.draw(new Line2D.Double(plot.x, py, plot.x + plot.width, py));
            g.setColor(Color.BLACK);
            g.draw(new Line2D.Double(plot.x - 5, py, plot.x, py));
            String text = String.format(Locale.ROOT, "%.1f", i / 10.0);
            g.drawString(text, plot.x - 8 - fm.stringWidth(text), (float) (py + fm.getAscent() / 2.0 - 1));
        }
        g.setColor(Color.BLACK);
        g.draw(new Line2D.Double(plot.x, plot.y, plot.x, plot.y + plot.height));
        g.draw(new Line2D.Double(plot.x, plot.y + plot.height, plot.x + plot.width, plot.y + plot.height));
        g.setFont(LABEL);
        FontMetrics lm = g.getFontMetrics();
        AffineTransform saved = g.getTransform();
        g.translate(25, plot.y + (plot.height + lm.stringWidth(label)) / 2.0);
        g.rotate(-Math.PI / 2);
        g.drawString(label, 0, 0);
        g.setTransform(saved);
    }

    private static void legend(Graphics2D g, int left, int top, List<LegendEntry> entries) {
        g.setFont(TICK);
        FontMetrics fm = g.getFontMetrics();
        int line = fm.getHeight() + 6;
        int textWidth = entries.stream().mapToInt(e -> fm.stringWidth(e.text())).max().orElse(0);
        Rectangle box = new Rectangle(left, top, textWidth + 50, line * entries.size() + 10);
        g.setColor(new Color(255, 255, 255, 230));
        g.fill(box);
        g.setColor(Color.GRAY);
        g.draw(box);
        for (int i = 0; i < entries.size(); i++) {
            LegendEntry e = entries.get(i);
            int baseline = top + 5 + line * i + fm.getAscent() + 3;
            int mid = baseline - fm.getAscent() / 2 + 1;
            g.setColor(e.color());
            if (e.mark() == Mark.BOX) {
                g.fillRect(left + 10, mid - 6, 22, 12);
            } else if (e.mark() == Mark.DOT) {
                g.fill(new Ellipse2D.Double(left + 16.5, mid - 4.5, 9, 9));
            } else {
                g.setStroke(new BasicStroke(2.5f));
                g.drawLine(left + 8, mid, left + 34, mid);
                g.setStroke(new BasicStroke(1));
            }
            g.setColor(Color.BLACK);
            g.drawString(e.text(), left + 42, baseline);
        }
    }

    private static void bar(Graphics2D g, Rectangle plot, double left, double width, double value, Color color) {
        double v = Double.isFinite(value) ? value : 0;
        double top = y(plot, v);
        g.setColor(color);
        g.fill(new Rectangle2D.Double(left, top, width, plot.y + plot.height - top));
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        String label = Double.isFinite(value) ? String.format(Locale.ROOT, "%.2f", value) : "n/a";
        int w = g.getFontMetrics().stringWidth(label);
        g.drawString(label, (float) (left + (width - w) / 2), (float) top - 3);
    }

    private static Path2D polyline(Rectangle plot, double[] xs, double[] ys) {
        Path2D path = new Path2D.Double();
        for (int i = 0; i < xs.length; i++) {
            if (i == 0) {
                path.moveTo(x(plot, xs[i]), y(plot, ys[i]));
            } else {
                path.lineTo(x(plot, xs[i]), y(plot, ys[i]));
            }
        }
        return path;
    }

    /** The step curve whose area is the area AP: from recall 0, each recall gain at the envelope's precision. */
    private static Path2D envelopeSteps(Rectangle plot, PrecisionRecallCurve curve) {
        double[] envelope = curve.interpolatedPrecision();
        Path2D path = new Path2D.Double();
        double recall = 0;
        double level = envelope.length > 0 ? envelope[0] : 0;
        path.moveTo(x(plot, 0), y(plot, level));
        for (int i = 0; i < envelope.length; i++) {
            path.lineTo(x(plot, recall), y(plot, envelope[i]));
            path.lineTo(x(plot, curve.recall()[i]), y(plot, envelope[i]));
            recall = curve.recall()[i];
        }
        path.lineTo(x(plot, recall), y(plot, 0));
        return path;
    }

    private static double x(Rectangle plot, double value) {
        return plot.x + value * plot.width;
    }

    private static double y(Rectangle plot, double value) {
        return plot.y + (1 - value) * plot.height;
    }

    private static Color palette(int index, int count) {
        // evenly spaced hues, alternating brightness so neighbours differ when there are many classes
        float hue = (float) index / Math.max(1, count);
        return Color.getHSBColor(hue, 0.85f, index % 2 == 0 ? 0.85f : 0.6f);
    }

    private static String fmt(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.4f", value) : "n/a";
    }

    private static Path write(BufferedImage image, Path directory, String name) {
        Path target = directory.resolve(name);
        try {
            Files.createDirectories(directory);
            Path temp = Files.createTempFile(directory, "." + name, ".tmp");
            if (!ImageIO.write(image, "png", temp.toFile())) {
                throw new IOException("no PNG writer");
            }
            return Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}
