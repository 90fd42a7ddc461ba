package org.ssdspark.train.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * PyTorch's SGD written out by hand on a twin network: the twin only computes gradients (DL4J's
 * {@code computeGradientAndScore}); the step is done here, per parameter:
 * {@code g' = g + wd * p; v = m * v + g' (v = g' first); p -= lr * v}. BatchNormalization running statistics
 * are not optimiser parameters in PyTorch: DL4J hands their moving-average change over as a "gradient" that it
 * subtracts as is, and so does this reference.
 */
final class HeavyBallReference {

    static final Set<String> RUNNING_STATS = Set.of("mean", "var", "log10stdev");

    private final ComputationGraph twin;
    private final double momentum;
    private final double weightDecay;
    private final Set<String> undecayed;
    private final Map<String, INDArray> velocity = new LinkedHashMap<>();
    private Map<String, INDArray> lastGradient = Map.of();

    /**
     * @param undecayed parameter names (after the layer prefix) that get no weight decay, besides running stats:
     *                  empty for PyTorch; used to describe DL4J's stock BatchNormalization
     */
    HeavyBallReference(ComputationGraph start, double momentum, double weightDecay, Set<String> undecayed) {
        this.twin = start.clone();
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.undecayed = undecayed;
    }

    void step(DataSet batch, double lr) {
        twin.setInput(0, batch.getFeatures());
        twin.setLabel(0, batch.getLabels());
        twin.computeGradientAndScore();
        Gradient gradient = twin.gradient();
        Map<String, INDArray> grads = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : gradient.gradientForVariable().entrySet()) {
            grads.put(e.getKey(), e.getValue().dup());
        }
        lastGradient = grads;
        for (Map.Entry<String, INDArray> e : grads.entrySet()) {
            String key = e.getKey();
            INDArray p = twin.getParam(key);
            INDArray g = e.getValue().reshape(p.shape());
            String name = key.substring(key.lastIndexOf('_') + 1);
            if (RUNNING_STATS.contains(name)) {
                p.subi(g);
                continue;
            }
            INDArray decayed = undecayed.contains(name) ? g.dup() : g.add(p.mul(weightDecay));
            INDArray v = velocity.get(key);
            v = v == null ? decayed : v.muli(momentum).addi(decayed);
            velocity.put(key, v);
            p.subi(v.mul(lr));
        }
    }

    INDArray param(String key) {
        return twin.getParam(key);
    }

    INDArray velocity(String key) {
        return velocity.get(key);
    }

    INDArray lastGradient(String key) {
        return lastGradient.get(key);
    }

    Set<String> keys() {
        return twin.paramTable().keySet();
    }

    /** Largest absolute difference between the network's parameters and this reference's. */
    double maxAbsDifference(ComputationGraph net) {
        double max = 0;
        for (String key : keys()) {
            double d = net.getParam(key).sub(twin.getParam(key)).amaxNumber().doubleValue();
            max = Math.max(max, d);
        }
        return max;
    }
}
