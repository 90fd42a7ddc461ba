package org.ssdspark.bench;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ssdspark.image.EvalPreprocessor;
import org.ssdspark.image.JpegImage;
import org.ssdspark.ssd.BoxCoder;
import org.ssdspark.ssd.DetectionPostProcessor;

import java.util.ArrayList;
import java.util.List;

/**
 * What serving one batch of JPEG files costs: decode and resize ({@link EvalPreprocessor}), the forward pass, then
 * per image softmax, box decoding and per-class hard NMS ({@link DetectionPostProcessor}) in pixels of the original.
 */
final class InferencePipeline {
    private final ComputationGraph graph;
    private final EvalPreprocessor preprocessor;
    private final BoxCoder coder;
    private final DetectionPostProcessor postProcessor = new DetectionPostProcessor();
    private final int numClasses;

    InferencePipeline(ComputationGraph graph, int imageSize, BoxCoder coder, int numClasses) {
        this.graph = graph;
        this.preprocessor = new EvalPreprocessor(imageSize);
        this.coder = coder;
        this.numClasses = numClasses;
    }

    /** @return the number of detections, so that no step can be optimised away */
    int run(List<JpegImage> images, int[] widths, int[] heights) {
        INDArray input = preprocessor.batch(images);
        INDArray out = graph.outputSingle(false, input);
        float[] all = out.data().asFloat();
        int priors = coder.numPriors();
        int row = priors * (numClasses + 4);
        int detections = 0;
        for (int i = 0; i < images.size(); i++) {
            float[] logits = new float[priors * numClasses];
            float[] regressions = new float[priors * 4];
            System.arraycopy(all, i * row, logits, 0, logits.length);
            System.arraycopy(all, i * row + logits.length, regressions, 0, regressions.length);
            detections += postProcessor.processRaw(logits, regressions, coder, numClasses, widths[i], heights[i]).size();
        }
        return detections;
    }

    static List<JpegImage> cycle(List<JpegImage> images, int batch) {
        List<JpegImage> out = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            out.add(images.get(i % images.size()));
        }
        return out;
    }
}
