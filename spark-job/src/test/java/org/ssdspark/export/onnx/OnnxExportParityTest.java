package org.ssdspark.export.onnx;

import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.api.Layer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ssdspark.evaljob.LoadSettings;
import org.ssdspark.evaljob.LoadedModel;
import org.ssdspark.evaljob.ModelSources;
import org.ssdspark.image.EvalPreprocessor;
import org.ssdspark.image.JpegImage;
import org.ssdspark.ssd.BoxCoder;
import org.ssdspark.ssd.DetectionPostProcessor;
import org.ssdspark.ssd.SsdSpec;
import org.ssdspark.testing.ReferenceFiles;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The original's 21-class checkpoint at 300 px, exported to ONNX and run in ONNX Runtime on the reference images (one
 * batch of all four: the batch dimension is dynamic): its scores and boxes against the DL4J graph's (unfolded, float32,
 * softmax and decoding in Java) and against the original's own outputs.
 */
class OnnxExportParityTest {
    private static final int SIDE = 300;
    private static final int CLASSES = 21;
    private static LoadedModel model;
    private static OnnxModel onnx;
    private static OnnxRunner runner;

    @BeforeAll
    static void export() throws Exception {
        model = ModelSources.load(ReferenceFiles.checkpoint("mb2-ssd-lite-21.pth").toString(), LoadSettings.defaults(),
                new Configuration());
        onnx = OnnxExport.of(model.graph(), model.config(), model.classes(), model.description());
        runner = new OnnxRunner(onnx.bytes());
        System.out.println("ONNX model: " + onnx.bytes().length + " bytes, " + onnx.describe() + ", " + onnx.opTypes());
    }

    @AfterAll
    static void close() throws Exception {
        runner.close();
    }

    @Test
    void scoresAndBoxesMatchTheDl4jGraphTo1em4() throws Exception {
        List<Path> images = ReferenceFiles.images();
        EvalPreprocessor pre = new EvalPreprocessor(SIDE);
        int n = pre.imageLength();
        float[] batch = new float[images.size() * n];
        for (int i = 0; i < images.size(); i++) {
            Path file = images.get(i);
            pre.applyInto(new JpegImage(ReferenceFiles.stem(file), ReferenceFiles.read(file)), batch, i * n);
        }
        OnnxRunner.Outputs out = runner.run(batch, images.size(), SIDE);
        BoxCoder coder = BoxCoder.of(SsdSpec.reference300());
        int priors = coder.numPriors();
        assertArrayEquals(new long[]{images.size(), priors, CLASSES}, out.scoresShape());
        assertArrayEquals(new long[]{images.size(), priors, 4}, out.boxesShape());

        INDArray dl4j = model.graph().outputSingle(false, Nd4j.create(batch, new long[]{images.size(), 3, SIDE, SIDE}, 'c'));
        float[][] rows = dl4j.castTo(DataType.FLOAT).toFloatMatrix();
        double worstScore = 0;
        double worstBox = 0;
        for (int i = 0; i < images.size(); i++) {
            String stem = ReferenceFiles.stem(images.get(i));
            float[] scores = DetectionPostProcessor.softmax(Arrays.copyOfRange(rows[i], 0, priors * CLASSES), CLASSES);
            float[] boxes = coder.decode(Arrays.copyOfRange(rows[i], priors * CLASSES, priors * (CLASSES + 4)));
            float[] onnxScores = Arrays.copyOfRange(out.scores(), i * priors * CLASSES, (i + 1) * priors * CLASSES);
            float[] onnxBoxes = Arrays.copyOfRange(out.boxes(), i * priors * 4, (i + 1) * priors * 4);
            double dScore = maxAbsDiff(onnxScores, scores);
            double dBox = maxAbsDiff(onnxBoxes, boxes);
            double refScore = maxAbsDiff(onnxScores, ReferenceFiles.floats("outputs/" + stem + ".scores.npy"));
            double refBox = maxAbsDiff(onnxBoxes, ReferenceFiles.floats("outputs/" + stem + ".boxes.npy"));
            System.out.printf("ONNX vs DL4J, %s: max |score diff| %.2e, max |box diff| %.2e; ONNX vs the original:"
                    + " %.2e, %.2e%n", stem, dScore, dBox, refScore, refBox);
            worstScore = Math.max(worstScore, dScore);
            worstBox = Math.max(worstBox, dBox);
            assertTrue(dScore <= 1e-4, stem + " scores differ from DL4J's by " + dScore);
            assertTrue(dBox <= 1e-4, stem + " boxes differ from DL4J's by " + dBox);
            assertTrue(refScore <= 1e-4, stem + " scores differ from the original's by " + refScore);
            assertTrue(refBox <= 1e-4, stem + " boxes differ from the original's by " + refBox);
        }
        System.out.printf("ONNX vs DL4J over %d images: max |score diff| %.2e, max |box diff| %.2e%n", images.size(),
                worstScore, worstBox);

        // one image alone gives its row of the batch
        OnnxRunner.Outputs single = runner.run(Arrays.copyOf(batch, n), 1, SIDE);
        assertTrue(maxAbsDiff(single.scores(), Arrays.copyOf(out.scores(), priors * CLASSES)) <= 1e-6);
        assertTrue(maxAbsDiff(single.boxes(), Arrays.copyOf(out.boxes(), priors * 4)) <= 1e-6);
    }

    @Test
    void theModelDeclaresItsInterfaceAndHoldsFoldedConvolutions() throws Exception {
        assertEquals(Map.of("input", "FLOAT [-1, 3, 300, 300]", "scores", "FLOAT [-1, 3000, 21]",
                "boxes", "FLOAT [-1, 3000, 4]"), runner.declaredShapes());
        String labels = runner.metadata().get(OnnxExport.LABELS_KEY);
        assertTrue(labels.startsWith("BACKGROUND\naeroplane\nbicycle\n") && labels.endsWith("\ntvmonitor"), labels);
        assertEquals(21, labels.lines().count());

        assertEquals(13, onnx.opset());
        assertEquals(Set.of("Conv", "Clip", "Add", "Transpose", "Reshape", "Concat", "Slice", "Softmax", "Mul", "Exp",
                "Div", "Sub"), onnx.opTypes().keySet(), "no BatchNormalization: folded into the convolutions");
        long convolutions = Arrays.stream(model.graph().getLayers()).map(Layer::conf)
                .filter(c -> c.getLayer() instanceof ConvolutionLayer).count();
        assertEquals(convolutions, (long) onnx.opTypes().get("Conv"));
        assertEquals(10, onnx.opTypes().get("Add") - 2, "residual adds (plus 2 in the box decoding)");
        assertFalse(onnx.opTypes().containsKey("BatchNormalization"));
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length, "lengths");
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
