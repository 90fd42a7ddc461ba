package org.ssdspark.ssd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class MultiBoxLossTest {

    private static final IActivation IDENTITY = Activation.IDENTITY.getActivationFunction();

    @Test
    void termsAndGradientMatchTheReference() throws Exception {
        LossReference ref = new LossReference();
        INDArray pre = Nd4j.create(LossReference.preOutput());
        INDArray labels = Nd4j.create(LossReference.labels());
        MultiBoxLoss loss = new MultiBoxLoss();
        // README: loss terms and their gradients within 2e-7 relative (measured 1.4e-7 and 9.5e-8: float32 sums)
        final double rel = 2e-7;

        MultiBoxLoss.Terms terms = loss.terms(labels, pre);
        double regRel = Math.abs(terms.regression() - ref.regressionLoss()) / ref.regressionLoss();
        double clsRel = Math.abs(terms.classification() - ref.classificationLoss()) / ref.classificationLoss();
        System.out.printf("loss terms: regression %.9f (ref %.9f, rel %.2e), classification %.9f (ref %.9f, rel %.2e),"
                        + " positives %d%n", terms.regression(), ref.regressionLoss(), regRel,
                terms.classification(), ref.classificationLoss(), clsRel, terms.numPositives());
        assertEquals(ref.numPositives(), terms.numPositives());
        assertTrue(regRel < rel, "regression rel err " + regRel);
        assertTrue(clsRel < rel, "classification rel err " + clsRel);

        double total = ref.regressionLoss() + ref.classificationLoss();
        assertEquals(total, loss.computeScore(labels, pre, IDENTITY, null, false), total * 1e-5);
        assertEquals(total / 4, loss.computeScore(labels, pre, IDENTITY, null, true), total * 1e-5);
        assertEquals(total, loss.computeScoreArray(labels, pre, IDENTITY, null).sumNumber().doubleValue(), total * 1e-5);

        INDArray grad = loss.computeGradient(labels, pre, IDENTITY, null);
        assertEquals(DataType.FLOAT, grad.dataType());
        float[][] expected = LossReference.gradient();
        double[][] actual = grad.toDoubleMatrix();
        int classWidth = LossReference.PRIORS * LossReference.CLASSES;
        double[] maxDiff = new double[2];
        double[] maxRef = new double[2];
        for (int b = 0; b < expected.length; b++) {
            for (int i = 0; i < expected[b].length; i++) {
                int part = i < classWidth ? 0 : 1;
                maxDiff[part] = Math.max(maxDiff[part], Math.abs(actual[b][i] - expected[b][i]));
                maxRef[part] = Math.max(maxRef[part], Math.abs(expected[b][i]));
            }
        }
        double confRel = maxDiff[0] / maxRef[0];
        double locRel = maxDiff[1] / maxRef[1];
        System.out.printf("gradient max|diff|/max|ref|: confidence %.2e (max|ref| %.4f), locations %.2e (max|ref| %.4f)%n",
                confRel, maxRef[0], locRel, maxRef[1]);
        assertTrue(confRel < rel, "confidence gradient " + confRel);
        assertTrue(locRel < rel, "location gradient " + locRel);

        var pair = loss.computeGradientAndScore(labels, pre, IDENTITY, null, false);
        assertEquals(total, pair.getFirst(), total * 1e-5);
        assertEquals(0, pair.getSecond().sub(grad).amaxNumber().doubleValue(), 0);
    }

    @Test
    void gradientMatchesFiniteDifferencesInDouble() {
        int batch = 2;
        int priors = 16;
        int classes = 3;
        Random rnd = new Random(42);
        double[][] pre = new double[batch][priors * (classes + 4)];
        double[][] lab = new double[batch][priors * 5];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < pre[b].length; i++) {
                pre[b][i] = rnd.nextGaussian() * 1.5;
            }
            for (int p = 0; p < priors; p++) {
                for (int k = 0; k < 4; k++) {
                    lab[b][priors + 4 * p + k] = rnd.nextGaussian() * 1.5;
                }
            }
        }
        lab[0][3] = 1;
        lab[0][9] = 2;
        lab[1][5] = 2; // 2 + 1 positives: 6 of 14 and 3 of 15 negatives mined
        INDArray labels = Nd4j.create(lab);
        INDArray x = Nd4j.create(pre);
        MultiBoxLoss loss = new MultiBoxLoss();
        INDArray grad = loss.computeGradient(labels, x, IDENTITY, null);
        assertEquals(DataType.DOUBLE, grad.dataType());

        double h = 1e-6;
        double maxDiff = 0;
        double maxGrad = 0;
        int nonZero = 0;
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < pre[b].length; i++) {
                double keep = x.getDouble(b, i);
                x.putScalar(b, i, keep + h);
                double up = loss.computeScore(labels, x, IDENTITY, null, false);
                x.putScalar(b, i, keep - h);
                double down = loss.computeScore(labels, x, IDENTITY, null, false);
                x.putScalar(b, i, keep);
                double numeric = (up - down) / (2 * h);
                double analytic = grad.getDouble(b, i);
                maxDiff = Math.max(maxDiff, Math.abs(numeric - analytic));
                maxGrad = Math.max(maxGrad, Math.abs(analytic));
                if (analytic != 0) {
                    nonZero++;
                }
            }
        }
        System.out.printf("finite differences: max|diff| %.2e, max|grad| %.3f, %d non-zero entries%n",
                maxDiff, maxGrad, nonZero);
        // positives 3 (x 3 classes + 4 locations) plus 9 mined negatives (x 3 classes)
        assertEquals(3 * 7 + 9 * 3, nonZero);
        assertTrue(maxDiff < 1e-7, "max |numeric - analytic| " + maxDiff);
    }

    @Test
    void perExampleMaskDropsAnImage() throws Exception {
        INDArray pre = Nd4j.create(LossReference.preOutput());
        INDArray labels = Nd4j.create(LossReference.labels());
        MultiBoxLoss loss = new MultiBoxLoss();
        INDArray mask = Nd4j.create(new float[][]{{1}, {0}, {1}, {1}});
        double masked = loss.computeScore(labels, pre, IDENTITY, mask, false);
        double keptOnly = loss.computeScore(
                Nd4j.concat(0, labels.getRow(0, true), labels.getRow(2, true), labels.getRow(3, true)),
                Nd4j.concat(0, pre.getRow(0, true), pre.getRow(2, true), pre.getRow(3, true)), IDENTITY, null, false);
        assertEquals(keptOnly, masked, 1e-9 * keptOnly);
        assertEquals(0, loss.computeGradient(labels, pre, IDENTITY, mask).getRow(1).amaxNumber().doubleValue(), 0);
    }

    @Test
    void noPositivesGivesZeroLossNotNaN() {
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 2, 4 * 5);
        INDArray pre = Nd4j.rand(DataType.FLOAT, 2, 4 * (3 + 4));
        MultiBoxLoss loss = new MultiBoxLoss();
        assertEquals(0, loss.computeScore(labels, pre, IDENTITY, null, false), 0);
        assertEquals(0, loss.computeGradient(labels, pre, IDENTITY, null).amaxNumber().doubleValue(), 0);
    }

    private static ComputationGraphConfiguration graphWithLoss(int width, MultiBoxLoss lossFn) {
        return new NeuralNetConfiguration.Builder()
                .miniBatch(false)
                .dataType(DataType.FLOAT)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.feedForward(width))
                .addLayer("multibox", new LossLayer.Builder()
                        .lossFunction(lossFn)
                        .activation(Activation.IDENTITY)
                        .build(), "in")
                .setOutputs("multibox")
                .build();
    }

    @Test
    void survivesTheNetworkConfigurationJson() {
        ComputationGraphConfiguration conf = graphWithLoss(3000 * 25, new MultiBoxLoss(5));
        String json = conf.toJson();
        assertTrue(json.contains(MultiBoxLoss.class.getName()), json);
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(json);
        assertEquals(conf, back);
        Layer layer = ((LayerVertex) back.getVertices().get("multibox")).getLayerConf().getLayer();
        MultiBoxLoss restored = assertInstanceOf(MultiBoxLoss.class, ((LossLayer) layer).getLossFn());
        assertEquals(5, restored.getNegPosRatio());
        assertEquals(new MultiBoxLoss(), assertInstanceOf(MultiBoxLoss.class, ((LossLayer)
                ((LayerVertex) ComputationGraphConfiguration.fromJson(graphWithLoss(10, new MultiBoxLoss()).toJson())
                        .getVertices().get("multibox")).getLayerConf().getLayer()).getLossFn()));
    }

    /**
     * Documents DL4J 1.0.0-M2.1's LossLayer: its score is the loss function's batch score divided by the minibatch
     * size even with miniBatch(false); the reference's loss is that score times B.
     */
    @Test
    void lossLayerScoreIsTheBatchLossOverMinibatchSize() throws Exception {
        LossReference ref = new LossReference();
        INDArray pre = Nd4j.create(LossReference.preOutput());
        INDArray labels = Nd4j.create(LossReference.labels());
        ComputationGraph net = new ComputationGraph(graphWithLoss((int) pre.size(1), new MultiBoxLoss()));
        net.init();
        double score = net.score(new DataSet(pre, labels));
        double total = ref.regressionLoss() + ref.classificationLoss();
        System.out.printf("LossLayer score %.6f, x B = %.6f, reference loss %.6f%n", score, score * 4, total);
        assertEquals(total, score * 4, total * 1e-5);

        // the gradient DL4J backpropagates from the LossLayer is the loss function's, not divided by B
        MultiLayerNetwork mln = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .miniBatch(false)
                .dataType(DataType.FLOAT)
                .list()
                .layer(new LossLayer.Builder().lossFunction(new MultiBoxLoss()).activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(pre.size(1)))
                .build());
        mln.init();
        INDArray inputGrad = mln.calculateGradients(pre, labels, null, null).getSecond();
        INDArray own = new MultiBoxLoss().computeGradient(labels, pre, IDENTITY, null);
        assertEquals(0, inputGrad.sub(own).amaxNumber().doubleValue(), 1e-9);
    }

    @Test
    void aTrainingSizedBatchIsQuick() {
        int batch = 32;
        Random rnd = new Random(1);
        float[][] lab = new float[batch][3000 * 5];
        for (float[] row : lab) {
            for (int i = 0; i < 10; i++) {
                row[rnd.nextInt(3000)] = 1 + rnd.nextInt(20);
            }
        }
        INDArray labels = Nd4j.create(lab);
        INDArray pre = Nd4j.randn(DataType.FLOAT, batch, 3000 * 25);
        MultiBoxLoss loss = new MultiBoxLoss();
        loss.computeGradientAndScore(labels, pre, IDENTITY, null, false); // warm-up
        long start = System.nanoTime();
        loss.computeGradientAndScore(labels, pre, IDENTITY, null, false);
        double ms = (System.nanoTime() - start) / 1e6;
        System.out.printf("loss + gradient, batch 32 x 3000 priors x 21 classes: %.1f ms%n", ms);
        assertTrue(ms < 5000, ms + " ms");
    }
}
