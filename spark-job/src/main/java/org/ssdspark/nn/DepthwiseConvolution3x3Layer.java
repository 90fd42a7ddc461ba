package org.ssdspark.nn;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * The layer of {@link DepthwiseConvolution3x3}. Float networks run {@link Depthwise3x3VectorKernel} (or, in a JVM
 * without the Vector API, {@link Depthwise3x3FloatKernel}); double ones (the
 * gradient checks) libnd4j's {@code depthwise_conv2d} ops through {@link DirectConvolutionLayer}. On mb2-ssd-lite's
 * depthwise layers at batch 8 the oneDNN ops spent most of their time reordering NCHW to oneDNN's blocked layout and
 * back (see the kernel); the Java kernel needs no reorder.
 */
public class DepthwiseConvolution3x3Layer extends DirectConvolutionLayer {

    /** Benchmark-only ({@code -Dssdspark.onednnDepthwise=true}): libnd4j's oneDNN ops for float networks too. */
    public static final String ONEDNN_PROPERTY = "ssdspark.onednnDepthwise";

    private final boolean onednn = Boolean.getBoolean(ONEDNN_PROPERTY);
    /** Decided when the layer is made, so a benchmark can build one network of each kind in one JVM. */
    private final boolean simd = SimdKernels.enabled();

    public DepthwiseConvolution3x3Layer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    protected Conv2dOps ops() {
        return Conv2dOps.depthwise(3, stride(), 1);
    }

    private int stride() {
        return layerConf().getStride()[0];
    }

    /** Depth multiplier 1: as many output channels as input ones. */
    @Override
    protected long outputChannels() {
        return layerConf().getNIn();
    }

    /** Whether this layer was built with the benchmark switch on (libnd4j's oneDNN ops for float networks too). */
    public boolean onOneDnn() {
        return onednn;
    }

    private boolean javaKernel(INDArray... arrays) {
        if (onednn) {
            return false;
        }
        for (INDArray a : arrays) {
            if (a.dataType() != DataType.FLOAT) {
                return false;
            }
        }
        return getParam(ConvolutionParamInitializer.WEIGHT_KEY).dataType() == DataType.FLOAT;
    }

    private float[] values(String key) {
        return getParam(key).dup('c').data().asFloat();
    }

    private float[] bias() {
        return layerConf().hasBias() ? values(ConvolutionParamInitializer.BIAS_KEY) : null;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (!javaKernel(input)) {
            return super.activate(training, workspaceMgr);
        }
        INDArray x = Conv2dOps.nchwInput(input, layerConf().getNIn(), layerId());
        Depthwise3x3Kernel kernel = Depthwise3x3Kernel.of(x.shape(), stride(), simd);
        INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, kernel.outputShape(), 'c');
        kernel.forward(PlaneIO.floats(x), values(ConvolutionParamInitializer.WEIGHT_KEY), bias(), PlaneIO.floats(y),
                FoldedActivation.isRelu6(layerConf().getActivationFn()));
        return y;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (!javaKernel(input, epsilon)) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        FoldedActivation.checkBackprop(layerId(), layerConf().getActivationFn());
        INDArray x = Conv2dOps.nchwInput(input, layerConf().getNIn(), layerId());
        Depthwise3x3Kernel kernel = Depthwise3x3Kernel.of(x.shape(), stride(), simd);
        INDArray dy = PlaneIO.contiguous(epsilon);
        long[] expected = kernel.outputShape();
        if (!Arrays.equals(dy.shape(), expected)) {
            throw new IllegalStateException(layerId() + ": output gradient of shape " + Arrays.toString(dy.shape())
                    + ", expected " + Arrays.toString(expected));
        }
        int channels = (int) x.size(1);
        double[] dk = new double[9 * channels];
        double[] db = layerConf().hasBias() ? new double[channels] : null;
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, x.shape(), 'c');
        kernel.backward(PlaneIO.floats(x), PlaneIO.floats(dy), values(ConvolutionParamInitializer.WEIGHT_KEY),
                PlaneIO.floats(dx), dk, db);
        return new Pair<>(Conv2dOps.gradientInViews(gradientViews, Nd4j.createFromArray(dk).castTo(DataType.FLOAT),
                db == null ? null : Nd4j.createFromArray(db).castTo(DataType.FLOAT)), dx);
    }
}
