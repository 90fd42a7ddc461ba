package org.ssdspark.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.NoOp;
import org.ssdspark.nn.WeightDecayedBatchNormalization;

/**
 * With BatchNormalization in the graph: gamma and beta decay and carry momentum like every other parameter,
 * the running statistics follow DL4J's own moving average untouched by weight decay or momentum.
 */
class BatchNormWeightDecayTest {

    private static final double MOMENTUM = 0.9;
    private static final double WD = 5e-4;
    private static final double LR = 0.1;

    private static ComputationGraph graph(boolean decayedBn, boolean bnFirst) {
        ComputationGraphConfiguration conf = TinyGraphs.withBatchNorm(
                TinyGraphs.base(DataType.DOUBLE, new SgdMomentum(LR, MOMENTUM), WD), bnFirst);
        if (decayedBn) {
            assertEquals(bnFirst ? 2 : 1, WeightDecayedBatchNormalization.replaceIn(conf));
        }
        return TinyGraphs.init(conf);
    }

    @Test
    void everyParameterButRunningStatisticsFollowsPyTorchSgd() {
        ComputationGraph net = graph(true, true);
        assertEquals(List.of(), WeightDecayAudit.untreated(net, WD));
        HeavyBallReference hand = new HeavyBallReference(net, MOMENTUM, WD, Set.of());
        INDArray gamma0 = net.getParam("bn_gamma").dup();
        double worst = 0;
        for (int step = 0; step < 3; step++) {
            DataSet batch = TinyGraphs.batch(200 + step, 8, DataType.DOUBLE, true);
            hand.step(batch, LR);
            net.fit(batch);
            worst = Math.max(worst, hand.maxAbsDifference(net));
        }
        System.out.printf("BN graph, 3 steps: max |p_dl4j - p_hand| = %.3e%n", worst);
        assertTrue(worst < 1e-6, "max parameter difference " + worst);
        assertTrue(net.getParam("bn_gamma").sub(gamma0).amaxNumber().doubleValue() > 1e-4, "gamma moved");
    }

    @Test
    void stockBatchNormalizationWouldSkipGammaAndBetaDecay() {
        ComputationGraph stock = graph(false, false);
        assertEquals(List.of("bn_gamma", "bn_beta"),
                WeightDecayAudit.untreated(stock, WD).stream().sorted(java.util.Comparator.reverseOrder()).toList());
        // DL4J's own behaviour, written as the hand reference without decay on gamma and beta.
        HeavyBallReference noBnDecay = new HeavyBallReference(stock, MOMENTUM, WD, Set.of("gamma", "beta"));
        HeavyBallReference pytorch = new HeavyBallReference(stock, MOMENTUM, WD, Set.of());
        for (int step = 0; step < 3; step++) {
            DataSet batch = TinyGraphs.batch(300 + step, 8, DataType.DOUBLE, true);
            noBnDecay.step(batch, LR);
            pytorch.step(batch, LR);
            stock.fit(batch);
        }
        double vsNoDecay = noBnDecay.maxAbsDifference(stock);
        double vsPytorch = pytorch.maxAbsDifference(stock);
        System.out.printf("stock BN: vs hand without BN decay %.3e, vs PyTorch %.3e%n", vsNoDecay, vsPytorch);
        assertTrue(vsNoDecay < 1e-6);
        assertTrue(vsPytorch > 1e-5, "stock BN should differ from PyTorch by the missing gamma/beta decay");
    }

    @Test
    void runningStatisticsAreDl4jMovingAverageWhateverTheOptimiser() {
        // bnIn sits on the raw input, so its statistics depend on the data only: they must be identical to those
        // of a twin whose every parameter is frozen (NoOp) and equal to DL4J's documented moving average.
        ComputationGraph net = graph(true, true);
        ComputationGraphConfiguration frozenConf = TinyGraphs.withBatchNorm(
                TinyGraphs.base(DataType.DOUBLE, new NoOp(), 0.0), true);
        ComputationGraph frozen = TinyGraphs.init(frozenConf);
        frozen.setParams(net.params().dup());

        double decay = ((org.deeplearning4j.nn.conf.layers.BatchNormalization) net.getLayer("bnIn").conf()
                .getLayer()).getDecay();
        INDArray expectedMean = net.getParam("bnIn_mean").dup();
        for (int step = 0; step < 3; step++) {
            DataSet batch = TinyGraphs.batch(400 + step, 8, DataType.DOUBLE, true);
            expectedMean = expectedMean.mul(decay).add(batch.getFeatures().mean(0).reshape(expectedMean.shape())
                    .mul(1 - decay));
            net.fit(batch);
            frozen.fit(batch);
        }
        for (String stat : List.of("bnIn_mean", statName(net))) {
            assertArrayEquals(frozen.getParam(stat).dup().data().asDouble(), net.getParam(stat).dup().data().asDouble(),
                    stat + " must not depend on the optimiser");
        }
        double meanErr = net.getParam("bnIn_mean").sub(expectedMean).amaxNumber().doubleValue();
        System.out.printf("running mean vs decay*m + (1-decay)*batchMean after 3 steps: %.3e%n", meanErr);
        assertTrue(meanErr < 1e-12);
        assertTrue(net.getParam("dense_W").sub(frozen.getParam("dense_W")).amaxNumber().doubleValue() > 1e-4,
                "the optimised net did train");
    }

    private static String statName(ComputationGraph net) {
        return net.paramTable().containsKey("bnIn_log10stdev") ? "bnIn_log10stdev" : "bnIn_var";
    }
}
