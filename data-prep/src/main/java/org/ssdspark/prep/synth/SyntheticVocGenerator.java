package org.ssdspark.prep.synth;

import com.typesafe.config.Config;
import org.ssdspark.config.UserInputException;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Writes a small VOC-format data set of coloured shapes on textured backgrounds: Annotations/, JPEGImages/,
 * ImageSets/Main/{trainval,test}.txt and labels.txt. Objects overlap, some are cut by the image border
 * (truncated) and the smallest are marked difficult. The same seed gives the same files.
 *
 * <p>Two options make an easy sample for a short demonstration run (the quick start): {@code palette = "class"}
 * paints each class in its own colour, and {@code background = "plain"} replaces the texture by a flat grey with
 * light noise. The class colours are told apart by how many RGB channels are high (none, one, two or all three),
 * because the training augmentation swaps colour channels at random.
 */
public final class SyntheticVocGenerator {
    public static final List<String> SHAPES = List.of("circle", "square", "triangle", "star", "cross", "ring");

    /** Object colours: "random" (any colour) or "class" (one colour per class, see {@link #CLASS_COLORS}). */
    public static final List<String> PALETTES = List.of("random", "class");
    /** Backgrounds: "texture" (two-colour waves with noise) or "plain" (flat grey with light noise). */
    public static final List<String> BACKGROUNDS = List.of("texture", "plain");
    /**
     * Class colours of the "class" palette, by shape: white, black, one channel high, two channels high, then again
     * (cross and ring differ from triangle and star by shape only). Channel swaps keep each colour's group.
     */
    static final float[][] CLASS_COLORS = {
            {0.95f, 0.95f, 0.95f}, {0.05f, 0.05f, 0.05f}, {0.9f, 0.1f, 0.1f}, {0.9f, 0.9f, 0.1f},
            {0.1f, 0.1f, 0.9f}, {0.1f, 0.9f, 0.9f}};

    /** Settings; see the {@code generate} section of conf/reference.conf. */
    public record Options(int images, double testFraction, int width, int height, int minObjects, int maxObjects,
                          double minScale, double maxScale, int classes, long seed, String palette,
                          String background) {

        /** Random colours on textured backgrounds. */
        public Options(int images, double testFraction, int width, int height, int minObjects, int maxObjects,
                       double minScale, double maxScale, int classes, long seed) {
            this(images, testFraction, width, height, minObjects, maxObjects, minScale, maxScale, classes, seed,
                    "random", "texture");
        }

        public static Options from(Config c) {
            Options o = new Options(c.getInt("generate.images"), c.getDouble("generate.test_fraction"),
                    c.getInt("generate.width"), c.getInt("generate.height"), c.getInt("generate.min_objects"),
                    c.getInt("generate.max_objects"), c.getDouble("generate.min_scale"),
                    c.getDouble("generate.max_scale"), c.getInt("generate.classes"), c.getLong("generate.seed"),
                    c.getString("generate.palette"), c.getString("generate.background"));
            o.validate();
            return o;
        }

        void validate() {
            if (images < 1) {
                throw new UserInputException("generate.images must be >= 1, got " + images);
            }
            if (testFraction < 0 || testFraction >= 1) {
                throw new UserInputException("generate.test_fraction must be in [0, 1), got " + testFraction);
            }
            if (width < 32 || height < 32) {
                throw new UserInputException("generate.width/height must be >= 32, got " + width + "x" + height);
            }
            if (minObjects < 0 || maxObjects < minObjects) {
                throw new UserInputException("generate.min_objects/max_objects must satisfy 0 <= min <= max, got "
                        + minObjects + ", " + maxObjects);
            }
            if (minScale <= 0 || maxScale > 1 || maxScale < minScale) {
                throw new UserInputException("generate.min_scale/max_scale must satisfy 0 < min <= max <= 1, got "
                        + minScale + ", " + maxScale);
            }
            if (classes < 1 || classes > SHAPES.size()) {
                throw new UserInputException("generate.classes must be in [1, " + SHAPES.size() + "], got " + classes);
            }
            if (!PALETTES.contains(palette)) {
                throw new UserInputException("generate.palette must be one of " + PALETTES + ", got '" + palette + "'");
            }
            if (!BACKGROUNDS.contains(background)) {
                throw new UserInputException("generate.background must be one of " + BACKGROUNDS + ", got '"
                        + background + "'");
            }
        }
    }

    /** A drawn object with its VOC box (1-based, inclusive pixel coordinates). */
    record Placed(String name, int xmin, int ymin, int xmax, int ymax, boolean difficult, boolean truncated) {
    }

    public void generate(Path out, Options o) throws IOException {
        o.validate();
        Path ann = Files.createDirectories(out.resolve("Annotations"));
        Path jpg = Files.createDirectories(out.resolve("JPEGImages"));
        Path sets = Files.createDirectories(out.resolve("ImageSets/Main"));
        Random rng = new Random(o.seed());
        List<String> trainval = new ArrayList<>();
        List<String> test = new ArrayList<>();
        int testCount = (int) Math.round(o.images() * o.testFraction());
        for (int i = 0; i < o.images(); i++) {
            String id = String.format(Locale.ROOT, "%06d", i + 1);
            BufferedImage img = new BufferedImage(o.width(), o.height(), BufferedImage.TYPE_INT_RGB);
            Random imageRng = new Random(rng.nextLong());
            if (o.background().equals("plain")) {
                paintPlainBackground(img, imageRng);
            } else {
                paintBackground(img, imageRng);
            }
            List<Placed> objects = drawObjects(img, o, imageRng);
            writeJpeg(img, jpg.resolve(id + ".jpg"));
            writeAnnotation(ann.resolve(id + ".xml"), id, o, objects);
            (i < o.images() - testCount ? trainval : test).add(id);
        }
        Files.write(sets.resolve("trainval.txt"), trainval, StandardCharsets.UTF_8);
        Files.write(sets.resolve("test.txt"), test, StandardCharsets.UTF_8);
        Files.write(out.resolve("labels.txt"), SHAPES.subList(0, o.classes()), StandardCharsets.UTF_8);
    }

    private static void paintBackground(BufferedImage img, Random rng) {
        int w = img.getWidth();
        int h = img.getHeight();
        float[] c0 = randomColor(rng, 0.25f, 0.75f);
        float[] c1 = randomColor(rng, 0.25f, 0.75f);
        double fx = 0.02 + rng.nextDouble() * 0.1;
        double fy = 0.02 + rng.nextDouble() * 0.1;
        double phase = rng.nextDouble() * Math.PI * 2;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double t = 0.5 + 0.25 * Math.sin(x * fx + phase) * Math.cos(y * fy) + 0.5 * (x + y) / (w + h) - 0.25;
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    double v = (c0[c] * (1 - t) + c1[c] * t) * 255 + rng.nextGaussian() * 12;
                    rgb = (rgb << 8) | (int) Math.max(0, Math.min(255, v));
                }
                img.setRGB(x, y, rgb);
            }
        }
    }

    /** A flat mid grey (a different level per image) with light noise: nothing that looks like an object. */
    private static void paintPlainBackground(BufferedImage img, Random rng) {
        double level = (0.35 + rng.nextDouble() * 0.3) * 255;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int v = (int) Math.max(0, Math.min(255, level + rng.nextGaussian() * 6));
                img.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        }
    }

    private List<Placed> drawObjects(BufferedImage img, Options o, Random rng) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        int w = img.getWidth();
        int h = img.getHeight();
        int shortSide = Math.min(w, h);
        int n = o.minObjects() + rng.nextInt(o.maxObjects() - o.minObjects() + 1);
        List<Placed> placed = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            int cls = rng.nextInt(o.classes());
            double size = shortSide * (o.minScale() + rng.nextDouble() * (o.maxScale() - o.minScale()));
            // One object in eight straddles the border, so truncation is exercised.
            boolean straddle = rng.nextInt(8) == 0;
            double cx = straddle ? (rng.nextBoolean() ? 0 : w) + (rng.nextDouble() - 0.5) * size * 0.6
                    : size / 2 + rng.nextDouble() * Math.max(1, w - size);
            double cy = size / 2 + rng.nextDouble() * Math.max(1, h - size);
            Shape shape = shape(SHAPES.get(cls), cx, cy, size, rng);
            float[] col = randomColor(rng, 0f, 1f);
            if (o.palette().equals("class")) {
                col = CLASS_COLORS[cls];
            }
            g.setColor(new Color(col[0], col[1], col[2]));
            g.fill(shape);
            g.setColor(new Color(col[0] * 0.5f, col[1] * 0.5f, col[2] * 0.5f));
            g.setStroke(new BasicStroke(2f));
            g.draw(shape);
            Rectangle2D b = shape.getBounds2D();
            int x0 = (int) Math.floor(b.getMinX());
            int y0 = (int) Math.floor(b.getMinY());
            int x1 = (int) Math.ceil(b.getMaxX());
            int y1 = (int) Math.ceil(b.getMaxY());
            boolean truncated = x0 < 0 || y0 < 0 || x1 > w || y1 > h;
            x0 = Math.max(0, x0);
            y0 = Math.max(0, y0);
            x1 = Math.min(w, x1);
            y1 = Math.min(h, y1);
            if (x1 - x0 < 4 || y1 - y0 < 4) {
                continue;
            }
            boolean difficult = Math.min(x1 - x0, y1 - y0) < shortSide * 0.12 || (truncated && rng.nextInt(3) == 0);
            placed.add(new Placed(SHAPES.get(cls), x0 + 1, y0 + 1, x1, y1, difficult, truncated));
        }
        g.dispose();
        return placed;
    }

    private static Shape shape(String name, double cx, double cy, double size, Random rng) {
        double r = size / 2;
        return switch (name) {
            case "circle" -> new Ellipse2D.Double(cx - r, cy - r, size, size);
            case "square" -> new Rectangle2D.Double(cx - r, cy - r, size, size);
            case "triangle" -> polygon(cx, cy, r, 3, -Math.PI / 2, 0);
            case "star" -> polygon(cx, cy, r, 5, -Math.PI / 2, 0.45);
            case "cross" -> {
                Area a = new Area(new Rectangle2D.Double(cx - r, cy - r / 3, size, size / 3));
                a.add(new Area(new Rectangle2D.Double(cx - r / 3, cy - r, size / 3, size)));
                yield a;
            }
            case "ring" -> {
                Area a = new Area(new Ellipse2D.Double(cx - r, cy - r, size, size));
                a.subtract(new Area(new Ellipse2D.Double(cx - r / 2, cy - r / 2, r, r)));
                yield a;
            }
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** A regular polygon, or a star when innerRatio > 0 (alternating outer and inner vertices). */
    private static Polygon polygon(double cx, double cy, double r, int points, double start, double innerRatio) {
        Polygon p = new Polygon();
        int steps = innerRatio > 0 ? points * 2 : points;
        for (int i = 0; i < steps; i++) {
            double rad = innerRatio > 0 && i % 2 == 1 ? r * innerRatio : r;
            double a = start + 2 * Math.PI * i / steps;
            p.addPoint((int) Math.round(cx + rad * Math.cos(a)), (int) Math.round(cy + rad * Math.sin(a)));
        }
        return p;
    }

    private static float[] randomColor(Random rng, float lo, float hi) {
        return new float[]{lo + rng.nextFloat() * (hi - lo), lo + rng.nextFloat() * (hi - lo),
                lo + rng.nextFloat() * (hi - lo)};
    }

    private static void writeJpeg(BufferedImage img, Path file) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.9f);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    private static void writeAnnotation(Path file, String id, Options o, List<Placed> objects) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("<annotation>\n  <folder>synthetic</folder>\n  <filename>" + id + ".jpg</filename>\n");
            w.write("  <size><width>" + o.width() + "</width><height>" + o.height()
                    + "</height><depth>3</depth></size>\n  <segmented>0</segmented>\n");
            for (Placed p : objects) {
                w.write("  <object>\n    <name>" + p.name() + "</name>\n    <pose>Unspecified</pose>\n");
                w.write("    <truncated>" + (p.truncated() ? 1 : 0) + "</truncated>\n");
                w.write("    <difficult>" + (p.difficult() ? 1 : 0) + "</difficult>\n");
                w.write("    <bndbox><xmin>" + p.xmin() + "</xmin><ymin>" + p.ymin() + "</ymin><xmax>" + p.xmax()
                        + "</xmax><ymax>" + p.ymax() + "</ymax></bndbox>\n  </object>\n");
            }
            w.write("</annotation>\n");
        }
    }
}
