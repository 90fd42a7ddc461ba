package org.ssdspark.model;

import org.deeplearning4j.nn.conf.distribution.Distribution;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;

/**
 * Convolution weight initialisation as the reference recipe leaves it, with PyTorch's fan conventions
 * (fan_in = in/groups * k * k, fan_out = out * k * k) rather than DL4J's, which differ for depthwise layers.
 */
public enum ConvInit {
    /** MobileNetV2 {@code _initialize_weights}: normal(0, sqrt(2 / (k * k * out_channels))). */
    MOBILENET_NORMAL {
        @Override
        Distribution distribution(int inPerGroup, int out, int kernel) {
            return new NormalDistribution(0.0, Math.sqrt(2.0 / (kernel * kernel * out)));
        }
    },
    /**
     * PyTorch's {@code Conv2d} default, {@code kaiming_uniform_(a=sqrt(5))}: uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)).
     * What extras and heads keep when the original trains from scratch ({@code train_ssd.py} without a base net
     * calls no init). Its biases are drawn from the same range, and {@code init_from_base_net}'s Xavier weights,
     * by {@link ReferenceInitialisation}.
     */
    TORCH_DEFAULT {
        @Override
        Distribution distribution(int inPerGroup, int out, int kernel) {
            double bound = 1.0 / Math.sqrt((double) inPerGroup * kernel * kernel);
            return new UniformDistribution(-bound, bound);
        }
    };

    abstract Distribution distribution(int inPerGroup, int out, int kernel);
}
