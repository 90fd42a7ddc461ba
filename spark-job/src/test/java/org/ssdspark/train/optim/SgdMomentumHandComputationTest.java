package org.ssdspark.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** DL4J's fit with SgdMomentum + L2 equals PyTorch's SGD(momentum, weight_decay) written out by hand. */
class SgdMomentumHandComputationTest {

    private static final double MOMENTUM = 0.9;
    private static final double WD = 5e-4;
    private static final double TOLERANCE = 1e-6;

    @Test
    void threeStepsMatchHeavyBallWithWeightDecayInDouble() {
        // tMax 4: the learning rate differs in every epoch, so the schedule plumbing is checked too.
        CosineAnnealingSchedule schedule = new CosineAnnealingSchedule(0.1, 4);
        ComputationGraph net = TinyGraphs.denseOutput(
                TinyGraphs.base(DataType.DOUBLE, new SgdMomentum(schedule, MOMENTUM), WD));
        HeavyBallReference hand = new HeavyBallReference(net, MOMENTUM, WD, Set.of());

        double worst = 0;
        for (int step = 0; step < 3; step++) {
            DataSet batch = TinyGraphs.batch(100 + step, 6, DataType.DOUBLE, false);
            int epoch = net.getEpochCount();
            assertEquals(step, epoch);
            hand.step(batch, schedule.valueAt(0, epoch));
            net.fit(batch);
            net.incrementEpochCount();
            double diff = hand.maxAbsDifference(net);
            System.out.printf("step %d lr %.6f max |p_dl4j - p_hand| = %.3e%n", step, schedule.valueAt(0, step),
                    diff);
            worst = Math.max(worst, diff);
        }
        assertTrue(worst < TOLERANCE, "max parameter difference " + worst);
        // The parameters moved by much more than the tolerance: the comparison is not vacuous.
        assertTrue(net.params().sub(TinyGraphs.denseOutput(
                TinyGraphs.base(DataType.DOUBLE, new SgdMomentum(schedule, MOMENTUM), WD)).params())
                .amaxNumber().doubleValue() > 1e-3);
    }

    @Test
    void firstStepVelocityIsGradientPlusDecayedParameter() {
        ComputationGraph net = TinyGraphs.denseOutput(
                TinyGraphs.base(DataType.DOUBLE, new SgdMomentum(0.05, MOMENTUM), WD));
        INDArray before = net.params().dup();
        HeavyBallReference hand = new HeavyBallReference(net, MOMENTUM, WD, Set.of());
        DataSet batch = TinyGraphs.batch(5, 6, DataType.DOUBLE, false);
        hand.step(batch, 0.05);
        net.fit(batch);

        // With every parameter on SgdMomentum the updater state is laid out exactly like the flattened
        // parameters: the slice at a parameter's offset is that parameter's v.
        INDArray state = net.getUpdater().getStateViewArray().reshape(-1);
        INDArray params = net.params();
        assertEquals(params.length(), state.length());
        double worst = 0;
        for (String key : net.paramTable().keySet()) {
            INDArray view = net.getParam(key);
            long offset = view.offset() - params.offset();
            // DL4J keeps weight matrices in 'f' order inside the flat vector: reshape slices the same way.
            INDArray p0 = before.reshape(-1).get(NDArrayIndex.interval(offset, offset + view.length()))
                    .reshape(view.ordering(), view.shape());
            INDArray expected = hand.lastGradient(key).reshape(view.shape()).add(p0.mul(WD));
            INDArray actual = state.get(NDArrayIndex.interval(offset, offset + view.length()))
                    .reshape(view.ordering(), view.shape());
            worst = Math.max(worst, actual.sub(expected).amaxNumber().doubleValue());
        }
        System.out.printf("first step: max |v - (g + wd p)| = %.3e%n", worst);
        assertTrue(worst < 1e-12, "first-step velocity differs by " + worst);
    }
}
