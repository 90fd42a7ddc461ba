package org.ssdspark.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * The original's initialisation steps that a DL4J layer configuration cannot express, applied to an initialised
 * graph. The configuration already draws the weights: MobileNetV2's normal initialisation for the backbone and
 * PyTorch's Conv2d default for extras and heads ({@link ConvInit}). What is left:
 * <ul>
 *   <li>{@link #torchDefaultBiases}: every convolution bias (the heads' only) uniform in +-1/sqrt(fan_in), as PyTorch's
 *       Conv2d leaves it; DL4J can only set a constant bias;</li>
 *   <li>{@link #xavierExtrasAndHeads}: {@code init_from_base_net}, after the base net is loaded, re-draws the weights
 *       of extras and heads with {@code xavier_uniform_} and leaves their biases as they are.</li>
 * </ul>
 * Each tensor is drawn from its own stream, seeded by the network seed and the tensor's name, so a run is repeatable.
 */
public final class ReferenceInitialisation {

    private ReferenceInitialisation() {
    }

    /** Convolution biases uniform in +-1/sqrt(fan_in), fan_in = in/groups * kH * kW of the bias's weight. */
    public static void torchDefaultBiases(ComputationGraph graph, long seed) {
        Map<String, SsdLiteWeightImporter.Slot> slots = SsdLiteWeightImporter.slots(graph);
        for (SsdLiteWeightImporter.Slot slot : slots.values()) {
            if (!"b".equals(slot.param())) {
                continue;
            }
            String weightKey = slot.key().substring(0, slot.key().length() - "bias".length()) + "weight";
            long[] w = slots.get(weightKey).torchShape();
            double bound = 1.0 / Math.sqrt((double) w[1] * w[2] * w[3]);
            fillUniform(slot.target(), bound, seed, slot.key());
        }
    }

    /** {@code xavier_uniform_} on the convolution weights of extras and heads: +-sqrt(6 / (fan_in + fan_out)). */
    public static void xavierExtrasAndHeads(ComputationGraph graph, long seed) {
        for (SsdLiteWeightImporter.Slot slot : SsdLiteWeightImporter.slots(graph).values()) {
            if (!"W".equals(slot.param()) || slot.key().startsWith(MobileNetV2SsdLite.BASE_NET + ".")) {
                continue;
            }
            long[] w = slot.torchShape();
            double receptive = (double) w[2] * w[3];
            double bound = Math.sqrt(6.0 / (w[1] * receptive + w[0] * receptive));
            fillUniform(slot.target(), bound, seed, slot.key());
        }
    }

    private static void fillUniform(INDArray target, double bound, long seed, String name) {
        SplittableRandom random = new SplittableRandom(seed * 31 + name.hashCode());
        double[] values = new double[(int) target.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (2 * random.nextDouble() - 1) * bound;
        }
        target.assign(Nd4j.create(values, target.shape(), 'c').castTo(target.dataType()));
    }
}
