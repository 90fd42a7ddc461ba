package org.ssdspark.nn;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.DepthwiseConvolution2DLayer;
import org.deeplearning4j.nn.params.DepthwiseConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The layer of {@link DepthwiseConvolution3x3}: DL4J's depthwise layer whose backward pass is
 * {@link Depthwise3x3Kernel}'s. The forward stays DL4J's (oneDNN's), which measured as fast as the Java loops on large
 * planes and faster on small ones; the backward in Java took two thirds of DL4J's CPU time (LayerBenchmark).
 */
public class DepthwiseConvolution3x3Layer extends DepthwiseConvolution2DLayer {

    public DepthwiseConvolution3x3Layer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private Depthwise3x3Kernel kernel(INDArray x) {
        if (x.rank() != 4 || x.size(1) != layerConf().getNIn()) {
            throw new IllegalStateException(layerId() + ": expects NCHW input with " + layerConf().getNIn()
                    + " channels, got " + java.util.Arrays.toString(x.shape()));
        }
        return new Depthwise3x3Kernel(x.shape(), layerConf().getStride()[0]);
    }

    /** W [3, 3, C, 1] in c order, whatever the view's own order. */
    private double[] weights() {
        return getParam(DepthwiseConvolutionParamInitializer.WEIGHT_KEY).dup('c').data().asDouble();
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray x = PlaneIO.contiguous(input);
        INDArray dy = PlaneIO.contiguous(epsilon);
        Depthwise3x3Kernel kernel = kernel(x);
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, x.dataType(), x.shape(), 'c');
        double[] w = weights();
        double[] dw = new double[w.length];
        double[] db = layerConf().hasBias() ? new double[(int) x.size(1)] : null;
        kernel.backward(PlaneIO.of(x), PlaneIO.of(dy), PlaneIO.of(dx), w, dw, db);

        Gradient gradient = new DefaultGradient();
        INDArray dwView = gradientViews.get(DepthwiseConvolutionParamInitializer.WEIGHT_KEY);
        dwView.assign(Nd4j.createFromArray(dw).reshape('c', dwView.shape()));
        gradient.setGradientFor(DepthwiseConvolutionParamInitializer.WEIGHT_KEY, dwView, 'c');
        if (db != null) {
            INDArray dbView = gradientViews.get(DepthwiseConvolutionParamInitializer.BIAS_KEY);
            dbView.assign(Nd4j.createFromArray(db).reshape(dbView.shape()));
            gradient.setGradientFor(DepthwiseConvolutionParamInitializer.BIAS_KEY, dbView);
        }
        return new Pair<>(gradient, dx);
    }

    @Override
    public boolean hasBias() {
        return layerConf().hasBias();
    }
}
