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
    /** {@code init_from_base_net}: xavier_uniform_ on extras and heads. */
    XAVIER_UNIFORM {
        @Override
        Distribution distribution(int inPerGroup, int out, int kernel) {
            double fanIn = (double) inPerGroup * kernel * kernel;
            double fanOut = (double) out * kernel * kernel;
            double bound = Math.sqrt(6.0 / (fanIn + fanOut));
            return new UniformDistribution(-bound, bound);
        }
    };

    abstract Distribution distribution(int inPerGroup, int out, int kernel);
}
