package org.ssdspark.nn;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Collection;

/**
 * A 1x1, stride 1, unpadded convolution on NCHW activations computed as one matrix product per image,
 * W[out, in] x X[in, H*W], instead of DL4J's im2col, matrix product and output permutation. To everything else it is a
 * {@link ConvolutionLayer}: the same parameters ({@code W} [out, in, 1, 1], {@code b}), initialisation, updater and
 * regularisation, so checkpoint import and training treat it as one. Identity activation (BatchNorm or nothing follows a
 * pointwise convolution here), or ReLU6 in inference graphs with the BatchNorm folded in ({@link BatchNormFolding}).
 */
public class PointwiseConvolution extends ConvolutionLayer {

    private static final long serialVersionUID = 1L;

    /** For JSON deserialisation. */
    public PointwiseConvolution() {
        super();
    }

    /** Whether this layer computes {@code layer}: a 1x1, stride 1, unpadded, undilated convolution. */
    public static boolean covers(ConvolutionLayer layer) {
        return Arrays.equals(layer.getKernelSize(), new int[]{1, 1}) && Arrays.equals(layer.getStride(), new int[]{1, 1})
                && Arrays.equals(layer.getPadding(), new int[]{0, 0}) && Arrays.equals(layer.getDilation(), new int[]{1, 1});
    }

    /** A copy of a configured 1x1 ConvolutionLayer (every field). */
    public static PointwiseConvolution of(ConvolutionLayer layer) {
        if (!covers(layer)) {
            throw new IllegalArgumentException("not a 1x1 stride-1 unpadded convolution: kernel "
                    + Arrays.toString(layer.getKernelSize()) + ", stride " + Arrays.toString(layer.getStride()));
        }
        PointwiseConvolution copy = new PointwiseConvolution();
        LayerConfigs.copyFields(ConvolutionLayer.class, layer, copy);
        return copy;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("PointwiseConvolution", getLayerName(), layerIndex, getNIn(), getNOut());
        if (getCnn2dDataFormat() == CNN2DFormat.NHWC) {
            throw new IllegalStateException(getLayerName() + ": PointwiseConvolution supports NCHW only");
        }
        FoldedActivation.checkSupported(getLayerName(), "PointwiseConvolution", getActivationFn());
        return LayerConfigs.wire(new PointwiseConvolutionLayer(conf, networkDataType), conf, listeners, layerIndex, layerParamsView,
                initializeParams, initializer());
    }

    @Override
    public PointwiseConvolution clone() {
        return (PointwiseConvolution) super.clone();
    }
}
