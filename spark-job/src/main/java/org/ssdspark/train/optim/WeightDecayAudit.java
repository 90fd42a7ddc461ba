package org.ssdspark.train.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * Which parameters of a network the optimiser treats as PyTorch's SGD would: learned (an updater other than
 * NoOp) and L2-regularized with the expected coefficient. A trainer calls {@link #untreated} once before
 * training so that a plain BatchNormalization, a layer-level updater override or a missing {@code l2Bias}
 * fails loudly instead of training a different model.
 */
public final class WeightDecayAudit {

    private WeightDecayAudit() {
    }

    /** One parameter: its {@code layer_param} key, size, updater and regularization. */
    public record ParamTreatment(String key, long length, IUpdater updater, List<Regularization> regularization) {

        public boolean learned() {
            return !(updater instanceof NoOp);
        }

        /** The summed L2 coefficient at the given epoch (0 when none). */
        public double l2At(int epoch) {
            double sum = 0;
            if (regularization != null) {
                for (Regularization r : regularization) {
                    if (r instanceof L2Regularization l2) {
                        sum += l2.getL2().valueAt(0, epoch);
                    }
                }
            }
            return sum;
        }
    }

    /** Every parameter of the graph in the order of its flattened parameter vector. */
    public static List<ParamTreatment> treatments(ComputationGraph graph) {
        List<ParamTreatment> out = new ArrayList<>();
        for (Layer layer : graph.getLayers()) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            for (Map.Entry<String, org.nd4j.linalg.api.ndarray.INDArray> e : layer.paramTable().entrySet()) {
                String param = e.getKey();
                out.add(new ParamTreatment(conf.getLayerName() + "_" + param, e.getValue().length(),
                        conf.getUpdaterByParam(param), conf.getRegularizationByParam(param)));
            }
        }
        return out;
    }

    /**
     * Keys of learned parameters whose updater is not {@link SgdMomentum} or whose L2 coefficient is not
     * {@code weightDecay}; empty when the whole network trains as the reference does.
     */
    public static List<String> untreated(ComputationGraph graph, double weightDecay) {
        List<String> bad = new ArrayList<>();
        for (ParamTreatment t : treatments(graph)) {
            if (t.learned() && (!(t.updater() instanceof SgdMomentum) || t.l2At(0) != weightDecay)) {
                bad.add(t.key());
            }
        }
        return bad;
    }

    /** Parameters the optimiser moves: the length of {@link SgdMomentum}'s state. */
    public static long learnedParameterCount(ComputationGraph graph) {
        long n = 0;
        for (ParamTreatment t : treatments(graph)) {
            if (t.learned()) {
                n += t.length();
            }
        }
        return n;
    }
}
