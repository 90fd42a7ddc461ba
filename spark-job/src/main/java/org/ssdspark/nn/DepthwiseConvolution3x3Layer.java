package org.ssdspark.nn;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The layer of {@link DepthwiseConvolution3x3}: forward and backward are libnd4j's {@code depthwise_conv2d} ops called
 * on the activations as they are ({@link Conv2dOps}). Measured at batch 8 on mb2-ssd-lite's depthwise shapes, the bare
 * oneDNN ops took 137 ms forward and 184 ms backward in all, where DL4J's layer around the same forward op took about
 * twice that and a Java backward per channel 300 ms.
 */
public class DepthwiseConvolution3x3Layer extends DirectConvolutionLayer {

    public DepthwiseConvolution3x3Layer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    protected Conv2dOps ops() {
        return Conv2dOps.depthwise(3, layerConf().getStride()[0], 1);
    }

    /** Depth multiplier 1: as many output channels as input ones. */
    @Override
    protected long outputChannels() {
        return layerConf().getNIn();
    }
}
