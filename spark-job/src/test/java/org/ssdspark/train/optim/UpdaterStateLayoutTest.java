package org.ssdspark.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ssdspark.nn.WeightDecayedBatchNormalization;

/**
 * The updater state is one value per learned parameter, the same on every worker: parameter averaging can
 * average it element by element (BatchNormalization running statistics have a stateless NoOp updater).
 */
class UpdaterStateLayoutTest {

    @Test
    void stateHoldsOneVelocityPerLearnedParameter() {
        ComputationGraphConfiguration conf = TinyGraphs.withBatchNorm(
                TinyGraphs.base(DataType.FLOAT, new SgdMomentum(0.01, 0.9), 5e-4), true);
        WeightDecayedBatchNormalization.replaceIn(conf);
        ComputationGraph net = TinyGraphs.init(conf);

        long runningStats = 0;
        for (WeightDecayAudit.ParamTreatment t : WeightDecayAudit.treatments(net)) {
            String name = t.key().substring(t.key().lastIndexOf('_') + 1);
            boolean stat = HeavyBallReference.RUNNING_STATS.contains(name);
            assertEquals(!stat, t.learned(), t.key());
            if (stat) {
                runningStats += t.length();
            }
        }
        INDArray state = net.getUpdater().getStateViewArray();
        long learned = WeightDecayAudit.learnedParameterCount(net);
        System.out.printf("params %d, running statistics %d, learned %d, updater state %d%n", net.numParams(),
                runningStats, learned, state.length());
        assertEquals(net.numParams() - runningStats, learned);
        assertEquals(learned, state.length());
        assertTrue(runningStats > 0);
    }

    @Test
    void averagingTwoWorkersStatesIsTheMeanOfTheirVelocities() {
        // What ParameterAveragingTrainingMaster does with saveUpdater(true): an element-wise mean of the flat states.
        ComputationGraph a = TinyGraphs.denseOutput(TinyGraphs.base(DataType.DOUBLE, new SgdMomentum(0.1, 0.9), 5e-4));
        ComputationGraph b = a.clone();
        HeavyBallReference handA = new HeavyBallReference(a, 0.9, 5e-4, Set.of());
        HeavyBallReference handB = new HeavyBallReference(b, 0.9, 5e-4, Set.of());
        var batchA = TinyGraphs.batch(1, 6, DataType.DOUBLE, false);
        var batchB = TinyGraphs.batch(2, 6, DataType.DOUBLE, false);
        a.fit(batchA);
        b.fit(batchB);
        handA.step(batchA, 0.1);
        handB.step(batchB, 0.1);
        INDArray mean = a.getUpdater().getStateViewArray().add(b.getUpdater().getStateViewArray()).divi(2);
        INDArray params = a.params();
        double worst = 0;
        for (String key : a.paramTable().keySet()) {
            INDArray view = a.getParam(key);
            long offset = view.offset() - params.offset();
            INDArray slice = mean.reshape(-1).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(offset,
                    offset + view.length())).reshape(view.ordering(), view.shape());
            INDArray expected = handA.velocity(key).add(handB.velocity(key)).divi(2);
            worst = Math.max(worst, slice.sub(expected).amaxNumber().doubleValue());
        }
        assertTrue(worst < 1e-12, "averaged state differs from averaged velocities by " + worst);
    }
}
