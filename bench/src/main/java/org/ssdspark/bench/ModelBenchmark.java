package org.ssdspark.bench;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.ssdspark.image.JpegImage;
import org.ssdspark.nn.BatchNormFolding;
import org.ssdspark.nn.DepthwiseConvolution3x3Layer;
import org.ssdspark.nn.PointwiseConvolutionLayer;
import org.ssdspark.nn.SimdKernels;
import org.ssdspark.nn.WeightDecayedBatchNormalization;
import org.ssdspark.model.LayerSet;
import org.ssdspark.model.MobileNetV2SsdLite;
import org.ssdspark.model.SsdLiteConfig;
import org.ssdspark.model.SsdLiteWeightImporter;
import org.ssdspark.ssd.BoxCoder;
import org.ssdspark.ssd.MultiBoxLoss;
import org.ssdspark.ssd.SsdSpec;
import org.ssdspark.torch.TorchCheckpointReader;
import org.ssdspark.train.optim.ReferenceSgd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Throughput of the full mb2-ssd-lite network on this machine, next to the PyTorch reference's in the same run.
 *
 * <pre>
 * java ... org.ssdspark.bench.ModelBenchmark --batches 8,16 --iterations 6 --warmup 2 [--width 1.0 --size 300]
 *      [--variants fused | stock,dl4j-depthwise,onednn-depthwise,direct-pointwise,double-bn,array-kernels,per-image-gemm,unfolded,fused] [--modes train,forward,infer]
 *      [--infer-batch 8] [--rounds 2] [--reference "python3 submit/reference_benchmark.py --serve" | --no-reference]
 *      [--profile N] [--profile-forward N] [--rss-batch 32] [--images DIR] [--checkpoint FILE]
 * </pre>
 *
 * Training: images/s of {@code fit} on a synthetic minibatch (forward, MultiBox loss, backward, SGD momentum 0.9
 * with weight decay 5e-4 as the reference trains). Inference: images/s from JPEG bytes to detections (decode, resize,
 * forward, softmax, box decoding, per-class NMS); {@code --modes train,forward,infer} adds the forward pass alone. Each round measures ours, then the reference's, for every setting:
 * medians over the timed iterations, ratio = ours / reference's. {@code --profile N} adds a table of where a training
 * step's time goes ({@code --profile-forward N}: an inference forward pass's); {@code --rss-batch B} trains at batch B last and prints the peak resident set.
 */
public final class ModelBenchmark {

    private ModelBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        int[] batches = Arrays.stream(opts.getOrDefault("batches", "8,16").split(",")).mapToInt(Integer::parseInt).toArray();
        int iterations = Integer.parseInt(opts.getOrDefault("iterations", "6"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "2"));
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "1"));
        int inferBatch = Integer.parseInt(opts.getOrDefault("infer-batch", "8"));
        int profileSteps = Integer.parseInt(opts.getOrDefault("profile", "0"));
        int forwardProfile = Integer.parseInt(opts.getOrDefault("profile-forward", "0"));
        int rssBatch = Integer.parseInt(opts.getOrDefault("rss-batch", "0"));
        double width = Double.parseDouble(opts.getOrDefault("width", "1.0"));
        int size = Integer.parseInt(opts.getOrDefault("size", "300"));
        String modes = opts.getOrDefault("modes", "train,infer");
        Path repo = repoRoot();
        Path images = Path.of(opts.getOrDefault("images", repo.resolve("spark-job/src/test/fixtures/reference/images").toString()));
        Path checkpoint = Path.of(opts.getOrDefault("checkpoint",
                repo.resolve("spark-job/src/test/fixtures/reference/checkpoints/mb2-ssd-lite-21.pth").toString()));

        SsdLiteConfig config = SsdLiteConfig.of(21).withWidthMultiplier(width).withImageSize(size);
        SsdSpec spec = SsdSpec.forImageSize(size);
        System.out.println(environment());
        List<String> variants = Arrays.asList(opts.getOrDefault("variants", "fused").split(","));
        Map<String, ComputationGraph> graphs = new LinkedHashMap<>();
        Map<String, ComputationGraph> inference = new LinkedHashMap<>();
        for (String variant : variants) {
            // "stock": the stock layer set (DL4J's own layers, what a CUDA backend runs), for before/after
            LayerSet layers = variant.equals("stock") ? LayerSet.STOCK : LayerSet.CPU;
            // "dl4j-depthwise": ours everywhere but the depthwise convolutions (DL4J's op), to measure those alone
            System.setProperty("ssdspark.dl4jDepthwise", Boolean.toString(variant.equals("dl4j-depthwise")));
            System.setProperty("ssdspark.directPointwise", Boolean.toString(variant.equals("direct-pointwise")));
            System.setProperty("ssdspark.doubleBn", Boolean.toString(variant.equals("double-bn")));
            // "onednn-depthwise": the depthwise layers on libnd4j's oneDNN ops instead of the Java kernel
            System.setProperty(DepthwiseConvolution3x3Layer.ONEDNN_PROPERTY, Boolean.toString(variant.equals("onednn-depthwise")));
            // "array-kernels": the custom layers' heap-array kernels, as a JVM without jdk.incubator.vector runs them
            System.setProperty(SimdKernels.PROPERTY, Boolean.toString(!variant.equals("array-kernels")));
            // "per-image-gemm": the 1x1 convolutions' products one image at a time on every plane size
            System.setProperty(PointwiseConvolutionLayer.PER_IMAGE_PROPERTY, Boolean.toString(variant.equals("per-image-gemm")));
            ComputationGraph g = build(config, layers);
            if (width == 1.0 && Files.isRegularFile(checkpoint)) {
                SsdLiteWeightImporter.importStateDict(g, TorchCheckpointReader.readStateDict(checkpoint));
            }
            graphs.put(variant, g);
            // inference (forward, infer) runs copies of the imported weights that training never touches (the scores decide
            // the NMS work), folded as evaluation runs them; "unfolded" keeps the BatchNorm layers
            inference.put(variant, variant.equals("unfolded") ? g.clone() : BatchNormFolding.fold(g));
        }
        System.clearProperty("ssdspark.dl4jDepthwise");
        System.clearProperty(DepthwiseConvolution3x3Layer.ONEDNN_PROPERTY);
        System.clearProperty(SimdKernels.PROPERTY);
        System.clearProperty(PointwiseConvolutionLayer.PER_IMAGE_PROPERTY);
        ComputationGraph graph = graphs.get(variants.get(variants.size() - 1));
        System.out.printf("model: mb2-ssd-lite width %.2f, %dx%d, %d classes, %d priors, %,d parameters; variants %s%s%n",
                width, size, size, config.numClasses(), spec.numPriors(), graph.numParams(), variants,
                width == 1.0 && Files.isRegularFile(checkpoint) ? "; weights " + checkpoint : "");

        ReferenceProcess reference = opts.containsKey("no-reference") ? null
                : ReferenceProcess.start(referenceCommand(opts, repo, images, checkpoint, width, size));
        if (reference != null) {
            System.out.println("reference: " + reference.description());
        }
        List<JpegImage> jpegs = readImages(images);
        int[][] dims = imageSizes(jpegs);
        Map<String, Map<String, List<Timings>>> ours = new LinkedHashMap<>();
        Map<String, List<Timings>> theirs = new LinkedHashMap<>();
        String load0 = loadAverage();
        for (int r = 0; r < rounds; r++) {
            if (modes.contains("train")) {
                for (int b : batches) {
                    String key = "train  batch " + b;
                    MultiDataSet data = SyntheticBatch.of(b, size, spec.numPriors(), config.numClasses(), b);
                    for (var v : graphs.entrySet()) {
                        record(ours.computeIfAbsent(v.getKey(), k -> new LinkedHashMap<>()), v.getKey() + " " + key,
                                key, time(iterations, warmup, b, () -> v.getValue().fit(data)));
                    }
                    if (reference != null) {
                        record(theirs, "pytorch " + key, key, reference.measure("train", b, iterations, warmup));
                    }
                }
            }
            if (modes.contains("forward")) {
                String key = "forward batch " + inferBatch;
                var x = SyntheticBatch.of(inferBatch, size, spec.numPriors(), config.numClasses(), inferBatch).getFeatures(0);
                for (var v : inference.entrySet()) {
                    record(ours.computeIfAbsent(v.getKey(), k -> new LinkedHashMap<>()), v.getKey() + " " + key,
                            key, time(iterations, warmup, inferBatch, () -> v.getValue().outputSingle(false, x)));
                }
                if (reference != null) {
                    record(theirs, "pytorch " + key, key, reference.measure("forward", inferBatch, iterations, warmup));
                }
            }
            if (modes.contains("infer") && !jpegs.isEmpty()) {
                String key = "infer  batch " + inferBatch;
                List<JpegImage> batch = InferencePipeline.cycle(jpegs, inferBatch);
                int[] w = new int[inferBatch];
                int[] h = new int[inferBatch];
                for (int i = 0; i < inferBatch; i++) {
                    w[i] = dims[i % jpegs.size()][0];
                    h[i] = dims[i % jpegs.size()][1];
                }
                for (var v : inference.entrySet()) {
                    InferencePipeline pipeline = new InferencePipeline(v.getValue(), size, BoxCoder.of(spec), config.numClasses());
                    record(ours.computeIfAbsent(v.getKey(), k -> new LinkedHashMap<>()), v.getKey() + " " + key,
                            key, time(iterations, warmup, inferBatch, () -> pipeline.run(batch, w, h)));
                }
                if (reference != null) {
                    record(theirs, "pytorch " + key, key, reference.measure("infer", inferBatch, iterations, warmup));
                }
            }
        }
        System.out.println();
        System.out.printf("load average before: %s  after: %s  (cores: %d)%n", load0, loadAverage(),
                Runtime.getRuntime().availableProcessors());
        if (!ours.isEmpty()) {
            System.out.println(resultTable(ours, theirs));
        }

        if (reference != null) {
            reference.close();
        }
        System.out.println("peak RSS so far: " + PeakMemory.peakRssMiB() + " MiB");
        for (var v : profileSteps > 0 ? graphs.entrySet() : Map.<String, ComputationGraph>of().entrySet()) {
            int b = batches[0];
            MultiDataSet data = SyntheticBatch.of(b, size, spec.numPriors(), config.numClasses(), b);
            v.getValue().initGradientsView(); // set up by fit; without --modes train nothing has called it
            LayerProfile profile = profiled(profileSteps, p -> p.step(v.getValue(), data.getFeatures(0), data.getLabels(0)));
            System.out.printf("profile (%s): training step, batch %d, %d steps, layer by layer (no workspaces); load %s%n",
                    v.getKey(), b, profileSteps, loadAverage());
            System.out.println(profile.table());
        }
        for (var v : forwardProfile > 0 ? inference.entrySet() : Map.<String, ComputationGraph>of().entrySet()) {
            var x = SyntheticBatch.of(inferBatch, size, spec.numPriors(), config.numClasses(), inferBatch).getFeatures(0);
            LayerProfile profile = profiled(forwardProfile, p -> p.forward(v.getValue(), x));
            System.out.printf("profile (%s): forward pass (inference, BatchNorm folded), batch %d, %d passes, layer by"
                    + " layer (in a workspace); load %s%n", v.getKey(), inferBatch, forwardProfile, loadAverage());
            System.out.println(profile.table());
        }
        if (rssBatch > 0) {
            MultiDataSet data = SyntheticBatch.of(rssBatch, size, spec.numPriors(), config.numClasses(), rssBatch);
            Timings t = time(2, 1, rssBatch, () -> graph.fit(data));
            System.out.printf("memory: training batch %d at %.2f images/s; peak RSS %d MiB (now %d MiB), heap max %d MiB%n",
                    rssBatch, t.imagesPerSecond(), PeakMemory.peakRssMiB(), PeakMemory.currentRssMiB(),
                    Runtime.getRuntime().maxMemory() >> 20);
        }
        System.out.println("peak RSS of this JVM: " + PeakMemory.peakRssMiB() + " MiB");
    }

    /** A profile of {@code passes} passes, after one unrecorded pass (allocation and JIT warm-up). */
    private static LayerProfile profiled(int passes, java.util.function.Consumer<LayerProfile> pass) {
        pass.accept(new LayerProfile());
        LayerProfile profile = new LayerProfile();
        for (int i = 0; i < passes; i++) {
            pass.accept(profile);
        }
        return profile;
    }

    static ComputationGraph build(SsdLiteConfig config, LayerSet layers) {
        NeuralNetConfiguration.Builder base = ReferenceSgd.cosine(0.01, 200, 0).applyTo(
                new NeuralNetConfiguration.Builder().seed(12345).dataType(DataType.FLOAT));
        ComputationGraphConfiguration conf = MobileNetV2SsdLite.configuration(config, new MultiBoxLoss(), base, layers);
        WeightDecayedBatchNormalization.replaceIn(conf);
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    private static Timings time(int iterations, int warmup, int batch, Runnable step) {
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            step.run();
            seconds.add((System.nanoTime() - t0) / 1e9);
        }
        return Timings.of(batch, seconds);
    }

    private static void record(Map<String, List<Timings>> into, String label, String key, Timings t) {
        into.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
        System.out.printf("  %-24s %7.2f images/s (median of %d)%n", label, t.imagesPerSecond(), t.seconds().length);
    }

    /** Median over all rounds' iterations. */
    private static Timings merged(List<Timings> list) {
        List<Double> all = new ArrayList<>();
        for (Timings t : list) {
            for (double s : t.seconds()) {
                all.add(s);
            }
        }
        return Timings.of(list.get(0).batch(), all);
    }

    private static String resultTable(Map<String, Map<String, List<Timings>>> ours, Map<String, List<Timings>> theirs) {
        StringBuilder head = new StringBuilder("| measurement       |");
        StringBuilder rule = new StringBuilder("|-------------------|");
        for (String variant : ours.keySet()) {
            head.append(String.format(" DL4J %-6s images/s (min-max) | %-6s / PyTorch |", variant, variant));
            rule.append("-------------------------------|------------------|");
        }
        head.append(" PyTorch images/s (min-max) |\n");
        rule.append("----------------------------|\n");
        StringBuilder sb = new StringBuilder(head).append(rule);
        Map<String, List<Timings>> first = ours.values().iterator().next();
        for (String key : first.keySet()) {
            List<Timings> t = theirs.get(key);
            Timings r = t == null ? null : merged(t);
            sb.append(String.format("| %-17s |", key));
            for (Map<String, List<Timings>> variant : ours.values()) {
                Timings o = merged(variant.get(key));
                sb.append(String.format(" %8.2f (%6.2f-%6.2f)       | %-16s |", o.imagesPerSecond(), o.minImagesPerSecond(),
                        o.maxImagesPerSecond(), r == null ? "n/a" : String.format("%.2fx", o.imagesPerSecond() / r.imagesPerSecond())));
            }
            sb.append(String.format(" %-26s |%n", r == null ? "n/a" : String.format("%7.2f (%.2f-%.2f)", r.imagesPerSecond(),
                    r.minImagesPerSecond(), r.maxImagesPerSecond())));
        }
        return sb.toString();
    }

    private static List<String> referenceCommand(Map<String, String> opts, Path repo, Path images, Path checkpoint,
                                                 double width, int size) {
        List<String> cmd = new ArrayList<>(Arrays.asList(opts.getOrDefault("reference",
                "/usr/bin/python3 " + repo.resolve("submit/reference_benchmark.py")).trim().split("\\s+")));
        cmd.addAll(List.of("--serve", "--images", images.toString(), "--width", Double.toString(width),
                "--size", Integer.toString(size)));
        if (width == 1.0 && Files.isRegularFile(checkpoint)) {
            cmd.addAll(List.of("--checkpoint", checkpoint.toString()));
        }
        return cmd;
    }

    private static List<JpegImage> readImages(Path dir) throws IOException {
        List<JpegImage> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            System.out.println("images: " + dir + " not found, inference skipped");
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".jpg")).sorted().toList()) {
                out.add(new JpegImage(p.getFileName().toString(), Files.readAllBytes(p)));
            }
        }
        return out;
    }

    private static int[][] imageSizes(List<JpegImage> jpegs) {
        int[][] dims = new int[jpegs.size()][];
        for (int i = 0; i < dims.length; i++) {
            try (var rgb = org.ssdspark.image.ImageDecoder.decode(jpegs.get(i))) {
                dims[i] = new int[]{rgb.width(), rgb.height()};
            }
        }
        return dims;
    }

    private static String environment() {
        var env = Nd4j.getExecutioner().getEnvironmentInformation();
        return String.format("nd4j: %s, blas %s, omp threads %s; OMP_NUM_THREADS=%s OMP_WAIT_POLICY=%s; java %s; load %s",
                Nd4j.getBackend().getClass().getSimpleName(), env.get("blas.vendor"), env.get("omp.threads"),
                System.getenv("OMP_NUM_THREADS"), System.getenv("OMP_WAIT_POLICY"), System.getProperty("java.version"),
                loadAverage());
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    /** The directory holding {@code submit/}, walking up from the working directory. */
    private static Path repoRoot() {
        Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path q = p; q != null; q = q.getParent()) {
            if (Files.isDirectory(q.resolve("submit")) && Files.isRegularFile(q.resolve("pom.xml"))) {
                return q;
            }
        }
        return p;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String key = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                opts.put(key, args[++i]);
            } else {
                opts.put(key, "true");
            }
        }
        return opts;
    }
}
