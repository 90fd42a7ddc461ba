package org.ssdspark.nn;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The layer of {@link PointwiseConvolution}. Extends DL4J's convolution layer only so that "is this a convolution"
 * keeps its answer; forward and backward are its own: per image Y = W X (+ b), dX = W^T dY, dW = sum dY X^T,
 * db = sum dY, as matrix products on views of the NCHW arrays.
 *
 * <p>Planes of at most {@value #BATCHED_MAX_PLANE} pixels (mb2-ssd-lite's 38x38 and smaller maps, which hold most of
 * its multiply-adds) run as one product over the whole batch instead: the activations are copied channel-major
 * ([C, N HW], a block copy per image and channel), multiplied once and copied back. oneDNN's gemm ran those shapes at
 * about half the speed one image at a time (e.g. 960x160 by 160x100, eight images: 2.3 ms forward against 1.1 ms as
 * one 960x160 by 160x800 product); on larger planes the copies would cost more than the products gain.
 */
public class PointwiseConvolutionLayer extends ConvolutionLayer {

    static final int BATCHED_MAX_PLANE = 2048;
    /** Benchmark-only ({@code -Dssdspark.perImageGemm=true}): one product per image at every plane size. */
    public static final String PER_IMAGE_PROPERTY = "ssdspark.perImageGemm";

    private final boolean perImage = Boolean.getBoolean(PER_IMAGE_PROPERTY);

    public PointwiseConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private INDArray weights2d(INDArray w) {
        return w.reshape('c', w.size(0), w.size(1));
    }

    private INDArray input3d(INDArray x) {
        return Conv2dOps.nchwInput(x, layerConf().getNIn(), layerId()).reshape('c', x.size(0), x.size(1), x.size(2) * x.size(3));
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray x = input3d(input);
        INDArray w = weights2d(getParam(ConvolutionParamInitializer.WEIGHT_KEY));
        long n = x.size(0);
        INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(),
                new long[]{n, w.size(0), input.size(2), input.size(3)}, 'c');
        INDArray y3 = y.reshape('c', n, w.size(0), x.size(2));
        if (batched(x)) {
            INDArray xc = channelMajor(x, ArrayType.FF_WORKING_MEM, workspaceMgr);
            INDArray yc = workspaceMgr.createUninitialized(ArrayType.FF_WORKING_MEM, x.dataType(),
                    new long[]{w.size(0), n * x.size(2)}, 'c');
            Nd4j.gemm(w, xc, yc, false, false, 1.0, 0.0);
            PlaneIO.swapLeadingAxes(yc, y3, (int) w.size(0), (int) n, (int) x.size(2));
        } else {
            for (int i = 0; i < n; i++) {
                Nd4j.gemm(w, x.slice(i), y3.slice(i), false, false, 1.0, 0.0);
            }
        }
        if (layerConf().hasBias()) {
            // libnd4j's biasadd op: a tenth of the time of a broadcast add along axis 1 (27 ms for 8x144x75x75)
            INDArray b = getParam(ConvolutionParamInitializer.BIAS_KEY).reshape(w.size(0));
            Nd4j.exec(DynamicCustomOp.builder("biasadd").addInputs(y, b).addOutputs(y).addBooleanArguments(true).build());
        }
        return FoldedActivation.apply(layerConf().getActivationFn(), y);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        FoldedActivation.checkBackprop(layerId(), layerConf().getActivationFn());
        INDArray x = input3d(input);
        INDArray w = weights2d(getParam(ConvolutionParamInitializer.WEIGHT_KEY));
        long n = x.size(0);
        INDArray dy = PlaneIO.contiguous(epsilon).reshape('c', n, w.size(0), x.size(2));
        INDArray dwView = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray dw = weights2d(dwView);
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, x.dataType(), input.shape(), 'c');
        INDArray dx3 = dx.reshape('c', n, x.size(1), x.size(2));
        if (batched(x)) {
            INDArray xc = channelMajor(x, ArrayType.BP_WORKING_MEM, workspaceMgr);
            INDArray dyc = channelMajor(dy, ArrayType.BP_WORKING_MEM, workspaceMgr);
            Nd4j.gemm(dyc, xc, dw, false, true, 1.0, 0.0);
            INDArray dxc = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, x.dataType(), xc.shape(), 'c');
            Nd4j.gemm(w, dyc, dxc, true, false, 1.0, 0.0);
            PlaneIO.swapLeadingAxes(dxc, dx3, (int) x.size(1), (int) n, (int) x.size(2));
        } else {
            for (int i = 0; i < n; i++) {
                INDArray dyi = dy.slice(i);
                Nd4j.gemm(dyi, x.slice(i), dw, false, true, 1.0, i == 0 ? 0.0 : 1.0);
                Nd4j.gemm(w, dyi, dx3.slice(i), true, false, 1.0, 0.0);
            }
        }
        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, dwView, 'c');
        if (layerConf().hasBias()) {
            INDArray dbView = gradientViews.get(ConvolutionParamInitializer.BIAS_KEY);
            dbView.assign(dy.sum(0, 2).reshape(dbView.shape()));
            gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, dbView);
        }
        return new Pair<>(gradient, dx);
    }

    /** Small planes (see the class comment), and arrays the block copies can index. */
    private boolean batched(INDArray x3) {
        return !perImage && x3.size(2) <= BATCHED_MAX_PLANE && SimdKernels.addressable(x3.length(), x3.dataType().width());
    }

    /** [N, C, HW] as a new [C, N HW] array of the given kind. */
    private static INDArray channelMajor(INDArray a3, ArrayType kind, LayerWorkspaceMgr workspaceMgr) {
        INDArray c = workspaceMgr.createUninitialized(kind, a3.dataType(), new long[]{a3.size(1), a3.size(0) * a3.size(2)}, 'c');
        PlaneIO.swapLeadingAxes(a3, c, (int) a3.size(0), (int) a3.size(1), (int) a3.size(2));
        return c;
    }

    @Override
    public boolean hasBias() {
        return layerConf().hasBias();
    }
}
