package org.ssdspark.bench;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.ssdspark.image.EvalPreprocessor;
import org.ssdspark.image.JpegImage;
import org.ssdspark.model.MobileNetV2SsdLite;
import org.ssdspark.model.SsdLiteConfig;
import org.ssdspark.ssd.BoxCoder;
import org.ssdspark.ssd.DetectionPostProcessor;
import org.ssdspark.ssd.MultiBoxLayout;
import org.ssdspark.ssd.MultiBoxLoss;
import org.ssdspark.ssd.PriorMatcher;
import org.ssdspark.ssd.SsdSpec;
import org.ssdspark.train.optim.ReferenceSgd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Training and inference images/s of mb2-ssd-lite on this machine, outside Spark: training is forward, loss,
 * backward and update (DL4J {@code fit}); inference is JPEG decode, resize, forward, softmax, decode and NMS.
 * Usage: ModelBenchmark [--batches 8,16] [--iterations 6] [--warmup 2] [--width 1.0] [--size 300] [--images DIR]
 */
public final class ModelBenchmark {

    public static void main(String[] args) throws Exception {
        List<Integer> batches = List.of(8, 16);
        int iterations = 6;
        int warmup = 2;
        double width = 1.0;
        int size = 300;
        Path images = null;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--batches" -> batches = Arrays.stream(args[i + 1].split(",")).map(Integer::parseInt).toList();
                case "--iterations" -> iterations = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--width" -> width = Double.parseDouble(args[i + 1]);
                case "--size" -> size = Integer.parseInt(args[i + 1]);
                case "--images" -> images = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        SsdLiteConfig config = new SsdLiteConfig(21, width, size, 6);
        System.out.printf(Locale.ROOT, "mb2-ssd-lite width %.2f, %dx%d, 21 classes, %d threads (OMP_NUM_THREADS=%s)%n",
                width, size, size, Runtime.getRuntime().availableProcessors(), System.getenv("OMP_NUM_THREADS"));
        for (int batch : batches) {
            double ips = training(config, batch, iterations, warmup);
            System.out.printf(Locale.ROOT, "train     batch %3d: %7.2f images/s%n", batch, ips);
        }
        double ips = inference(config, 8, iterations, warmup, images);
        System.out.printf(Locale.ROOT, "inference batch %3d: %7.2f images/s (decode, resize, forward, NMS)%n", 8, ips);
    }

    /** Median images/s over timed iterations of {@code fit} on one fixed batch with matched SSD targets. */
    public static double training(SsdLiteConfig config, int batch, int iterations, int warmup) {
        NeuralNetConfiguration.Builder base = ReferenceSgd.cosine(0.01, 200, 0)
                .applyTo(new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT));
        ComputationGraph net = MobileNetV2SsdLite.build(config, new MultiBoxLoss(), base);
        DataSet data = randomBatch(config, batch, new Random(3));
        for (int i = 0; i < warmup; i++) {
            net.fit(data);
        }
        double[] rates = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long t = System.nanoTime();
            net.fit(data);
            rates[i] = batch / ((System.nanoTime() - t) / 1e9);
        }
        return median(rates);
    }

    static DataSet randomBatch(SsdLiteConfig config, int batch, Random rng) {
        SsdSpec spec = SsdSpec.forImageSize(config.imageSize());
        PriorMatcher matcher = new PriorMatcher(BoxCoder.of(spec), spec.iouThreshold());
        List<PriorMatcher.Match> matches = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            float x = 0.1f + rng.nextFloat() * 0.4f;
            float y = 0.1f + rng.nextFloat() * 0.4f;
            matches.add(matcher.match(new float[]{x, y, x + 0.3f, y + 0.4f}, new int[]{1 + rng.nextInt(20)}));
        }
        INDArray features = Nd4j.rand(DataType.FLOAT, batch, 3, config.imageSize(), config.imageSize()).subi(0.5);
        return new DataSet(features, MultiBoxLayout.labels(matches));
    }

    /** Median images/s of the evaluation path on JPEG files (synthetic ones when no folder is given). */
    public static double inference(SsdLiteConfig config, int batch, int iterations, int warmup, Path dir)
            throws Exception {
        ComputationGraph net = MobileNetV2SsdLite.build(config, new MultiBoxLoss());
        List<JpegImage> jpegs = new ArrayList<>();
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path p : files.filter(f -> f.toString().endsWith(".jpg")).sorted().limit(batch).toList()) {
                    jpegs.add(new JpegImage(p.getFileName().toString(), Files.readAllBytes(p)));
                }
            }
        }
        while (jpegs.size() < batch) {
            jpegs.add(SyntheticJpeg.make("synthetic-" + jpegs.size(), 500, 375, jpegs.size()));
        }
        EvalPreprocessor pre = new EvalPreprocessor(config.imageSize());
        BoxCoder coder = BoxCoder.of(SsdSpec.forImageSize(config.imageSize()));
        DetectionPostProcessor post = new DetectionPostProcessor();
        int priors = coder.numPriors();
        int classes = config.numClasses();
        double[] rates = new double[iterations];
        for (int i = -warmup; i < iterations; i++) {
            long t = System.nanoTime();
            INDArray out = net.output(false, pre.batch(jpegs))[0];
            for (int b = 0; b < batch; b++) {
                float[] row = out.getRow(b).data().asFloat();
                post.processRaw(Arrays.copyOfRange(row, 0, priors * classes),
                        Arrays.copyOfRange(row, priors * classes, priors * (classes + 4)), coder, classes, 500, 375);
            }
            if (i >= 0) {
                rates[i] = batch / ((System.nanoTime() - t) / 1e9);
            }
        }
        return median(rates);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private ModelBenchmark() {
    }
}
