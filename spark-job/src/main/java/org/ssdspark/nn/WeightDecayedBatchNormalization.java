package org.ssdspark.nn;

import java.util.List;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * DL4J's BatchNormalization with its regularization switched on for gamma and beta.
 *
 * <p>DL4J's {@code BatchNormalization.getRegularizationByParam} returns null for every parameter, so
 * {@code .l2(wd)} never reaches gamma and beta. The reference passes {@code net.parameters()} to
 * {@code torch.optim.SGD(weight_decay=5e-4)}, which decays them too (and every bias). Here gamma takes the
 * layer's weight regularization and beta its bias regularization, both inherited from the network's
 * {@code .l2(wd).l2Bias(wd)}. The running mean and variance (or log10 std) stay unregularized and keep
 * DL4J's NoOp updater: the layer itself moves them by its moving average.
 *
 * <p>Everything else, forward and backward included, is the parent's; DL4J's JSON names the class, so a
 * saved configuration restores to this class. Checkpoints written before issue 15 name it
 * {@code org.ssdspark.train.optim.WeightDecayedBatchNormalization}, a former name kept by an empty class there
 * (see {@link MovedClassDeserializer}).
 */
public class WeightDecayedBatchNormalization extends BatchNormalization {

    private static final long serialVersionUID = 1L;

    /** For JSON deserialisation; use {@link #of(BatchNormalization)} to convert a configured layer. */
    public WeightDecayedBatchNormalization() {
        super();
    }

    /** A copy of {@code layer} (every configuration field) that decays gamma and beta. */
    public static WeightDecayedBatchNormalization of(BatchNormalization layer) {
        WeightDecayedBatchNormalization copy = new WeightDecayedBatchNormalization();
        copyFields(layer, copy);
        return copy;
    }

    /**
     * Replaces every plain BatchNormalization layer of a built graph configuration (before
     * {@code ComputationGraph.init()}) with this class.
     *
     * @return how many layers were replaced
     */
    public static int replaceIn(ComputationGraphConfiguration configuration) {
        int replaced = 0;
        for (GraphVertex vertex : configuration.getVertices().values()) {
            if (vertex instanceof LayerVertex layerVertex
                    && layerVertex.getLayerConf().getLayer() instanceof BatchNormalization bn
                    && !(bn instanceof WeightDecayedBatchNormalization)) {
                layerVertex.getLayerConf().setLayer(of(bn));
                replaced++;
            }
        }
        return replaced;
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return switch (paramName) {
            case BatchNormalizationParamInitializer.GAMMA -> regularization;
            case BatchNormalizationParamInitializer.BETA -> regularizationBias;
            default -> null;
        };
    }

    @Override
    public WeightDecayedBatchNormalization clone() {
        return (WeightDecayedBatchNormalization) super.clone();
    }

    // The parent's constructor from its builder is private and its fields span four classes, some without
    // setters: copying the declared instance fields up the hierarchy keeps every setting, present and future.
    private static void copyFields(BatchNormalization from, BatchNormalization to) {
        LayerConfigs.copyFields(BatchNormalization.class, from, to);
    }
}
