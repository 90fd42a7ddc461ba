package org.ssdspark.bench;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/**
 * A training minibatch with the shapes and label layout of real training ({@code MultiBoxLayout}), but made up:
 * inputs uniform in [-1, 1), every {@value #POSITIVE_EVERY}th prior positive (about 31 of 3000 per image, class
 * {@code 1 + p % (C - 1)}), small location targets. {@code submit/reference_benchmark.py} builds the same pattern, so
 * the loss (and its hard-negative mining) costs both sides alike.
 */
final class SyntheticBatch {
    static final int POSITIVE_EVERY = 97;

    private SyntheticBatch() {
    }

    static MultiDataSet of(int batch, int imageSize, int numPriors, int numClasses, long seed) {
        Random random = new Random(seed);
        float[] pixels = new float[batch * 3 * imageSize * imageSize];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat() * 2 - 1;
        }
        float[] labels = new float[batch * 5 * numPriors];
        for (int b = 0; b < batch; b++) {
            int row = b * 5 * numPriors;
            for (int p = 0; p < numPriors; p++) {
                if ((p + b) % POSITIVE_EVERY == 0) {
                    labels[row + p] = 1 + p % (numClasses - 1);
                }
                for (int k = 0; k < 4; k++) {
                    labels[row + numPriors + 4 * p + k] = (float) (random.nextGaussian() * 0.5);
                }
            }
        }
        INDArray input = Nd4j.create(pixels, new long[]{batch, 3, imageSize, imageSize}, 'c');
        INDArray label = Nd4j.create(labels, new long[]{batch, 5L * numPriors}, 'c');
        return new org.nd4j.linalg.dataset.MultiDataSet(input, label);
    }
}
