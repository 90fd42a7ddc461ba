package org.ssdspark.nn;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Collection;

/**
 * A 3x3 depthwise convolution (depth multiplier 1, padding 1, stride 1 or 2, PyTorch's floor arithmetic) on NCHW
 * activations computed by {@link Depthwise3x3Kernel} in float networks and by libnd4j's depthwise ops called
 * directly in double ones ({@link DepthwiseConvolution3x3Layer}), instead of through DL4J's layer.
 * To everything else it is a {@link DepthwiseConvolution2D}: the same parameters ({@code W} [3, 3, C, 1], {@code b}),
 * initialisation, updater and regularisation, so checkpoint import and training treat it as one. Identity activation
 * (BatchNorm follows every depthwise convolution here), or ReLU6 in folded inference graphs ({@link BatchNormFolding}).
 */
public class DepthwiseConvolution3x3 extends DepthwiseConvolution2D {

    private static final long serialVersionUID = 1L;

    /** For JSON deserialisation. */
    public DepthwiseConvolution3x3() {
        super();
    }

    /** Whether this layer computes {@code layer}: 3x3, padding 1, stride 1 or 2, multiplier 1, Truncate. */
    public static boolean covers(DepthwiseConvolution2D layer) {
        int s = layer.getStride()[0];
        return Arrays.equals(layer.getKernelSize(), new int[]{3, 3}) && Arrays.equals(layer.getPadding(), new int[]{1, 1})
                && Arrays.equals(layer.getDilation(), new int[]{1, 1}) && layer.getStride()[1] == s && s >= 1 && s <= 2
                && layer.getDepthMultiplier() == 1 && layer.getConvolutionMode() == ConvolutionMode.Truncate;
    }

    /** A copy of a configured DepthwiseConvolution2D (every field). */
    public static DepthwiseConvolution3x3 of(DepthwiseConvolution2D layer) {
        if (!covers(layer)) {
            throw new IllegalArgumentException("not a 3x3, padding 1, stride 1 or 2, multiplier 1 Truncate depthwise"
                    + " convolution: kernel " + Arrays.toString(layer.getKernelSize()) + ", stride "
                    + Arrays.toString(layer.getStride()) + ", padding " + Arrays.toString(layer.getPadding()));
        }
        DepthwiseConvolution3x3 copy = new DepthwiseConvolution3x3();
        LayerConfigs.copyFields(DepthwiseConvolution2D.class, layer, copy);
        return copy;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("DepthwiseConvolution3x3", getLayerName(), layerIndex, getNIn(), getNOut());
        if (getCnn2dDataFormat() == CNN2DFormat.NHWC) {
            throw new IllegalStateException(getLayerName() + ": DepthwiseConvolution3x3 supports NCHW only");
        }
        FoldedActivation.checkSupported(getLayerName(), "DepthwiseConvolution3x3", getActivationFn());
        return LayerConfigs.wire(new DepthwiseConvolution3x3Layer(conf, networkDataType), conf, listeners, layerIndex, layerParamsView,
                initializeParams, initializer());
    }

    @Override
    public DepthwiseConvolution3x3 clone() {
        return (DepthwiseConvolution3x3) super.clone();
    }
}
