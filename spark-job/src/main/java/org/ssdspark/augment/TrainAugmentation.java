package org.ssdspark.augment;

import org.ssdspark.image.ImageDecoder;
import org.ssdspark.image.JpegImage;
import org.ssdspark.image.RgbImage;

import java.util.Random;

/**
 * The reference's TrainAugmentation(300, mean 127, std 128), op for op: ConvertFromInts,
 * PhotometricDistort, Expand, RandomSampleCrop, RandomMirror, ToPercentCoords, Resize,
 * SubtractMeans and divide by the std, ToTensor. Random draws come from the caller's {@link Random}
 * in the reference's order, so a seeded Random gives the same sample every time (numpy's stream
 * itself is not reproduced). Boxes come in pixels of the decoded image, corner form, difficult ones
 * already removed; they leave as fractions of the output image.
 *
 * <p>Stateless and thread-safe; native memory is released before each call returns.
 */
public final class TrainAugmentation {
    private final int size;
    private final RandomSampleCrop crop;

    public TrainAugmentation(int size) {
        this(size, false);
    }

    /**
     * @param enforceIouConstraint false reproduces the reference, whose crop never rejects a patch for
     *                             its IoU; true rejects patches where some box's IoU is below the mode's minimum
     */
    public TrainAugmentation(int size, boolean enforceIouConstraint) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive: " + size);
        }
        this.size = size;
        this.crop = new RandomSampleCrop(enforceIouConstraint);
    }

    public int size() {
        return size;
    }

    public AugmentedSample apply(JpegImage jpeg, float[][] boxesPixels, int[] labels, Random rng) {
        try (RgbImage image = ImageDecoder.decode(jpeg)) {
            return apply(image, boxesPixels, labels, rng);
        }
    }

    public AugmentedSample apply(RgbImage image, float[][] boxesPixels, int[] labels, Random rng) {
        LabeledBoxes boxes = LabeledBoxes.copyOf(boxesPixels, labels);
        try (FloatImage pixels = FloatImage.fromRgb(image)) {
            ChannelOrder order = PhotometricDistort.apply(pixels, rng);
            Canvas canvas = Expand.sample(pixels.width(), pixels.height(), rng);
            boxes = Expand.moveBoxes(boxes, canvas);
            CropResult cropped = crop.apply(canvas.width(), canvas.height(), boxes, rng);
            CropRect rect = cropped.rect();
            boxes = cropped.boxes();
            boolean mirror = RandomMirror.sample(rng);
            if (mirror) {
                boxes = RandomMirror.flipBoxes(boxes, rect.width());
            }
            boxes = boxes.toPercent(rect.width(), rect.height());
            float[] chw = OutputWriter.write(pixels, canvas, rect, mirror, order, size);
            return new AugmentedSample(chw, size, boxes.boxes(), boxes.labels());
        }
    }
}
