package org.ssdspark.nn;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The layer of {@link BatchNormRelu6}; see there. It extends DL4J's BatchNormalization layer only so that code asking
 * "is this a BatchNorm layer" keeps its answer; forward and backward are all its own.
 */
public class BatchNormRelu6Layer extends BatchNormalization {

    /** Batch statistics of the last training-mode forward pass, for backprop and the running-statistics step. */
    private double[] batchMean;
    private double[] batchVar;
    /** Benchmark-only ({@code -Dssdspark.doubleBn=true}): the double kernel for float networks too, for before/after. */
    private final boolean doubleBn = Boolean.getBoolean("ssdspark.doubleBn");
    /** Decided when the layer is made, so a benchmark can build one network of each kind in one JVM. */
    private final boolean simd = SimdKernels.enabled();

    public BatchNormRelu6Layer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.NORMALIZATION;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    private void checkNchw(INDArray x) {
        if (x.rank() != 4 || layerConf().getCnn2DFormat() == CNN2DFormat.NHWC) {
            throw new IllegalStateException(layerId() + ": BatchNormRelu6 takes NCHW activations, got shape "
                    + java.util.Arrays.toString(x.shape()));
        }
    }

    /** Float arrays run the float kernel (unless the benchmark asks for the double one); doubles the double one. */
    private boolean floatKernel(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a.dataType() != DataType.FLOAT) {
                return false;
            }
        }
        return !doubleBn;
    }

    /**
     * Float arrays where the JVM has the Vector API (see {@link SimdKernels}) and they fit its indexing (all have the
     * first one's shape).
     */
    private boolean vectorKernel(INDArray... arrays) {
        return simd && floatKernel(arrays) && SimdKernels.addressable(arrays[0].length(), 4);
    }

    private boolean relu6() {
        return ((BatchNormRelu6) layerConf()).isRelu6();
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray x = PlaneIO.contiguous(input);
        checkNchw(x);
        int channels = (int) x.size(1);
        double eps = layerConf().getEps();
        double[] gamma = values(BatchNormalizationParamInitializer.GAMMA);
        double[] beta = values(BatchNormalizationParamInitializer.BETA);
        double[] mean;
        double[] var;
        if (training) {
            mean = new double[channels];
            var = new double[channels];
        } else {
            mean = values(BatchNormalizationParamInitializer.GLOBAL_MEAN);
            var = values(BatchNormalizationParamInitializer.GLOBAL_VAR);
        }
        INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape(), 'c');
        if (vectorKernel(x)) {
            new BatchNormRelu6VectorKernel(x.shape(), relu6()).forward(PlaneIO.bytes(x), PlaneIO.bytes(y), gamma, beta,
                    eps, mean, var, training);
        } else if (floatKernel(x)) {
            new BatchNormRelu6FloatKernel(x.shape(), relu6()).forward(PlaneIO.floats(x),
                    PlaneIO.floats(y), gamma, beta, eps, mean, var, training);
        } else {
            new BatchNormRelu6Kernel(x.shape(), relu6()).forward(PlaneIO.of(x), PlaneIO.of(y), gamma, beta, eps, mean,
                    var, training);
        }
        if (training) {
            batchMean = mean;
            batchVar = var;
        }
        return y;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (batchMean == null) {
            throw new IllegalStateException(layerId() + ": backprop without a training-mode forward pass");
        }
        INDArray x = PlaneIO.contiguous(input);
        INDArray dy = PlaneIO.contiguous(epsilon);
        checkNchw(x);
        int channels = (int) x.size(1);
        double eps = layerConf().getEps();
        double[] dGamma = new double[channels];
        double[] dBeta = new double[channels];
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, x.dataType(), x.shape(), 'c');
        double[] gamma = values(BatchNormalizationParamInitializer.GAMMA);
        double[] beta = values(BatchNormalizationParamInitializer.BETA);
        if (vectorKernel(x, dy)) {
            new BatchNormRelu6VectorKernel(x.shape(), relu6()).backward(PlaneIO.bytes(x), PlaneIO.bytes(dy),
                    PlaneIO.bytes(dx), batchMean, batchVar, eps, gamma, beta, dGamma, dBeta);
        } else if (floatKernel(x, dy)) {
            new BatchNormRelu6FloatKernel(x.shape(), relu6()).backward(PlaneIO.floats(x),
                    PlaneIO.floats(dy), PlaneIO.floats(dx), batchMean, batchVar, eps,
                    gamma, beta, dGamma, dBeta);
        } else {
            new BatchNormRelu6Kernel(x.shape(), relu6()).backward(PlaneIO.of(x), PlaneIO.of(dy), PlaneIO.of(dx),
                    batchMean, batchVar, eps, gamma, beta, dGamma, dBeta);
        }

        // The running statistics move by a "gradient" that their NoOp updater subtracts as is:
        // new = decay * old + (1 - decay) * batch  <=>  gradient = (1 - decay) * (old - batch).
        // As PyTorch, the running variance moves towards the *unbiased* batch variance (n / (n - 1) times the biased
        // one the normalisation uses): on the 1x1 and 2x2 maps of the last levels n is a few dozen, and the biased
        // estimate would leave evaluation dividing by a variance 3% to 12% too small.
        double keep = 1.0 - layerConf().getDecay();
        long count = x.size(0) * x.size(2) * x.size(3);
        double unbias = count > 1 ? (double) count / (count - 1) : 1.0;
        double[] oldMean = values(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        double[] oldVar = values(BatchNormalizationParamInitializer.GLOBAL_VAR);
        double[] dMean = new double[channels];
        double[] dVar = new double[channels];
        for (int c = 0; c < channels; c++) {
            dMean[c] = keep * (oldMean[c] - batchMean[c]);
            dVar[c] = keep * (oldVar[c] - batchVar[c] * unbias);
        }
        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, fill(BatchNormalizationParamInitializer.GAMMA, dGamma));
        gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, fill(BatchNormalizationParamInitializer.BETA, dBeta));
        gradient.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_MEAN, fill(BatchNormalizationParamInitializer.GLOBAL_MEAN, dMean));
        gradient.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_VAR, fill(BatchNormalizationParamInitializer.GLOBAL_VAR, dVar));
        return new Pair<>(gradient, dx);
    }

    private double[] values(String param) {
        return getParam(param).toDoubleVector();
    }

    private INDArray fill(String param, double[] values) {
        INDArray view = gradientViews.get(param);
        for (int c = 0; c < values.length; c++) {
            view.putScalar(c, values[c]);
        }
        return view;
    }

    @Override
    public INDArray preOutput(INDArray x, TrainingMode training, LayerWorkspaceMgr workspaceMgr) {
        setInput(x, workspaceMgr);
        return activate(training == TrainingMode.TRAIN, workspaceMgr);
    }
}
