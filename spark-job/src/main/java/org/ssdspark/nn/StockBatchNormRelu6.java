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
 * {@link BatchNormRelu6} for any ND4J backend: DL4J's own BatchNormalization layer (its ND4J ops, cuDNN on CUDA),
 * with the two things the project's BatchNorm does differently added by ND4J ops ({@link StockBatchNormRelu6Layer}):
 * the running variance moves towards the unbiased batch variance, as PyTorch's does, and the ReLU6 that follows is
 * applied by the layer, so that the graph has the same vertices as with {@link BatchNormRelu6} (the ReLU6 module's
 * name stays a {@link PassThroughVertex} in both).
 *
 * <p>Parameters, initialiser, updaters and weight decay are {@link WeightDecayedBatchNormalization}'s, the same as
 * {@link BatchNormRelu6}'s, so a network's parameters and updater state move between the two unchanged. Settings
 * neither implements ({@code useLogStd}, {@code lockGammaBeta}) are refused at instantiation.
 */
public class StockBatchNormRelu6 extends WeightDecayedBatchNormalization {

    private static final long serialVersionUID = 1L;

    private boolean relu6;

    /** For JSON deserialisation. */
    public StockBatchNormRelu6() {
        super();
    }

    /** A copy of a configured BatchNormalization (every field), with ReLU6 applied after it or not. */
    public static StockBatchNormRelu6 of(BatchNormalization layer, boolean relu6) {
        StockBatchNormRelu6 copy = new StockBatchNormRelu6();
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
        LayerValidation.assertNOutSet("StockBatchNormRelu6", getLayerName(), layerIndex, getNOut());
        if (isUseLogStd() || isLockGammaBeta()) {
            // log-std has no variance to unbias; locked gamma/beta can make DL4J return its normalised input itself,
            // which the in-place ReLU6 would overwrite
            throw new IllegalStateException(getLayerName() + ": StockBatchNormRelu6 needs learned gamma/beta and a stored variance");
        }
        return LayerConfigs.wire(new StockBatchNormRelu6Layer(conf, networkDataType), conf, listeners, layerIndex,
                layerParamsView, initializeParams, initializer());
    }

    @Override
    public StockBatchNormRelu6 clone() {
        return (StockBatchNormRelu6) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && o instanceof StockBatchNormRelu6 other && other.relu6 == relu6;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Boolean.hashCode(relu6);
    }
}
