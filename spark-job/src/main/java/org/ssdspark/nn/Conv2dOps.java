package org.ssdspark.nn;

import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Map;

/**
 * libnd4j's convolution ops called directly on NCHW arrays: {@code conv2d}, {@code depthwise_conv2d} and their
 * {@code _bp} twins, which the onednn native build runs as oneDNN primitives. DL4J's own layers wrap the same ops in
 * im2col, permutes and copies (ConvolutionLayer) or extra weight reshuffles (DepthwiseConvolution2DLayer); on
 * mb2-ssd-lite's shapes the bare ops took a quarter to a half of those layers' time (bench.LayerBenchmark).
 * Explicit padding with floor output sizes: PyTorch's and DL4J Truncate's arithmetic.
 */
final class Conv2dOps {

    /** Weights as DL4J's ConvolutionLayer holds them, [out, in, kH, kW]. */
    static final int WEIGHTS_OIHW = 1;
    /** Weights as DL4J's DepthwiseConvolution2D holds them, [kH, kW, in, multiplier]. */
    static final int WEIGHTS_HWIM = 0;

    private final String op;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int weightsFormat;

    private Conv2dOps(String op, int kernel, int stride, int padding, int weightsFormat) {
        this.op = op;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.weightsFormat = weightsFormat;
    }

    static Conv2dOps convolution(int kernel, int stride, int padding) {
        return new Conv2dOps("conv2d", kernel, stride, padding, WEIGHTS_OIHW);
    }

    static Conv2dOps depthwise(int kernel, int stride, int padding) {
        return new Conv2dOps("depthwise_conv2d", kernel, stride, padding, WEIGHTS_HWIM);
    }

    /** Output height or width for an input of {@code size}. */
    long outputSize(long size) {
        return (size + 2L * padding - kernel) / stride + 1;
    }

    /** kH, kW, sH, sW, pH, pW, dH, dW, same-mode 0, NCHW 0, weights format. */
    private int[] arguments() {
        return new int[]{kernel, kernel, stride, stride, padding, padding, 1, 1, 0, 0, weightsFormat};
    }

    /** y = conv(x, w) + b; {@code b} may be null. */
    private void forward(INDArray x, INDArray w, INDArray b, INDArray y) {
        run(op, b == null ? new INDArray[]{x, w} : new INDArray[]{x, w, b}, new INDArray[]{y});
    }

    /** Gradients into dx, dw and (when {@code b} is not null) db, from the output gradient dy. */
    private void backward(INDArray x, INDArray w, INDArray b, INDArray dy, INDArray dx, INDArray dw, INDArray db) {
        run(op + "_bp", b == null ? new INDArray[]{x, w, dy} : new INDArray[]{x, w, b, dy},
                b == null ? new INDArray[]{dx, dw} : new INDArray[]{dx, dw, db});
    }

    // the builder's addInputs/addOutputs replace what an earlier call added, so each list goes in whole
    private void run(String name, INDArray[] inputs, INDArray[] outputs) {
        Nd4j.exec(DynamicCustomOp.builder(name).addInputs(inputs).addOutputs(outputs).addIntegerArguments(arguments()).build());
    }

    /** A layer's input as the ops take it: NCHW with {@code channels} channels, contiguous. */
    static INDArray nchwInput(INDArray input, long channels, String layer) {
        if (input.rank() != 4 || input.size(1) != channels) {
            throw new IllegalStateException(layer + ": expects NCHW input with " + channels + " channels, got "
                    + Arrays.toString(input.shape()));
        }
        return PlaneIO.contiguous(input);
    }

    /** A layer's forward pass: conv(x, w) + b into a new activation array of {@code outChannels} channels. */
    INDArray activate(INDArray x, INDArray w, INDArray b, long outChannels, LayerWorkspaceMgr workspaceMgr) {
        INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(),
                new long[]{x.size(0), outChannels, outputSize(x.size(2)), outputSize(x.size(3))}, 'c');
        forward(x, w, b, y);
        return y;
    }

    /**
     * A layer's backward pass: the input gradient, and the gradients of W and (when {@code b} is not null) b written
     * into the layer's gradient views (both kinds of convolution name their parameters "W" and "b").
     */
    Pair<Gradient, INDArray> backprop(INDArray x, INDArray w, INDArray b, INDArray epsilon, Map<String, INDArray> views,
                                      LayerWorkspaceMgr workspaceMgr) {
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, x.dataType(), x.shape(), 'c');
        INDArray dw = w.ulike();
        INDArray db = b == null ? null : b.ulike();
        backward(x, w, b, PlaneIO.contiguous(epsilon), dx, dw, db);
        return new Pair<>(gradientInViews(views, dw, db), dx);
    }

    /**
     * A convolution's parameter gradients copied into the layer's gradient views ("W", and "b" when {@code db} is not
     * null; both kinds of convolution name them so), as DL4J's Gradient.
     */
    static Gradient gradientInViews(Map<String, INDArray> views, INDArray dw, INDArray db) {
        Gradient gradient = new DefaultGradient();
        INDArray dwView = views.get(ConvolutionParamInitializer.WEIGHT_KEY);
        dwView.assign(dw.reshape('c', dwView.shape()));
        gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, dwView, 'c');
        if (db != null) {
            INDArray dbView = views.get(ConvolutionParamInitializer.BIAS_KEY);
            dbView.assign(db.reshape(dbView.shape()));
            gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, dbView);
        }
        return gradient;
    }
}
