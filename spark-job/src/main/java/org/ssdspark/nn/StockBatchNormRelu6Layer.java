package org.ssdspark.nn;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The layer of {@link StockBatchNormRelu6}: DL4J's BatchNormalization forward and backward, then ND4J ops only (no
 * host-side loops, so it runs wherever ND4J does) for the ReLU6 and the running-variance convention.
 */
public class StockBatchNormRelu6Layer extends BatchNormalization {

    static final double RELU6_CAP = 6.0;

    /** The training-mode output, whose values give ReLU6's backward mask; null outside a training step. */
    private INDArray output;

    public StockBatchNormRelu6Layer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private boolean relu6() {
        return ((StockBatchNormRelu6) layerConf()).isRelu6();
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray y = super.activate(training, workspaceMgr);
        if (relu6()) {
            // in place: DL4J's output is a fresh activation array (gamma/beta are never locked here)
            y = Transforms.relu6(y, false);
        }
        output = training ? y : null;
        return y;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        INDArray dz = epsilon;
        if (relu6()) {
            if (output == null) {
                throw new IllegalStateException(layerId() + ": backprop without a training-mode forward pass");
            }
            // ReLU6 passes the gradient where its input was strictly inside (0, 6), as PyTorch's: exactly where the
            // output is strictly inside (0, 6)
            DataType type = epsilon.dataType();
            INDArray inside = output.gt(0.0).castTo(type).muli(output.lt(RELU6_CAP).castTo(type));
            dz = epsilon.mul(inside);
        }
        Pair<Gradient, INDArray> result = super.backpropGradient(dz, workspaceMgr);
        unbiasRunningVariance(result.getFirst());
        output = null;
        return result;
    }

    /**
     * DL4J moves the running variance towards the biased batch variance (its "gradient", subtracted as is by the NoOp
     * updater, is (1 - decay) (running - batch)). PyTorch, and {@link BatchNormRelu6Layer}, move it towards the
     * unbiased one, n / (n - 1) times larger: on the 1x1 and 2x2 maps of the last levels n is a few dozen and the
     * biased estimate would leave evaluation dividing by a variance 3% to 12% too small. The step is recomputed from
     * the layer's input by one ND4J reduction, whichever path (built-in, cuDNN, oneDNN) DL4J took.
     */
    private void unbiasRunningVariance(Gradient gradient) {
        INDArray x = input;
        int channelAxis = x.rank() == 4 && layerConf().getCnn2DFormat() == CNN2DFormat.NHWC ? 3 : 1;
        long count = x.length() / x.size(channelAxis);
        if (count < 2) {
            return; // no unbiased estimate from one value; DL4J's (a zero variance) stands, as BatchNormRelu6Layer's
        }
        int[] others = new int[x.rank() - 1];
        for (int axis = 0, i = 0; axis < x.rank(); axis++) {
            if (axis != channelAxis) {
                others[i++] = axis;
            }
        }
        INDArray running = getParam(BatchNormalizationParamInitializer.GLOBAL_VAR);
        INDArray batch = x.var(true, others).castTo(running.dataType()).reshape(running.shape());
        INDArray step = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_VAR);
        step.assign(running.sub(batch).muli(1.0 - layerConf().getDecay()));
        gradient.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_VAR, step);
    }

    @Override
    public void clear() {
        super.clear();
        output = null;
    }
}
