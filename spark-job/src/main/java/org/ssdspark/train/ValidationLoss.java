package org.ssdspark.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.ssdspark.device.DevicePinner;
import org.ssdspark.model.LayerSetConversion;
import org.ssdspark.ssd.MultiBoxLoss;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The reference's validation loss: the test images through its test transform, the network in inference mode
 * (BatchNorm on running statistics), both MultiBox terms averaged over minibatches. Runs on the executors, each
 * task pinned to its card, the network shipped as configuration JSON plus a broadcast of its parameters.
 */
final class ValidationLoss {

    /** Averages over minibatches; {@code total = regression + classification}. */
    record Result(double regression, double classification, long images, long batches) {
        double total() {
            return regression + classification;
        }
    }

    private ValidationLoss() {
    }

    static Result compute(JavaSparkContext jsc, JavaRDD<TrainingRecord> test, ComputationGraph graph, int workers,
                          TrainOptions options) {
        String conf = graph.getConfiguration().toJson();
        Broadcast<INDArray> params = jsc.broadcast(graph.params().dup());
        int batchSize = options.validationBatchSize();
        int imageSize = options.imageSize();
        String deviceList = options.deviceList();
        try {
            List<double[]> parts = test.coalesce(workers).mapPartitions((Iterator<TrainingRecord> records) -> {
                DevicePinner.pinCurrentTask(deviceList);
                ComputationGraph driverNet = new ComputationGraph(ComputationGraphConfiguration.fromJson(conf));
                driverNet.init(params.value().dup(), false);
                // the configuration names the driver's layer classes: this executor may run the other set
                ComputationGraph net = LayerSetConversion.forThisJvm(driverNet);
                SampleEncoder encoder = new SampleEncoder(imageSize, false);
                MultiBoxLoss loss = new MultiBoxLoss();
                double[] sums = new double[4];
                List<TrainingRecord> chunk = new ArrayList<>(batchSize);
                while (records.hasNext()) {
                    chunk.add(records.next());
                    if (chunk.size() == batchSize || !records.hasNext()) {
                        MultiDataSet batch = encoder.testBatch(chunk);
                        INDArray out = net.outputSingle(false, batch.getFeatures(0));
                        MultiBoxLoss.Terms t = loss.terms(batch.getLabels(0), out);
                        sums[0] += t.regression();
                        sums[1] += t.classification();
                        sums[2] += chunk.size();
                        sums[3] += 1;
                        chunk.clear();
                    }
                }
                return List.of(sums).iterator();
            }).collect();
            double[] total = new double[4];
            for (double[] p : parts) {
                for (int i = 0; i < 4; i++) {
                    total[i] += p[i];
                }
            }
            long batches = (long) total[3];
            return new Result(total[0] / batches, total[1] / batches, (long) total[2], batches);
        } finally {
            params.destroy();
        }
    }
}
