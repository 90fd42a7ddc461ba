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

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A round whose tasks train 3 and 1 minibatches (an epoch's short last task) is averaged in proportion to them:
 * parameters and momentum equal (3 p0 + 1 p1) / 4 of the same training in one JVM, not DL4J's (p0 + p1) / 2.
 */
class WeightedAveragingTest {
    private static final double TOLERANCE = 1e-12;

    @Test
    void anUnevenRoundIsAveragedInProportionToItsMinibatches() {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(TestSpark.local().sparkContext());
        Nd4j.getRandom().setSeed(11);
        List<MultiDataSet> batches = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 6).subi(0.5);
            INDArray y = x.mmul(Nd4j.linspace(-1.0, 1.0, 12, DataType.DOUBLE).reshape(6, 2)).addi(0.3);
            batches.add(new org.nd4j.linalg.dataset.MultiDataSet(x, y));
        }
        // one JVM: task 0 trains batches 0..2, task 1 batch 3, each from the same start
        ComputationGraph task0 = network();
        batches.subList(0, 3).forEach(task0::fit);
        ComputationGraph task1 = network();
        task1.fit(batches.get(3));
        INDArray weightedParams = task0.params().mul(3).addi(task1.params()).divi(4);
        INDArray weightedState = task0.getUpdater().getStateViewArray().mul(3)
                .addi(task1.getUpdater().getStateViewArray()).divi(4);
        INDArray plainParams = task0.params().add(task1.params()).divi(2);

        RoundTrainingMaster master = RoundTrainingMaster.create(2, 4, 3, 0);
        SparkComputationGraph spark = new SparkComputationGraph(jsc, network(), master);
        List<MultiDataSet> first = new ArrayList<>(batches.subList(0, 3));
        List<MultiDataSet> second = new ArrayList<>(batches.subList(3, 4));
        JavaRDD<MultiDataSet> round = jsc.parallelize(List.of(0, 1), 2)
                .mapPartitionsWithIndex((p, it) -> (p == 0 ? first : second).iterator(), true);
        master.trainRound(spark, round, 0, 1, new int[]{3, 1});

        ComputationGraph averaged = spark.getNetwork();
        double paramDiff = averaged.params().sub(weightedParams).amaxNumber().doubleValue();
        double stateDiff = averaged.getUpdater().getStateViewArray().sub(weightedState).amaxNumber().doubleValue();
        double plainDiff = plainParams.sub(weightedParams).amaxNumber().doubleValue();
        System.out.printf("weighted round: params max |diff| %.3g, momentum %.3g; the plain mean would be %.3g off%n",
                paramDiff, stateDiff, plainDiff);
        assertTrue(plainDiff > 1e-3, "the test needs tasks whose plain and weighted means differ: " + plainDiff);
        assertTrue(paramDiff <= TOLERANCE, "parameters " + paramDiff);
        assertTrue(stateDiff <= TOLERANCE, "momentum " + stateDiff);
    }

    @Test
    void theEpochsShortLastTaskIsPlanned() {
        // 100 images, 2 workers, batch 4, averaging 3: tasks of 12 images; 8 full tasks, then 4 images = 1 minibatch
        EpochLayout layout = new EpochLayout(100, 2, 4, 3, 0);
        assertArrayEquals(new int[]{3, 3}, layout.batchesPerTask(0));
        assertArrayEquals(new int[]{1}, layout.batchesPerTask(4));
        // 103 images: 3 left out (drop_last), the same plan
        assertArrayEquals(new int[]{1}, new EpochLayout(103, 2, 4, 3, 0).batchesPerTask(4));
        // 118 images: 116 trained, 9 full tasks and one of 8 images (2 minibatches); the last round holds both kinds
        EpochLayout uneven = new EpochLayout(118, 2, 4, 3, 0);
        assertArrayEquals(new int[]{3, 2}, uneven.batchesPerTask(4));
    }

    private static ComputationGraph network() {
        return DenseNetworks.of(DataType.DOUBLE, new Nesterovs(0.1, 0.9), 8);
    }
}
