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
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;

import org.ssdspark.testing.TestSpark;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Averaging is right: with plain SGD and an average after every step, two workers with batch b each reach the
 * same parameters as one worker with batch 2b on the same examples (DL4J divides the gradient by the batch size, so
 * the mean of two half-batch steps is the full-batch step). No BatchNorm: its running statistics would differ.
 */
class AveragingEquivalenceTest {

    private static final int B = 4;
    private static final int ROUNDS = 5;

    @Test
    void twoWorkersOfBatchBEqualOneWorkerOfBatch2B() {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(TestSpark.local().sparkContext());
        List<INDArray[]> data = new ArrayList<>();
        Nd4j.getRandom().setSeed(3);
        for (int r = 0; r < ROUNDS; r++) {
            INDArray x = Nd4j.rand(DataType.DOUBLE, 2 * B, 6).subi(0.5);
            INDArray y = x.mmul(Nd4j.linspace(-1.0, 1.0, 12, DataType.DOUBLE).reshape(6, 2)).addi(0.3);
            data.add(new INDArray[]{x, y});
        }
        INDArray two = train(jsc, data, 2);
        INDArray one = train(jsc, data, 1);
        INDArray start = network().params();
        double moved = one.sub(start).amaxNumber().doubleValue();
        double diff = one.sub(two).amaxNumber().doubleValue();
        System.out.printf("averaging: parameters moved by up to %.4g; 2 workers x batch %d vs 1 worker x batch %d: "
                + "max |diff| %.3g over %d rounds%n", moved, B, 2 * B, diff, ROUNDS);
        assertTrue(moved > 1e-2, "training must move the parameters");
        assertTrue(diff < 1e-5, "parameters differ by " + diff);
    }

    private static INDArray train(JavaSparkContext jsc, List<INDArray[]> data, int workers) {
        int batch = 2 * B / workers;
        RoundTrainingMaster master = RoundTrainingMaster.create(workers, batch, 1, 0);
        SparkComputationGraph net = new SparkComputationGraph(jsc, network(), master);
        for (int r = 0; r < data.size(); r++) {
            List<MultiDataSet> shares = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                INDArray x = data.get(r)[0].get(NDArrayIndex.interval(w * batch, (w + 1) * batch), NDArrayIndex.all());
                INDArray y = data.get(r)[1].get(NDArrayIndex.interval(w * batch, (w + 1) * batch), NDArrayIndex.all());
                shares.add(new org.nd4j.linalg.dataset.MultiDataSet(x.dup(), y.dup()));
            }
            JavaRDD<MultiDataSet> round = jsc.parallelize(shares, workers);
            master.trainRound(net, round, r, data.size());
        }
        return net.getNetwork().params().dup();
    }

    private static ComputationGraph network() {
        return DenseNetworks.of(DataType.DOUBLE, new Sgd(0.2), 8);
    }
}
