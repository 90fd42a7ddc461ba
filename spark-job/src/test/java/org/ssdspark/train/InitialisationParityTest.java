package org.ssdspark.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ssdspark.model.SsdLiteWeightImporter;
import org.ssdspark.torch.TorchCheckpointReader;
import org.ssdspark.torch.TorchTensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fresh training network is initialised as the original's from-scratch run ({@code train_ssd.py} without a base
 * net): every tensor of ours is drawn from the distribution the reference's {@code init.pth} was drawn from. Compared
 * per tensor by standard deviation, largest magnitude and mean: MobileNetV2's normal initialisation in the backbone,
 * PyTorch's Conv2d default (uniform +-1/sqrt(fan_in), biases too) in extras and heads, BatchNorm 1 and 0.
 */
class InitialisationParityTest {

    /** Sampling spread of a standard deviation estimated from >= 64 values, with room: a 2x wrong scale fails. */
    static final double STD_RATIO_TOLERANCE = 0.35;
    static final int MIN_ELEMENTS = 64;

    @Test
    void everyTensorFollowsTheOriginalsFromScratchDistribution() throws Exception {
        ComputationGraph graph = TrainingJob.trainingNetwork(TrajectoryFixture.CONFIG, TrajectoryFixture.sgd(), 7,
                DataType.DOUBLE);
        Map<String, INDArray> ours = SsdLiteWeightImporter.stateDict(graph);
        Map<String, TorchTensor> reference = TorchCheckpointReader.readStateDict(TrajectoryFixture.dir().resolve("init.pth"));
        List<String> wrong = new ArrayList<>();
        int compared = 0;
        for (Map.Entry<String, INDArray> e : ours.entrySet()) {
            String key = e.getKey();
            double[] mine = e.getValue().dup().data().asDouble();
            double[] theirs = reference.get(key).values();
            assertEquals(theirs.length, mine.length, key);
            if (key.endsWith("running_mean") || key.endsWith("running_var") || isBatchNormAffine(key, ours)) {
                // constants (0, 1): must be equal
                if (!java.util.Arrays.equals(round(theirs), round(mine))) {
                    wrong.add(key + ": BatchNorm constants differ");
                }
                continue;
            }
            double maxOurs = maxAbs(mine);
            double maxTheirs = maxAbs(theirs);
            if (mine.length < MIN_ELEMENTS) {
                // too few values for a spread: the range must agree within the largest sampled value
                if (maxOurs > 1.5 * maxTheirs + 1e-12 || maxOurs == 0 && maxTheirs > 0) {
                    wrong.add(String.format("%s: largest |value| %.4g, the original's %.4g", key, maxOurs, maxTheirs));
                }
                continue;
            }
            compared++;
            double ratio = std(mine) / std(theirs);
            if (Math.abs(ratio - 1) > STD_RATIO_TOLERANCE || maxOurs > 1.25 * maxTheirs * (mine.length < 1000 ? 1.5 : 1)) {
                wrong.add(String.format("%s: std %.4g against the original's %.4g (ratio %.3f), largest |value| %.4g against %.4g",
                        key, std(mine), std(theirs), ratio, maxOurs, maxTheirs));
            }
        }
        System.out.printf("initialisation: %d tensors compared by spread, %d differ%n", compared, wrong.size());
        assertTrue(compared > 80, "compared only " + compared);
        assertTrue(wrong.isEmpty(), "initialisation differs from the original's:\n" + String.join("\n", wrong));
    }

    private static boolean isBatchNormAffine(String key, Map<String, INDArray> ours) {
        String module = key.substring(0, key.lastIndexOf('.'));
        return ours.containsKey(module + ".running_mean");
    }

    private static double[] round(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Math.rint(v[i] * 1e6) / 1e6;
        }
        return r;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static double std(double[] v) {
        double s = 0;
        double s2 = 0;
        for (double x : v) {
            s += x;
            s2 += x * x;
        }
        double mean = s / v.length;
        return Math.sqrt(Math.max(0, s2 / v.length - mean * mean));
    }
}
