package org.ssdspark.train;

import com.fasterxml.jackson.databind.JsonNode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.ssdspark.ssd.MultiBoxLoss;
import org.ssdspark.model.MobileNetV2SsdLite;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trajectory A of the reference (one process, batch 16, two SGD steps) through this project's own training step:
 * the training job's network in float64, DL4J's fit with the MultiBox loss, SgdMomentum, L2 as weight decay, and
 * the BatchNorm layers' running statistics. Every tensor after each step is compared with the original's.
 */
class TrajectoryParityTest {

    /** float64 on both sides: what is left is summation order, amplified by BatchNorm backward on near-constant channels. */
    static final double WEIGHT_TOLERANCE = 1e-9;
    static final double STATISTICS_TOLERANCE = 1e-9;
    static final double MOMENTUM_TOLERANCE = 1e-7;
    static final double EVAL_SCORE_TOLERANCE = 1e-9;
    static final double EVAL_BOX_TOLERANCE = 1e-6;
    /** Step 2's loss sees step 1's weights, which differ by up to ~1e-10: it moves by a few 1e-9. */
    static final double LOSS_TOLERANCE = 1e-8;

    @Test
    void twoStepsOfOneProcessMatchTheOriginalTensorByTensor() throws Exception {
        ComputationGraph graph = TrajectoryFixture.initialNetwork();
        // the original's states: before any step (init.pth, as imported), after step 1, after step 2
        List<Map<String, INDArray>> reference = List.of(TrajectoryFixture.state(graph),
                TrajectoryFixture.npz("A_step_1.npz"), TrajectoryFixture.npz("A_step_2.npz"));
        Set<String> learned = TrajectoryFixture.momentum(graph).keySet();
        JsonNode losses = TrajectoryFixture.json("A_losses.json").get("losses");
        for (int step = 1; step <= 2; step++) {
            if (step > 1) {
                // Each step starts from the original's own state after the previous one (weights, running statistics,
                // momentum): the comparison measures one step's arithmetic, not rounding amplified across steps.
                TrajectoryFixture.load(graph, reference.get(step - 1));
                TrajectoryFixture.setMomentum(graph,
                        TrajectoryFixture.momentumBetween(reference.get(step - 2), reference.get(step - 1), learned));
            }
            MultiDataSet batch = TrajectoryFixture.batch(2 * (step - 1), 2 * (step - 1) + 1);
            MultiBoxLoss.Terms terms = new MultiBoxLoss().terms(batch.getLabels(0),
                    graph.feedForward(batch.getFeatures(0), true).get(MobileNetV2SsdLite.PREDICTIONS));
            graph.fit(batch);
            JsonNode expected = losses.get(step - 1);
            assertEquals(expected.get("regression").asDouble(), terms.regression(), LOSS_TOLERANCE, "regression, step " + step);
            assertEquals(expected.get("classification").asDouble(), terms.classification(), LOSS_TOLERANCE,
                    "classification, step " + step);

            Map<String, INDArray> after = TrajectoryFixture.state(graph);
            TrajectoryFixture.Difference weights = TrajectoryFixture.compare(reference.get(step), after, "",
                    n -> !TrajectoryFixture.isRunningStatistic(n));
            TrajectoryFixture.Difference statistics = TrajectoryFixture.compare(reference.get(step), after, "",
                    TrajectoryFixture::isRunningStatistic);
            TrajectoryFixture.Difference momentum = TrajectoryFixture.compare(
                    TrajectoryFixture.momentumBetween(reference.get(step - 1), reference.get(step), learned),
                    TrajectoryFixture.momentum(graph), "", n -> true);
            System.out.printf("trajectory A step %d: weights %s; running statistics %s; momentum %s%n", step, weights,
                    statistics, momentum);
            assertTrue(weights.max() <= WEIGHT_TOLERANCE, "step " + step + " weights: " + weights);
            assertTrue(statistics.max() <= STATISTICS_TOLERANCE, "step " + step + " running statistics: " + statistics);
            assertTrue(momentum.max() <= MOMENTUM_TOLERANCE, "step " + step + " momentum: " + momentum);
        }
        evalModeOutputsMatch(graph);
    }

    /** After A's two steps, the eval-mode network (running statistics) on batch 0: softmax scores and decoded boxes. */
    private static void evalModeOutputsMatch(ComputationGraph graph) throws Exception {
        Map<String, INDArray> reference = TrajectoryFixture.npz("A_eval.npz");
        MultiDataSet batch = TrajectoryFixture.batch(0);
        INDArray out = graph.outputSingle(false, batch.getFeatures(0));
        int numClasses = TrajectoryFixture.CONFIG.numClasses();
        org.ssdspark.ssd.SsdSpec spec = org.ssdspark.ssd.SsdSpec.forImageSize(TrajectoryFixture.CONFIG.imageSize());
        org.ssdspark.ssd.BoxCoder coder = org.ssdspark.ssd.BoxCoder.of(spec);
        int priors = coder.numPriors();
        INDArray scores = reference.get("scores");
        INDArray boxes = reference.get("boxes");
        double scoreDiff = 0;
        double boxDiff = 0;
        for (int b = 0; b < out.size(0); b++) {
            double[] row = out.getRow(b).toDoubleVector();
            for (int p = 0; p < priors; p++) {
                // softmax in double here: DetectionPostProcessor.softmax works in float, 1e-7 from the original
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < numClasses; c++) {
                    max = Math.max(max, row[p * numClasses + c]);
                }
                double z = 0;
                for (int c = 0; c < numClasses; c++) {
                    z += Math.exp(row[p * numClasses + c] - max);
                }
                for (int c = 0; c < numClasses; c++) {
                    double mine = Math.exp(row[p * numClasses + c] - max) / z;
                    scoreDiff = Math.max(scoreDiff, Math.abs(mine - scores.getDouble(b, p, c)));
                }
            }
            float[] regressions = new float[4 * priors];
            for (int i = 0; i < regressions.length; i++) {
                regressions[i] = (float) row[priors * numClasses + i];
            }
            float[] decoded = coder.decode(regressions);
            for (int p = 0; p < priors; p++) {
                for (int k = 0; k < 4; k++) {
                    boxDiff = Math.max(boxDiff, Math.abs(decoded[4 * p + k] - boxes.getDouble(b, p, k)));
                }
            }
        }
        System.out.printf("trajectory A eval mode: scores max |diff| %.3e, boxes max |diff| %.3e%n", scoreDiff, boxDiff);
        assertTrue(scoreDiff <= EVAL_SCORE_TOLERANCE, "A_eval scores differ by " + scoreDiff);
        // boxes are decoded in float32 by the project's BoxCoder (as in evaluation): float rounding of values near 1
        assertTrue(boxDiff <= EVAL_BOX_TOLERANCE, "A_eval boxes differ by " + boxDiff);
    }
}
