package org.ssdspark.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.ssdspark.testing.TestSpark;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves the dependency mix trains: dl4j-spark 1.0.0-M2 driving DL4J/ND4J 1.0.0-M2.1 on Spark 3.5.
 * A mismatched jar (nd4j-common, jackson, guava) shows up here as a linkage error or a loss that does not fall.
 */
class Dl4jSparkStackTest {

    @Test
    void parameterAveragingTrainsASmallGraphOnSpark() {
        SparkSession spark = TestSpark.local();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1).updater(new Sgd(0.1)).dataType(DataType.FLOAT)
                .graphBuilder().addInputs("in")
                .addLayer("h", new DenseLayer.Builder().nIn(4).nOut(16).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(16).nOut(1)
                        .activation(Activation.IDENTITY).build(), "h")
                .setOutputs("out").build();
        List<DataSet> data = new ArrayList<>();
        Nd4j.getRandom().setSeed(2);
        for (int i = 0; i < 32; i++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 8, 4);
            INDArray y = x.sum(true, 1).reshape(8, 1).mul(0.5);
            data.add(new DataSet(x, y));
        }
        JavaRDD<DataSet> rdd = jsc.parallelize(data, 2);
        ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(8)
                .batchSizePerWorker(8).averagingFrequency(2).workerPrefetchNumBatches(0).saveUpdater(true).build();
        SparkComputationGraph net = new SparkComputationGraph(jsc, conf, tm);
        DataSet all = DataSet.merge(data);
        double before = net.getNetwork().score(all);
        for (int epoch = 0; epoch < 5; epoch++) {
            net.fit(rdd);
        }
        double after = net.getNetwork().score(all);
        assertTrue(after < before * 0.5, "loss should fall: before " + before + ", after " + after);
        tm.deleteTempFiles(jsc);
    }
}
