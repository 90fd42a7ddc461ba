package org.ssdspark.ssd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

class BoxCoderTest {

    @Test
    void cornerAndCenterFormsInvertEachOther() {
        float[] center = {0.5f, 0.4f, 0.2f, 0.1f, 0.1f, 0.9f, 0.3f, 0.05f};
        float[] corner = BoxCoder.centerToCorner(center);
        assertArrayEquals(new float[]{0.4f, 0.35f, 0.6f, 0.45f, -0.05f, 0.875f, 0.25f, 0.925f}, corner, 1e-7f);
        assertArrayEquals(center, BoxCoder.cornerToCenter(corner), 1e-7f);
    }

    @Test
    void encodeThenDecodeReturnsTheBoxes() {
        BoxCoder coder = BoxCoder.of(SsdSpec.reference300());
        Random rnd = new Random(7);
        float[] boxes = new float[4 * coder.numPriors()];
        for (int i = 0; i < boxes.length; i += 4) {
            float x0 = rnd.nextFloat() * 0.8f;
            float y0 = rnd.nextFloat() * 0.8f;
            boxes[i] = x0;
            boxes[i + 1] = y0;
            boxes[i + 2] = x0 + 0.01f + rnd.nextFloat() * 0.19f;
            boxes[i + 3] = y0 + 0.01f + rnd.nextFloat() * 0.19f;
        }
        assertArrayEquals(boxes, coder.decode(coder.encode(boxes)), 2e-6f);
    }

    @Test
    void encodingUsesTheVariances() {
        BoxCoder coder = new BoxCoder(new float[]{0.5f, 0.5f, 0.2f, 0.4f}, 0.1, 0.2);
        // box centered 0.02 right of the prior, twice as wide, same height
        float[] loc = coder.encode(new float[]{0.32f, 0.3f, 0.72f, 0.7f});
        assertEquals(0.02 / 0.2 / 0.1, loc[0], 1e-5);
        assertEquals(0, loc[1], 1e-6);
        assertEquals(Math.log(2) / 0.2, loc[2], 1e-5);
        assertEquals(0, loc[3], 1e-6);
    }

    @Test
    void iouOfOverlappingDisjointAndIdenticalBoxes() {
        float[] a = {0, 0, 2, 2};
        float[] b = {1, 1, 3, 3};
        float[] c = {5, 5, 6, 6};
        assertEquals(1.0 / 7, BoxCoder.iou(a, 0, b, 0), 1e-6);
        assertEquals(0, BoxCoder.iou(a, 0, c, 0), 0);
        assertEquals(4 / (4 + 1e-5), BoxCoder.iou(a, 0, a, 0), 1e-7);
    }
}
