package org.ssdspark.augment;

import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeometryOpsTest {

    @Test
    void expandPlacesTheImageAtTheOffsetAndFillsWithTheMean() {
        int w = 12;
        int h = 8;
        float[] src = TestImages.ramp(h, w);
        Random rng = new Random(5);
        Canvas canvas;
        do {
            canvas = Expand.sample(w, h, rng);
        } while (canvas.width() == w && canvas.height() == h);
        assertTrue(canvas.width() >= w && canvas.width() < 4 * w);
        assertTrue(canvas.height() >= h && canvas.height() < 4 * h);
        LabeledBoxes boxes = Expand.moveBoxes(new LabeledBoxes(new float[][]{{2, 1, 9, 6}}, new int[]{4}), canvas);
        assertArrayEquals(new float[]{2 + canvas.imageLeft(), 1 + canvas.imageTop(), 9 + canvas.imageLeft(),
            6 + canvas.imageTop()}, boxes.boxes()[0], 0f);
        try (FloatImage image = FloatImage.fromHwc(src, h, w);
             Mat whole = OutputWriter.region(image, canvas, canvas.whole())) {
            FloatBuffer px = whole.createBuffer();
            for (int y = 0; y < canvas.height(); y++) {
                for (int x = 0; x < canvas.width(); x++) {
                    int ix = x - canvas.imageLeft();
                    int iy = y - canvas.imageTop();
                    boolean inside = ix >= 0 && iy >= 0 && ix < w && iy < h;
                    for (int c = 0; c < 3; c++) {
                        float expected = inside ? src[(iy * w + ix) * 3 + c] : 127f;
                        assertEquals(expected, px.get((y * canvas.width() + x) * 3 + c), 0f, "at " + x + "," + y);
                    }
                }
            }
        }
    }

    @Test
    void expandHappensHalfTheTimeWithRatioBelowFour() {
        Random rng = new Random(6);
        int expanded = 0;
        for (int i = 0; i < 4000; i++) {
            Canvas c = Expand.sample(100, 50, rng);
            if (c.width() != 100 || c.height() != 50) {
                expanded++;
            }
            assertTrue(c.imageLeft() + 100 <= c.width() && c.imageTop() + 50 <= c.height());
        }
        assertEquals(0.5, expanded / 4000.0, 0.03);
    }

    @Test
    void cropKeepsOnlyBoxesWhoseCentersAreInsideAndClipsThem() {
        float[][] boxes = {{0, 0, 30, 30}, {50, 50, 150, 120}, {170, 10, 199, 40}, {90, 90, 110, 110}};
        int[] labels = {1, 2, 3, 4};
        RandomSampleCrop crop = new RandomSampleCrop(false);
        Random rng = new Random(7);
        int cropped = 0;
        for (int n = 0; n < 300; n++) {
            CropResult result = crop.apply(200, 150, new LabeledBoxes(boxes, labels), rng);
            CropRect r = result.rect();
            if (Double.isNaN(result.modeMinIou())) {
                assertEquals(new CropRect(0, 0, 200, 150), r);
                assertArrayEquals(labels, result.boxes().labels());
                continue;
            }
            cropped++;
            // Sides from [0.3, 1) of the image's, height/width within [0.5, 2] up to integer truncation.
            assertTrue(r.width() >= 0.3 * 200 - 1 && r.width() <= 200, "width " + r.width());
            assertTrue(r.height() >= 0.3 * 150 - 1 && r.height() <= 150, "height " + r.height());
            double aspect = (double) r.height() / r.width();
            assertTrue(aspect > 0.5 - 0.05 && aspect < 2 + 0.1, "aspect " + aspect);
            // numpy's uniform(width - w) draws between 1 and width - w.
            assertTrue(r.x0() >= 1 || r.x1() == 200, "corner " + r);
            assertTrue(r.y0() >= 1 || r.y1() == 150, "corner " + r);
            int j = 0;
            for (int i = 0; i < boxes.length; i++) {
                float cx = (boxes[i][0] + boxes[i][2]) / 2;
                float cy = (boxes[i][1] + boxes[i][3]) / 2;
                if (r.x0() < cx && cx < r.x1() && r.y0() < cy && cy < r.y1()) {
                    assertEquals(labels[i], result.boxes().labels()[j]);
                    float[] expected = {
                        Math.max(boxes[i][0], r.x0()) - r.x0(), Math.max(boxes[i][1], r.y0()) - r.y0(),
                        Math.min(boxes[i][2], r.x1()) - r.x0(), Math.min(boxes[i][3], r.y1()) - r.y0()};
                    assertArrayEquals(expected, result.boxes().boxes()[j], 0f);
                    j++;
                }
            }
            assertEquals(j, result.boxes().size());
            assertTrue(j > 0);
        }
        assertTrue(cropped > 150, "cropped " + cropped);
    }

    @Test
    void enforcedIouConstraintHoldsForEveryKeptCropWhileTheReferenceIgnoresIt() {
        float[][] boxes = {{20, 20, 60, 60}, {100, 80, 190, 140}};
        int[] labels = {1, 2};
        int referenceViolations = 0;
        int checked = 0;
        for (boolean enforce : new boolean[]{true, false}) {
            RandomSampleCrop crop = new RandomSampleCrop(enforce);
            Random rng = new Random(8);
            for (int n = 0; n < 600; n++) {
                CropResult result = crop.apply(200, 150, new LabeledBoxes(boxes, labels), rng);
                double minIou = result.modeMinIou();
                if (Double.isNaN(minIou) || Double.isInfinite(minIou)) {
                    continue;
                }
                double smallest = Double.POSITIVE_INFINITY;
                for (double o : Jaccard.overlaps(boxes, result.rect())) {
                    smallest = Math.min(smallest, o);
                }
                if (enforce) {
                    checked++;
                    assertTrue(smallest >= minIou, "IoU " + smallest + " below " + minIou);
                } else if (smallest < minIou) {
                    referenceViolations++;
                }
            }
        }
        assertTrue(checked > 50, "checked " + checked);
        assertTrue(referenceViolations > 50, "reference-mode crops below their IoU: " + referenceViolations);
    }

    @Test
    void cropWithoutBoxesKeepsTheWholeImage() {
        CropResult result = new RandomSampleCrop(false)
                .apply(40, 30, new LabeledBoxes(new float[0][], new int[0]), new Random(9));
        assertEquals(new CropRect(0, 0, 40, 30), result.rect());
        assertEquals(0, result.boxes().size());
    }

    @Test
    void jaccardMatchesHandComputedOverlaps() {
        double[] o = Jaccard.overlaps(new float[][]{{0, 0, 10, 10}, {5, 5, 15, 15}, {20, 20, 30, 30}},
                new CropRect(0, 0, 10, 10));
        assertArrayEquals(new double[]{1, 25.0 / 175, 0}, o, 1e-12);
    }

    @Test
    void mirrorFlipsBoxesAndPixels() {
        LabeledBoxes flipped = RandomMirror.flipBoxes(new LabeledBoxes(new float[][]{{1, 2, 4, 7}}, new int[]{5}), 10);
        assertArrayEquals(new float[]{6, 2, 9, 7}, flipped.boxes()[0], 0f);
        assertArrayEquals(new int[]{5}, flipped.labels());

        int s = 6;
        float[] src = TestImages.ramp(s, s);
        try (FloatImage image = FloatImage.fromHwc(src, s, s)) {
            Canvas canvas = Canvas.of(s, s);
            float[] plain = OutputWriter.write(image, canvas, canvas.whole(), false, ChannelOrder.IDENTITY, s);
            float[] mirrored = OutputWriter.write(image, canvas, canvas.whole(), true, ChannelOrder.IDENTITY, s);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < s; y++) {
                    for (int x = 0; x < s; x++) {
                        float original = src[(y * s + x) * 3 + c];
                        assertEquals((original - 127f) / 128f, plain[(c * s + y) * s + x], 0f);
                        assertEquals(plain[(c * s + y) * s + x], mirrored[(c * s + y) * s + (s - 1 - x)], 0f);
                    }
                }
            }
        }
    }
}
