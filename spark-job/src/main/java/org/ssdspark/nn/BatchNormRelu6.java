package org.ssdspark.nn;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * BatchNorm2d, optionally fused with the ReLU6 after it, for NCHW activations: one layer, two passes over the data
 * each way, instead of DL4J's BatchNormalization plus ActivationLayer (a dozen broadcast and reduction passes and
 * activation-sized temporaries).
 *
 * <p>It is a {@link BatchNormalization} to everything else: the same parameters (gamma, beta, mean, var; the running
 * variance stored as is), the same initialiser, updaters (running statistics move by DL4J's moving average with
 * {@code decay}, through their NoOp updater) and, through {@link WeightDecayedBatchNormalization}, the layer's L2 on
 * gamma (weights) and beta (biases) as PyTorch's weight decay does. Checkpoint import sees a BatchNormalization.
 * Settings it does not implement ({@code useLogStd}, {@code lockGammaBeta}, NHWC) are refused at instantiation.
 */
public class BatchNormRelu6 extends WeightDecayedBatchNormalization {

    private static final long serialVersionUID = 1L;

    private boolean relu6;

    /** For JSON deserialisation. */
    public BatchNormRelu6() {
        super();
    }

    /** A copy of a configured BatchNormalization (every field), with ReLU6 fused after it or not. */
    public static BatchNormRelu6 of(BatchNormalization layer, boolean relu6) {
        BatchNormRelu6 copy = new BatchNormRelu6();
        LayerConfigs.copyFields(BatchNormalization.class, layer, copy);
        copy.relu6 = relu6;
        return copy;
    }

    public boolean isRelu6() {
        return relu6;
    }

    public void setRelu6(boolean relu6) {
        this.relu6 = relu6;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNOutSet("BatchNormRelu6", getLayerName(), layerIndex, getNOut());
        if (isUseLogStd() || isLockGammaBeta()) {
            throw new IllegalStateException(getLayerName() + ": BatchNormRelu6 needs learned gamma/beta and a stored variance");
        }
        return LayerConfigs.wire(new BatchNormRelu6Layer(conf, networkDataType), conf, listeners, layerIndex, layerParamsView,
                initializeParams, initializer());
    }

    @Override
    public BatchNormRelu6 clone() {
        return (BatchNormRelu6) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && o instanceof BatchNormRelu6 other && other.relu6 == relu6;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Boolean.hashCode(relu6);
    }
}
