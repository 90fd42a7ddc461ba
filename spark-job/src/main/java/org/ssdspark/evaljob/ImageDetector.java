package org.ssdspark.evaljob;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ssdspark.image.EvalPreprocessor;
import org.ssdspark.image.ImageDecoder;
import org.ssdspark.image.RgbImage;
import org.ssdspark.image.UndecodableImageException;
import org.ssdspark.model.FeatureMapSizes;
import org.ssdspark.model.SsdLiteConfig;
import org.ssdspark.ssd.BoxCoder;
import org.ssdspark.ssd.Detection;
import org.ssdspark.ssd.DetectionPostProcessor;
import org.ssdspark.ssd.SsdSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The reference's {@code Predictor.predict} for a batch of images: decode (OpenCV, RGB), resize to the network's
 * side and normalise ({@link EvalPreprocessor}), one forward pass for the batch, then per image softmax, box
 * decoding, per-class hard NMS and scaling to the original image's size ({@link DetectionPostProcessor}).
 */
final class ImageDetector {
    private final ComputationGraph graph;
    private final int numClasses;
    private final int numPriors;
    private final EvalPreprocessor preprocessor;
    private final BoxCoder coder;
    private final DetectionPostProcessor post;
    private final DataType dataType;

    ImageDetector(ComputationGraph graph, SsdLiteConfig config, DetectionPostProcessor post) {
        SsdSpec spec = SsdSpec.forImageSize(config.imageSize());
        if (spec.numPriors() != FeatureMapSizes.numPriors(config)) {
            throw new IllegalStateException("the prior table for " + config.imageSize() + " px has " + spec.numPriors()
                    + " priors but the network predicts " + FeatureMapSizes.numPriors(config));
        }
        this.graph = graph;
        this.numClasses = config.numClasses();
        this.numPriors = spec.numPriors();
        this.preprocessor = new EvalPreprocessor(config.imageSize());
        this.coder = BoxCoder.of(spec);
        this.post = post;
        this.dataType = graph.params().dataType();
    }

    List<ImageResult> detect(List<EvalSample> batch) {
        int n = preprocessor.imageLength();
        float[] input = new float[batch.size() * n];
        int[][] sizes = new int[batch.size()][];
        String[] failures = new String[batch.size()];
        int decoded = 0;
        int[] slot = new int[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            EvalSample s = batch.get(i);
            try (RgbImage rgb = ImageDecoder.decode(s.id(), s.jpeg())) {
                preprocessor.applyInto(rgb, input, decoded * n);
                sizes[i] = new int[]{rgb.width(), rgb.height()};
                slot[i] = decoded++;
            } catch (UndecodableImageException e) {
                failures[i] = e.getMessage();
                slot[i] = -1;
            }
        }
        float[][] outputs = decoded == 0 ? new float[0][] : forward(Arrays.copyOf(input, decoded * n), decoded);
        List<ImageResult> results = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            EvalSample s = batch.get(i);
            if (slot[i] < 0) {
                results.add(new ImageResult(s.id(), s.order(), 0, 0, new float[0], s.objects(), failures[i]));
                continue;
            }
            float[] row = outputs[slot[i]];
            float[] logits = Arrays.copyOfRange(row, 0, numPriors * numClasses);
            float[] regressions = Arrays.copyOfRange(row, numPriors * numClasses, row.length);
            List<Detection> detections = post.processRaw(logits, regressions, coder, numClasses, sizes[i][0], sizes[i][1]);
            results.add(new ImageResult(s.id(), s.order(), sizes[i][0], sizes[i][1], pack(detections), s.objects(), null));
        }
        return results;
    }

    private float[][] forward(float[] input, int images) {
        int side = preprocessor.size();
        INDArray x = Nd4j.create(input, new long[]{images, 3, side, side}, 'c');
        if (dataType != DataType.FLOAT) {
            x = x.castTo(dataType);
        }
        INDArray out = graph.outputSingle(false, x);
        long expected = (long) numPriors * (numClasses + 4);
        if (out.size(1) != expected) {
            throw new IllegalStateException("the network's output has " + out.size(1) + " values per image, expected "
                    + expected + " (" + numPriors + " priors x (" + numClasses + " classes + 4))");
        }
        return out.castTo(DataType.FLOAT).toFloatMatrix();
    }

    private static float[] pack(List<Detection> detections) {
        float[] packed = new float[detections.size() * ImageResult.STRIDE];
        int k = 0;
        for (Detection d : detections) {
            packed[k++] = d.label();
            packed[k++] = d.score();
            packed[k++] = d.xMin();
            packed[k++] = d.yMin();
            packed[k++] = d.xMax();
            packed[k++] = d.yMax();
        }
        return packed;
    }
}
