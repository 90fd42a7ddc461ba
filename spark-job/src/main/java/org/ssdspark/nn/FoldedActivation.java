package org.ssdspark.nn;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The activations this package's convolutions take: identity (BatchNorm follows them in a trainable graph) or, in a
 * {@link BatchNormFolding} inference copy, the ReLU6 of the folded BatchNorm, applied in place to the output. Backprop
 * through a ReLU6 convolution is refused: those graphs are for inference.
 */
final class FoldedActivation {

    private FoldedActivation() {
    }

    static void checkSupported(String layer, String kind, IActivation fn) {
        if (!(fn instanceof ActivationIdentity) && !(fn instanceof ActivationReLU6)) {
            throw new IllegalStateException(layer + ": " + kind + " takes the identity activation (ReLU6 only in folded"
                    + " inference graphs), not " + fn);
        }
    }

    /** Whether {@code fn} is a folded BatchNorm's ReLU6 (a kernel may then apply it itself). */
    static boolean isRelu6(IActivation fn) {
        return fn instanceof ActivationReLU6;
    }

    static INDArray apply(IActivation fn, INDArray y) {
        return fn instanceof ActivationReLU6 ? fn.getActivation(y, false) : y;
    }

    static void checkBackprop(String layer, IActivation fn) {
        if (!(fn instanceof ActivationIdentity)) {
            throw new IllegalStateException(layer + ": backprop through a convolution with a folded BatchNorm (ReLU6);"
                    + " folded graphs are for inference, train the unfolded graph");
        }
    }
}
