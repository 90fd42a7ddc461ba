package org.ssdspark.bench;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.ssdspark.nn.BatchNormRelu6;
import org.ssdspark.nn.DepthwiseConvolution3x3;

import java.util.ArrayList;
import java.util.List;

/**
 * One layer at a time, DL4J's against ours, in the same JVM and in turns (so both see the same load): process CPU
 * milliseconds (all threads; wall time on this shared machine is mostly other people's load) of a training-mode
 * forward and of a backward pass at the shapes of mb2-ssd-lite's depthwise convolutions and BatchNorm layers (DL4J's BatchNorm alone
 * against our fused BatchNorm+ReLU6: a lower bound for the stock pair).
 *
 * <pre>java ... org.ssdspark.bench.LayerBenchmark [batch 8] [repeats 5]</pre>
 */
public final class LayerBenchmark {

    private LayerBenchmark() {
    }

    /** channels, size, stride of mb2-ssd-lite's larger depthwise layers at 300x300. */
    private static final int[][] DEPTHWISE = {{32, 150, 1}, {96, 150, 2}, {144, 75, 1}, {144, 75, 2}, {192, 38, 1},
            {384, 19, 1}, {576, 19, 1}, {960, 10, 1}};

    /** channels, size of mb2-ssd-lite's larger BatchNorm+ReLU6 layers at 300x300. */
    private static final int[][] BATCH_NORM = {{32, 150}, {96, 150}, {96, 75}, {144, 75}, {144, 38}, {192, 38}, {384, 19},
            {960, 10}};

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.printf("batch %d, %d repeats, medians of process CPU ms; load %s%n", batch, repeats, ModelBenchmark.loadAverage());
        System.out.println("| layer | DL4J fwd | ours fwd | DL4J bwd | ours bwd |");
        double[] total = new double[4];
        for (int[] d : DEPTHWISE) {
            DepthwiseConvolution2D stock = new DepthwiseConvolution2D.Builder(3, 3).stride(d[2], d[2]).padding(1, 1)
                    .convolutionMode(ConvolutionMode.Truncate).depthMultiplier(1).nIn(d[0]).nOut(d[0]).hasBias(false)
                    .activation(Activation.IDENTITY).build();
            double[] t = compare(stock, DepthwiseConvolution3x3.of(stock), batch, d[0], d[1], repeats);
            row(String.format("depthwise %d x %d^2 s%d", d[0], d[1], d[2]), t, total);
        }
        row("depthwise, all of the above", total, new double[4]);
        double[] bnTotal = new double[4];
        for (int[] d : BATCH_NORM) {
            BatchNormalization stock = new BatchNormalization.Builder().nIn(d[0]).nOut(d[0]).eps(1e-5).decay(0.9)
                    .useLogStd(false).build();
            double[] t = compare(stock, BatchNormRelu6.of(stock, true), batch, d[0], d[1], repeats);
            row(String.format("BatchNorm (DL4J) vs BatchNorm+ReLU6 (ours) %d x %d^2", d[0], d[1]), t, bnTotal);
        }
        row("BatchNorm, all of the above", bnTotal, new double[4]);
    }

    private static void row(String name, double[] t, double[] total) {
        System.out.printf("| %s | %.1f | %.1f | %.1f | %.1f |%n", name, t[0], t[1], t[2], t[3]);
        for (int i = 0; i < 4; i++) {
            total[i] += t[i];
        }
    }

    private static Layer layer(org.deeplearning4j.nn.conf.layers.Layer conf, int channels, int size) {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(size, size, channels))
                .addLayer("l", conf, "in")
                .addLayer("out", new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build(), "l")
                .setOutputs("out").build());
        g.init();
        g.initGradientsView();
        return g.getLayer("l");
    }

    /** Medians of {DL4J fwd, ours fwd, DL4J bwd, ours bwd}. */
    static double[] compare(org.deeplearning4j.nn.conf.layers.Layer stockConf, org.deeplearning4j.nn.conf.layers.Layer oursConf,
                            int batch, int channels, int size, int repeats) {
        Layer stock = layer(stockConf, channels, size);
        Layer ours = layer(oursConf, channels, size);
        ours.params().assign(stock.params());
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, channels, size, size).subi(0.5);
        List<List<double[]>> times = List.of(new ArrayList<>(), new ArrayList<>());
        Layer[] layers = {stock, ours};
        for (int r = -1; r < repeats; r++) {
            for (int k = 0; k < 2; k++) {
                Layer l = layers[k];
                LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
                l.setInput(x, mgr);
                long t0 = cpuNanos();
                INDArray y = l.activate(true, mgr);
                long t1 = cpuNanos();
                l.backpropGradient(y, mgr);
                long t2 = cpuNanos();
                if (r >= 0) {
                    times.get(k).add(new double[]{(t1 - t0) / 1e6, (t2 - t1) / 1e6});
                }
            }
        }
        return new double[]{median(times.get(0), 0), median(times.get(1), 0), median(times.get(0), 1),
                median(times.get(1), 1)};
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /** CPU time of the whole process (all threads, Java and native): the work done, much less disturbed by load than wall time. */
    private static long cpuNanos() {
        return OS.getProcessCpuTime();
    }

    private static double median(List<double[]> v, int i) {
        double[] a = v.stream().mapToDouble(t -> t[i]).sorted().toArray();
        return a[a.length / 2];
    }
}
