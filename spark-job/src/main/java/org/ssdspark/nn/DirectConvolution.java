package org.ssdspark.nn;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Collection;

/**
 * A square convolution with explicit padding (PyTorch's floor arithmetic) on NCHW activations computed by libnd4j's
 * {@code conv2d} op called directly ({@link DirectConvolutionLayer}), which the onednn build runs as a oneDNN primitive,
 * instead of DL4J's im2col and matrix product. To everything else it is a {@link ConvolutionLayer}: the same parameters
 * ({@code W} [out, in, k, k], {@code b}), initialisation, updater and regularisation, so checkpoint import and training
 * treat it as one. Identity activation (BatchNorm follows), or ReLU6 in folded inference graphs
 * ({@link BatchNormFolding}).
 */
public class DirectConvolution extends ConvolutionLayer {

    private static final long serialVersionUID = 1L;

    /** For JSON deserialisation. */
    public DirectConvolution() {
        super();
    }

    /** Whether this layer computes {@code layer}: a square, undilated convolution with PyTorch's (Truncate) arithmetic. */
    public static boolean covers(ConvolutionLayer layer) {
        int[] k = layer.getKernelSize();
        int[] s = layer.getStride();
        int[] p = layer.getPadding();
        return k[0] == k[1] && s[0] == s[1] && p[0] == p[1] && Arrays.equals(layer.getDilation(), new int[]{1, 1})
                && layer.getConvolutionMode() == ConvolutionMode.Truncate;
    }

    /** A copy of a configured ConvolutionLayer (every field). */
    public static DirectConvolution of(ConvolutionLayer layer) {
        int[] k = layer.getKernelSize();
        int[] s = layer.getStride();
        int[] p = layer.getPadding();
        if (!covers(layer)) {
            throw new IllegalArgumentException("not a square, undilated Truncate convolution: kernel " + Arrays.toString(k)
                    + ", stride " + Arrays.toString(s) + ", padding " + Arrays.toString(p));
        }
        DirectConvolution copy = new DirectConvolution();
        LayerConfigs.copyFields(ConvolutionLayer.class, layer, copy);
        return copy;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("DirectConvolution", getLayerName(), layerIndex, getNIn(), getNOut());
        if (getCnn2dDataFormat() == CNN2DFormat.NHWC) {
            throw new IllegalStateException(getLayerName() + ": DirectConvolution supports NCHW only");
        }
        FoldedActivation.checkSupported(getLayerName(), "DirectConvolution", getActivationFn());
        return LayerConfigs.wire(new DirectConvolutionLayer(conf, networkDataType), conf, listeners, layerIndex, layerParamsView,
                initializeParams, initializer());
    }

    @Override
    public DirectConvolution clone() {
        return (DirectConvolution) super.clone();
    }
}
