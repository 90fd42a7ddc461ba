package org.ssdspark.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.ssdspark.augment.AugmentedSample;
import org.ssdspark.augment.TrainAugmentation;
import org.ssdspark.image.EvalPreprocessor;
import org.ssdspark.image.JpegImage;
import org.ssdspark.ssd.MultiBoxLayout;
import org.ssdspark.ssd.PriorMatcher;
import org.ssdspark.ssd.SsdSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Turns records into network minibatches on an executor: training images through the reference's
 * TrainAugmentation, validation images through its test transform (resize and normalise); boxes matched to the
 * priors into the [B, 5P] labels of {@link MultiBoxLayout}.
 */
final class SampleEncoder {

    private final int imageSize;
    private final TrainAugmentation augmentation;
    private final EvalPreprocessor testTransform;
    private final PriorMatcher matcher;

    SampleEncoder(int imageSize, boolean enforceIouConstraint) {
        this.imageSize = imageSize;
        this.augmentation = new TrainAugmentation(imageSize, enforceIouConstraint);
        this.testTransform = new EvalPreprocessor(imageSize);
        this.matcher = PriorMatcher.of(SsdSpec.forImageSize(imageSize));
    }

    /** A training minibatch; record i is augmented with the random stream of its seed {@code seeds[i]}. */
    MultiDataSet trainBatch(List<TrainingRecord> records, long[] seeds) {
        int n = 3 * imageSize * imageSize;
        float[] features = new float[records.size() * n];
        List<PriorMatcher.Match> matches = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            TrainingRecord r = records.get(i);
            AugmentedSample s = augmentation.apply(new JpegImage(r.id(), r.jpeg()), copy(r.boxes()), r.labels().clone(),
                    new Random(seeds[i]));
            System.arraycopy(s.image(), 0, features, i * n, n);
            matches.add(matcher.match(flatten(s.boxes()), s.labels()));
        }
        return batch(features, records.size(), matches);
    }

    /** A validation minibatch: the reference's TestTransform, boxes as fractions of the original image. */
    MultiDataSet testBatch(List<TrainingRecord> records) {
        int n = 3 * imageSize * imageSize;
        float[] features = new float[records.size() * n];
        List<PriorMatcher.Match> matches = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            TrainingRecord r = records.get(i);
            testTransform.applyInto(new JpegImage(r.id(), r.jpeg()), features, i * n);
            float w = r.width();
            float h = r.height();
            float[] boxes = flatten(r.boxes());
            for (int k = 0; k < boxes.length; k += 4) {
                boxes[k] /= w;
                boxes[k + 1] /= h;
                boxes[k + 2] /= w;
                boxes[k + 3] /= h;
            }
            matches.add(matcher.match(boxes, r.labels()));
        }
        return batch(features, records.size(), matches);
    }

    private MultiDataSet batch(float[] features, int size, List<PriorMatcher.Match> matches) {
        INDArray x = Nd4j.create(features, new long[]{size, 3, imageSize, imageSize}, 'c');
        INDArray y = MultiBoxLayout.labels(matches);
        return new MultiDataSet(x, y);
    }

    private static float[][] copy(float[][] boxes) {
        float[][] c = new float[boxes.length][];
        for (int i = 0; i < boxes.length; i++) {
            c[i] = boxes[i].clone();
        }
        return c;
    }

    private static float[] flatten(float[][] boxes) {
        float[] flat = new float[boxes.length * 4];
        for (int i = 0; i < boxes.length; i++) {
            System.arraycopy(boxes[i], 0, flat, 4 * i, 4);
        }
        return flat;
    }
}
