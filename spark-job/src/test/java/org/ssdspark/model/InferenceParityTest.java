package org.ssdspark.model;

import org.ssdspark.testing.ReferenceFiles;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ssdspark.nn.BatchNormFolding;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.ssdspark.image.EvalPreprocessor;
import org.ssdspark.image.JpegImage;
import org.ssdspark.ssd.BoxCoder;
import org.ssdspark.ssd.DetectionPostProcessor;
import org.ssdspark.ssd.SsdSpec;
import org.ssdspark.torch.TorchCheckpointReader;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole inference path from the JPEG files, against the reference's per-prior softmax scores and decoded
 * boxes: decode + resize (OpenCV), the imported network in float32, softmax and box decoding.
 */
class InferenceParityTest {
    private static final String[] STEMS = {"000401", "000402", "gun", "readme_ssd_example"};
    private static final SsdLiteConfig VOC = SsdLiteConfig.of(21);
    static ComputationGraph graph;

    @BeforeAll
    static void importReference() throws IOException {
        graph = MobileNetV2SsdLite.build(VOC, new LossMSE());
        SsdLiteWeightImporter.importStateDict(graph,
                TorchCheckpointReader.readStateDict(ReferenceFiles.resolve("checkpoints/mb2-ssd-lite-21.pth")));
    }

    @Test
    void scoresAndBoxesFromTheJpegFilesMatchTheReferenceTo1em4() throws IOException {
        assertMatchesReference(graph, "graph");
    }

    /** The inference copy with every BatchNorm folded into its convolution (what evaluation runs). */
    @Test
    void theFoldedGraphMatchesTheReferenceTo1em4() throws IOException {
        assertMatchesReference(BatchNormFolding.fold(graph), "folded graph");
    }

    private static void assertMatchesReference(ComputationGraph graph, String which) throws IOException {
        EvalPreprocessor pre = new EvalPreprocessor();
        BoxCoder coder = BoxCoder.of(SsdSpec.reference300());
        int priors = coder.numPriors();
        for (String stem : STEMS) {
            byte[] jpeg = Files.readAllBytes(ReferenceFiles.resolve("images/" + stem + ".jpg"));
            float[] input = pre.apply(new JpegImage(stem, jpeg));
            INDArray out = graph.output(false, Nd4j.create(input, new long[]{1, 3, 300, 300}, 'c'))[0];
            float[] all = out.data().asFloat();
            float[] logits = Arrays.copyOfRange(all, 0, priors * 21);
            float[] loc = Arrays.copyOfRange(all, priors * 21, priors * 25);
            float[] scores = DetectionPostProcessor.softmax(logits, 21);
            float[] boxes = coder.decode(loc);
            float[] refScores = npy("outputs/" + stem + ".scores.npy");
            float[] refBoxes = npy("outputs/" + stem + ".boxes.npy");
            double dScore = maxAbsDiff(scores, refScores);
            double dBox = maxAbsDiff(boxes, refBoxes);
            System.out.printf("%s, %s: max |score diff| %.2e, max |box diff| %.2e (relative to the image)%n",
                    which, stem, dScore, dBox);
            // README: within 6e-5 (measured 4.4e-5 and 5.4e-5: float32 rounding of both implementations)
            assertTrue(dScore <= 6e-5, stem + " scores differ by " + dScore);
            assertTrue(dBox <= 6e-5, stem + " boxes differ by " + dBox);
        }
    }

    private static float[] npy(String relative) {
        return Nd4j.createFromNpyFile(ReferenceFiles.resolve(relative).toFile()).data().asFloat();
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("length " + a.length + " vs " + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
