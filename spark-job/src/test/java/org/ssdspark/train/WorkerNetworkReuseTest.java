package org.ssdspark.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.ssdspark.testing.TestSpark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Workers keep their networks from round to round ({@link WorkerNetworks}): after the first round no network is
 * built, and a reused network carries nothing stale. Three rounds of two workers with momentum (the updater state
 * travels and is averaged) must equal, to the bit, the same rounds done by hand in one JVM: each worker a fresh
 * network holding the driver's parameters and momentum, the mean of their parameters and momentum set on the driver.
 */
class WorkerNetworkReuseTest {

    private static final int ROUNDS = 3;
    private static final int STEPS = 2;

    @Test
    void reusedNetworksTrainExactlyAsFreshOnes() {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(TestSpark.local().sparkContext());
        Nd4j.getRandom().setSeed(21);
        List<List<List<MultiDataSet>>> data = new ArrayList<>(); // round -> worker -> minibatches
        for (int r = 0; r < ROUNDS; r++) {
            List<List<MultiDataSet>> workers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                List<MultiDataSet> steps = new ArrayList<>();
                for (int s = 0; s < STEPS; s++) {
                    INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 6).subi(0.5);
                    INDArray y = x.mmul(Nd4j.linspace(-1.0, 1.0, 12, DataType.DOUBLE).reshape(6, 2)).addi(0.3);
                    steps.add(new org.nd4j.linalg.dataset.MultiDataSet(x, y));
                }
                workers.add(steps);
            }
            data.add(workers);
        }

        // by hand, one JVM
        ComputationGraph driver = network();
        for (int r = 0; r < ROUNDS; r++) {
            INDArray params = null;
            INDArray state = null;
            for (int w = 0; w < 2; w++) {
                ComputationGraph worker = network();
                worker.setParams(driver.params());
                worker.getUpdater().setStateViewArray(driver.getUpdater().getStateViewArray().dup());
                worker.getConfiguration().setIterationCount(driver.getConfiguration().getIterationCount());
                data.get(r).get(w).forEach(worker::fit);
                params = params == null ? worker.params().dup() : params.addi(worker.params());
                INDArray s = worker.getUpdater().getStateViewArray();
                state = state == null ? s.dup() : state.addi(s);
            }
            driver.setParams(params.divi(2));
            driver.getUpdater().setStateViewArray(state.divi(2));
            driver.getConfiguration().setIterationCount(driver.getConfiguration().getIterationCount() + STEPS);
        }

        // the job's rounds
        RoundTrainingMaster master = RoundTrainingMaster.create(2, 4, STEPS, 0);
        SparkComputationGraph spark = new SparkComputationGraph(jsc, network(), master);
        long builtBefore = WorkerNetworks.builtCount();
        long builtAfterFirst = 0;
        for (int r = 0; r < ROUNDS; r++) {
            List<List<MultiDataSet>> round = data.get(r);
            JavaRDD<MultiDataSet> rdd = jsc.parallelize(List.of(0, 1), 2)
                    .mapPartitionsWithIndex((p, it) -> round.get(p).iterator(), true);
            master.trainRound(spark, rdd, r, ROUNDS);
            if (r == 0) {
                builtAfterFirst = WorkerNetworks.builtCount();
            }
        }
        long builtFirst = builtAfterFirst - builtBefore;
        long builtLater = WorkerNetworks.builtCount() - builtAfterFirst;
        ComputationGraph averaged = spark.getNetwork();
        double paramDiff = averaged.params().sub(driver.params()).amaxNumber().doubleValue();
        double stateDiff = averaged.getUpdater().getStateViewArray().sub(driver.getUpdater().getStateViewArray())
                .amaxNumber().doubleValue();
        double moved = averaged.params().sub(network().params()).amaxNumber().doubleValue();
        System.out.printf("network reuse: %d networks built in round 0, %d after; %d rounds: params max |diff| %.3g,"
                + " momentum %.3g (parameters moved %.3g)%n", builtFirst, builtLater, ROUNDS, paramDiff, stateDiff, moved);
        assertTrue(moved > 1e-3, "training must move the parameters: " + moved);
        assertEquals(0.0, paramDiff, "parameters");
        assertEquals(0.0, stateDiff, "momentum");
        assertTrue(builtFirst >= 1 && builtFirst <= 2, "round 0 builds one network per concurrent task: " + builtFirst);
        assertEquals(0, builtLater, "later rounds reuse the networks");
        assertEquals(ROUNDS * STEPS, averaged.getConfiguration().getIterationCount());
    }

    @Test
    void roundSumsTravelIntactInFloatAndDouble() throws Exception {
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            INDArray params = Nd4j.rand(type, 1, 1000).subi(0.5);
            INDArray state = Nd4j.rand(type, 1, 2000);
            RoundSum sum = RoundSum.add(RoundSum.of(params, state, 1.5, 3), RoundSum.of(params, null, 0.5, 1));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(sum);
            }
            RoundSum back;
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                back = (RoundSum) in.readObject();
            }
            assertEquals(type, back.params().dataType());
            INDArray expected = params.mul(3).addi(params);
            assertEquals(0.0, back.params().sub(expected).amaxNumber().doubleValue(), type + " parameters");
            assertEquals(0.0, back.updaterState().sub(state.mul(3)).amaxNumber().doubleValue(), type + " state");
            assertEquals(2, back.results());
            assertEquals(4, back.weight());
            assertEquals(2.0, back.scoreSum());
        }
    }

    private static ComputationGraph network() {
        return DenseNetworks.of(DataType.DOUBLE, new Nesterovs(0.05, 0.9), 8);
    }
}
