package org.ssdspark.train;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ssdspark.checkpoint.CheckpointRetention;
import org.ssdspark.checkpoint.SsdCheckpoint;
import org.ssdspark.checkpoint.TrainingState;
import org.ssdspark.config.UserInputException;
import org.ssdspark.device.DeviceAssignment;
import org.ssdspark.model.LayerSet;
import org.ssdspark.model.LayerSetChoice;
import org.ssdspark.model.MobileNetV2SsdLite;
import org.ssdspark.model.ReferenceInitialisation;
import org.ssdspark.model.SsdLiteConfig;
import org.ssdspark.model.SsdLiteWeightImporter;
import org.ssdspark.nn.WeightDecayedBatchNormalization;
import org.ssdspark.spark.HadoopPaths;
import org.ssdspark.torch.TorchCheckpointReader;
import org.ssdspark.train.optim.ReferenceSgd;
import org.ssdspark.train.optim.WeightDecayAudit;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Trains mb2-ssd-lite from the train shards with synchronous parameter averaging, one round at a time
 * ({@link RoundTrainingMaster}): per epoch the raw records are shuffled into tasks ({@link EpochShuffle}); per round
 * the round's tasks decode, augment and match on the executors and train {@code averaging_frequency} minibatches
 * each, and the driver averages parameters and updater state. Validation loss and a checkpoint every
 * {@code validation_epochs} epochs and after the last; metrics per round and per epoch in {@code metrics.jsonl}.
 */
public final class TrainingJob {

    private static final Logger log = LoggerFactory.getLogger(TrainingJob.class);

    private final WorkerFaultHook faultHook;

    public TrainingJob() {
        this(WorkerFaultHook.NONE);
    }

    /** With a fault-injection hook run before each worker minibatch (tests). */
    public TrainingJob(WorkerFaultHook faultHook) {
        this.faultHook = faultHook;
    }

    public TrainingSummary run(SparkSession spark, TrainOptions options) throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        ShardSource source = new ShardSource(spark, options.dataPath());
        List<String> classes = source.classes();
        int workers = ClusterSlots.await(jsc, options.numWorkers(), options.executorWaitSeconds())
                .workers(options.numWorkers());
        ShardSource.TrainableIds trainable = source.trainableIds(ShardSource.TRAIN);
        List<String> ids = trainable.ids();
        if (ids.isEmpty()) {
            throw new UserInputException("The training split of " + options.dataPath() + " has no image with a"
                    + " non-difficult object: nothing to train on");
        }
        if (!trainable.withoutObjects().isEmpty()) {
            log.warn("{} training images have only difficult objects and are left out, as the reference does (it cannot"
                    + " train on them): {}", trainable.withoutObjects().size(), abbreviated(trainable.withoutObjects()));
        }
        Map<String, Integer> index = new HashMap<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            index.put(ids.get(i), i);
        }
        Broadcast<Map<String, Integer>> idIndex = jsc.broadcast(index);
        EpochLayout layout = new EpochLayout(ids.size(), workers, options.batchSize(), options.averagingFrequency(),
                options.maxRoundsPerEpoch());

        SsdLiteConfig modelConfig = new SsdLiteConfig(classes.size() + 1, options.widthMult(), options.imageSize(),
                SsdLiteConfig.DEFAULT_PRIORS_PER_LOCATION);
        ComputationGraph graph;
        int firstEpoch;
        if (!options.resume().isBlank()) {
            SsdCheckpoint from = SsdCheckpoint.load(options.resume(), hadoop);
            checkResumable(from, classes, modelConfig);
            graph = from.graph();
            firstEpoch = from.state().nextEpoch();
            log.info("Resuming from {} (epoch {} done, iteration {}, lr {})", from.location(), from.state().epoch(),
                    from.state().iteration(), from.state().learningRate());
        } else {
            graph = newNetwork(modelConfig, options, workers, hadoop);
            firstEpoch = 0;
        }
        List<String> untreated = WeightDecayAudit.untreated(graph, options.weightDecay());
        if (!untreated.isEmpty()) {
            throw new IllegalStateException("parameters not trained as the reference's SGD: " + untreated);
        }
        ISchedule schedule = scheduleOf(graph);
        log.info("Training {} of {} images/epoch (whole minibatches), {} workers x batch {} x averaging frequency {}"
                        + " ({} rounds/epoch), epochs {}..{}, schedule {}, prefetch {}", layout.trainedRecords(),
                ids.size(), workers, options.batchSize(),
                options.averagingFrequency(), layout.rounds(), firstEpoch, options.numEpochs() - 1, schedule,
                options.prefetch());

        RoundLoop rounds = new RoundLoop(jsc, options, layout, graph, workers,
                layout.rounds() * (long) Math.max(0, options.numEpochs() - firstEpoch));
        Path folder = HadoopPaths.qualify(options.checkpointFolder(), hadoop);
        JavaRDD<TrainingRecord> train = source.records(ShardSource.TRAIN).filter(r -> r.labels().length > 0);
        JavaRDD<TrainingRecord> test = source.hasSplit(ShardSource.TEST) ? source.records(ShardSource.TEST) : null;
        String runId = UUID.randomUUID().toString().substring(0, 8);
        List<TrainingSummary.EpochStats> epochs = new ArrayList<>();
        String lastCheckpoint = options.resume().isBlank() ? "" : options.resume();
        ExecutorLossLog lossLog = new ExecutorLossLog();
        jsc.sc().addSparkListener(lossLog);
        try (MetricsLog metrics = new MetricsLog(folder, hadoop, runId)) {
            ObjectNode start = metrics.line("run");
            start.put("first_epoch", firstEpoch).put("num_epochs", options.numEpochs()).put("workers", workers)
                    .put("batch_size", options.batchSize()).put("averaging_frequency", options.averagingFrequency())
                    .put("rounds_per_epoch", layout.rounds()).put("images_per_epoch", layout.trainedRecords())
                    .put("train_images", ids.size())
                    .put("images_without_objects", trainable.withoutObjects().size())
                    .put("layers", layerSetOf(graph))
                    .put("schedule", schedule.toString()).put("resumed_from", options.resume());
            metrics.write(start);
            Checkpoints checkpoints = new Checkpoints(folder, hadoop, classes, modelConfig, schedule,
                    options.resolvedConfig(), options.retention());
            for (int epoch = firstEpoch; epoch < options.numEpochs(); epoch++) {
                // Workers receive the configuration, with this counter, at every round: the epoch-based schedule.
                graph.getConfiguration().setEpochCount(epoch);
                double lr = schedule.valueAt(graph.getConfiguration().getIterationCount(), epoch);
                EpochShuffle shuffle = EpochShuffle.of(jsc, train, idIndex, layout, options.seed(), epoch);
                EpochTotals totals = rounds.trainEpoch(shuffle, epoch, lr, metrics);
                shuffle.release();
                double validation = options.computesValidationLossAfter(epoch) && test != null
                        ? validationLoss(jsc, test, graph, workers, options, epoch, metrics) : Double.NaN;
                epochs.add(summariseEpoch(totals.stats(epoch, lr, validation),
                        graph.getConfiguration().getIterationCount(), metrics));
                if (options.validatesAfter(epoch)) {
                    lastCheckpoint = checkpoints.save(graph, epoch, lr, validation, metrics);
                }
            }
        } finally {
            jsc.sc().removeSparkListener(lossLog);
            rounds.close();
            idIndex.destroy();
        }
        return new TrainingSummary(firstEpoch, options.numEpochs() - 1, graph.getConfiguration().getIterationCount(),
                epochs, rounds.devices(), lastCheckpoint, workers, rounds.steadyImagesPerSecond());
    }

    /**
     * The round loop: each round's tasks train {@code averaging_frequency} minibatches on the executors and the driver
     * averages; every round is checked, written to metrics.jsonl and the console, and added to its epoch's totals.
     * Across the run it keeps the executors' device assignments and the throughput after the first round.
     */
    private final class RoundLoop {
        private final TrainOptions options;
        private final EpochLayout layout;
        private final ComputationGraph graph;
        private final RoundTrainingMaster master;
        private final SparkComputationGraph sparkGraph;
        private final TaskReportAccumulator reports;
        private final Progress progress;
        private final RoundWatchdog watchdog;
        private final Map<String, DeviceAssignment> devices = new LinkedHashMap<>();
        // The first round of a run pays for JIT, broadcast and native warm-up: throughput is quoted without it.
        private long steadyImages;
        private double steadySeconds;
        private boolean firstRound = true;

        RoundLoop(JavaSparkContext jsc, TrainOptions options, EpochLayout layout, ComputationGraph graph, int workers,
                  long totalRounds) {
            this.options = options;
            this.layout = layout;
            this.graph = graph;
            master = RoundTrainingMaster.create(workers, options.batchSize(), options.averagingFrequency(),
                    options.prefetch());
            master.setListeners(List.of(new LearningRateProbe()));
            sparkGraph = new SparkComputationGraph(jsc, graph, master);
            reports = new TaskReportAccumulator();
            jsc.sc().register(reports, "ssd-round-reports");
            progress = new Progress(totalRounds);
            watchdog = new RoundWatchdog(jsc, options.roundWarnMultiple(), options.roundTimeoutSeconds());
        }

        void close() {
            watchdog.close();
        }

        EpochTotals trainEpoch(EpochShuffle shuffle, int epoch, double lr, MetricsLog metrics) {
            EpochTotals totals = new EpochTotals();
            for (int round = 0; round < layout.rounds(); round++) {
                RoundOutcome outcome = trainRound(shuffle, epoch, round, lr);
                long iteration = graph.getConfiguration().getIterationCount();
                recordTasks(outcome, epoch, round, metrics);
                if (!firstRound) {
                    steadyImages += outcome.images();
                    steadySeconds += outcome.seconds();
                }
                firstRound = false;
                totals.add(outcome);
                metrics.write(roundLine(metrics, epoch, round, layout.rounds(), iteration, lr, outcome));
                progress.roundDone(outcome.seconds());
                System.out.println(progress.line(epoch, options.numEpochs(), round, layout.rounds(), outcome, lr));
            }
            return totals;
        }

        /** One round on the cluster, then the iteration counter it advanced and a check of its outcome. */
        private RoundOutcome trainRound(EpochShuffle shuffle, int epoch, int round, double lr) {
            reports.reset();
            long iterationBefore = graph.getConfiguration().getIterationCount();
            JavaRDD<MultiDataSet> data = shuffle.round(round)
                    .mapPartitions(new MinibatchFunction(epoch, round, options, reports, faultHook));
            long t0 = System.nanoTime();
            watchdog.watch(epoch, round,
                    () -> master.trainRound(sparkGraph, data, round, layout.rounds(), layout.batchesPerTask(round)));
            double seconds = (System.nanoTime() - t0) / 1e9;
            RoundOutcome outcome = RoundOutcome.of(reports.value(), seconds);
            // DL4J adds averaging_frequency to the counter whatever the tasks trained; a short last round
            // trained fewer minibatches: count the steps of the round's longest task
            graph.getConfiguration().setIterationCount(Math.toIntExact(iterationBefore + outcome.maxBatches()));
            checkRound(outcome, graph, layout.endTask(round) - layout.firstTask(round), epoch, round,
                    iterationBefore, lr);
            return outcome;
        }

        /** Warns of tasks that completed on a retry; logs each executor's device the first time it reports. */
        private void recordTasks(RoundOutcome outcome, int epoch, int round, MetricsLog metrics) {
            for (TaskReport r : outcome.reports()) {
                if (r.attempt() > 0) {
                    log.warn("epoch {} round {}: task {} completed on attempt {} (executor {}) after a failed"
                            + " attempt; the round was averaged from complete results only", epoch, round,
                            r.partition(), r.attempt(), r.device().executorId());
                }
                if (devices.putIfAbsent(r.device().executorId(), r.device()) == null) {
                    log.info("Device assignment: {}", r.device().describe());
                    metrics.write(deviceLine(metrics, r.device()));
                }
            }
        }

        List<DeviceAssignment> devices() {
            return List.copyOf(devices.values());
        }

        double steadyImagesPerSecond() {
            return steadySeconds > 0 ? steadyImages / steadySeconds : Double.NaN;
        }
    }

    /** One epoch's rounds summed: wall and averaging time, loss sums, minibatches and images. */
    private static final class EpochTotals {
        private double seconds;
        private double averagingSeconds;
        private double regression;
        private double classification;
        private long batches;
        private long images;

        void add(RoundOutcome round) {
            seconds += round.seconds();
            averagingSeconds += round.averagingSeconds();
            regression += round.regressionSum();
            classification += round.classificationSum();
            batches += round.batches();
            images += round.images();
        }

        TrainingSummary.EpochStats stats(int epoch, double lr, double validationLoss) {
            return new TrainingSummary.EpochStats(epoch, (regression + classification) / batches,
                    regression / batches, classification / batches, lr, images, seconds, averagingSeconds,
                    validationLoss);
        }
    }

    /** The validation loss after an epoch, written to metrics.jsonl and the console. */
    private static double validationLoss(JavaSparkContext jsc, JavaRDD<TrainingRecord> test, ComputationGraph graph,
                                         int workers, TrainOptions options, int epoch, MetricsLog metrics) {
        ValidationLoss.Result val = ValidationLoss.compute(jsc, test, graph, workers, options);
        ObjectNode v = metrics.line("validation");
        v.put("epoch", epoch).put("loss", val.total()).put("regression_loss", val.regression())
                .put("classification_loss", val.classification()).put("images", val.images());
        metrics.write(v);
        System.out.printf(Locale.ROOT, "epoch %d validation loss %.4f (regression %.4f, classification %.4f)"
                + " on %d images%n", epoch, val.total(), val.regression(), val.classification(), val.images());
        return val.total();
    }

    /** The epoch's summary, written to metrics.jsonl and the console. */
    private static TrainingSummary.EpochStats summariseEpoch(TrainingSummary.EpochStats stats, long iteration,
                                                             MetricsLog metrics) {
        metrics.write(epochLine(metrics, stats, iteration));
        System.out.printf(Locale.ROOT, "epoch %d done: loss %.4f (regression %.4f, classification %.4f), "
                        + "lr %.6g, %.1f images/s, %.0f%% of the time outside worker compute%n", stats.epoch(),
                stats.loss(), stats.regressionLoss(), stats.classificationLoss(), stats.lr(), stats.imagesPerSecond(),
                100 * stats.averagingShare());
        return stats;
    }

    /**
     * Saves the checkpoint after an epoch (the network, its classes and configuration, the training state), then
     * removes the ones the retention policy does not keep; both are written to metrics.jsonl.
     */
    private record Checkpoints(Path folder, Configuration hadoop, List<String> classes, SsdLiteConfig modelConfig,
                               ISchedule schedule, String resolvedConfig, CheckpointRetention retention) {

        /** Saves, logs it in metrics.jsonl, and returns where the checkpoint is. */
        String save(ComputationGraph graph, int epoch, double lr, double validationLoss, MetricsLog metrics)
                throws IOException {
            graph.getConfiguration().setEpochCount(epoch + 1);
            TrainingState state = new TrainingState(epoch, graph.getConfiguration().getIterationCount(), lr,
                    scheduleJson(schedule), validationLoss);
            Path saved = SsdCheckpoint.save(folder.toString(), hadoop, graph, classes, modelConfig, state,
                    resolvedConfig);
            ObjectNode c = metrics.line("checkpoint");
            c.put("epoch", epoch).put("path", saved.toString());
            metrics.write(c);
            log.info("Checkpoint {}", saved);
            for (Path removed : retention.apply(saved.getFileSystem(hadoop), saved.getParent())) {
                ObjectNode r = metrics.line("checkpoint_removed");
                r.put("path", removed.toString()).put("keep_last", retention.keepLast())
                        .put("keep_best", retention.keepBest());
                metrics.write(r);
                log.info("Removed checkpoint {} (train.keep_last {}, train.keep_best {})", removed,
                        retention.keepLast(), retention.keepBest());
            }
            return saved.toString();
        }
    }

    /** The network of a fresh run: reference SGD with the schedule, BatchNorm decayed too, optional base net. */
    static ComputationGraph newNetwork(SsdLiteConfig config, TrainOptions options, int workers, Configuration hadoop)
            throws IOException {
        ComputationGraph graph = trainingNetwork(config,
                new ReferenceSgd(options.learningRateSchedule(workers), options.momentum(), options.weightDecay()),
                options.seed(), DataType.FLOAT);
        if (!options.baseNet().isBlank()) {
            java.nio.file.Path local = localCopy(options.baseNet(), hadoop);
            SsdLiteWeightImporter.importBaseNet(graph, TorchCheckpointReader.readStateDict(local));
            // as init_from_base_net: extras and heads re-drawn with xavier_uniform_ (their biases stay as drawn)
            ReferenceInitialisation.xavierExtrasAndHeads(graph, options.seed());
            log.info("Base net initialised from {}", options.baseNet());
        }
        return graph;
    }

    /**
     * The network the job trains, freshly initialised: the reference's SGD on every parameter (BatchNorm included),
     * the recording MultiBox loss. Double precision is for parity tests against the reference's float64 trajectory.
     */
    static ComputationGraph trainingNetwork(SsdLiteConfig config, ReferenceSgd sgd, long seed, DataType dataType) {
        return trainingNetwork(config, sgd, seed, dataType, LayerSetChoice.forThisJvm());
    }

    /** As {@link #trainingNetwork(SsdLiteConfig, ReferenceSgd, long, DataType)}, with {@code layers}' layers. */
    static ComputationGraph trainingNetwork(SsdLiteConfig config, ReferenceSgd sgd, long seed, DataType dataType,
                                            LayerSet layers) {
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dataType);
        sgd.applyTo(base);
        ComputationGraphConfiguration conf = MobileNetV2SsdLite.configuration(config, new RecordingMultiBoxLoss(), base,
                layers);
        WeightDecayedBatchNormalization.replaceIn(conf);
        ComputationGraph graph = new ComputationGraph(conf);
        MobileNetV2SsdLite.initialise(graph);
        return graph;
    }

    /**
     * Which layer set the driver's network is in: the one this JVM chose (a loaded checkpoint is rebuilt in it), and the
     * one executors of the same backend train with (each executor rebuilds the network in its own JVM's set).
     */
    private static String layerSetOf(ComputationGraph graph) {
        return LayerSet.of(graph.getConfiguration()).map(LayerSet::label).orElse("dl4j");
    }

    private static String abbreviated(List<String> ids) {
        return ids.size() <= 10 ? String.join(", ", ids) : String.join(", ", ids.subList(0, 10)) + ", ...";
    }

    /** The schedule inside the network's updater (a resumed run keeps the one it was trained with). */
    static ISchedule scheduleOf(ComputationGraph graph) {
        for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
            if (layer.numParams() > 0) {
                String param = layer.paramTable().keySet().iterator().next();
                IUpdater u = layer.conf().getLayer().getUpdaterByParam(param);
                if (u instanceof org.ssdspark.train.optim.SgdMomentum sgd && sgd.getLearningRateSchedule() != null) {
                    return sgd.getLearningRateSchedule();
                }
                throw new IllegalStateException("the network's updater is " + u + ", not SgdMomentum with a schedule");
            }
        }
        throw new IllegalStateException("network without parameters");
    }

    static String scheduleJson(ISchedule schedule) {
        try {
            return NeuralNetConfiguration.mapper().writerFor(ISchedule.class).writeValueAsString(schedule);
        } catch (org.nd4j.shade.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("schedule " + schedule + " is not JSON-serialisable", e);
        }
    }

    private static void checkResumable(SsdCheckpoint from, List<String> classes, SsdLiteConfig wanted) {
        if (!from.classes().equals(classes)) {
            throw new UserInputException("Checkpoint " + from.location() + " was trained on classes " + from.classes()
                    + ", the data set has " + classes);
        }
        if (from.config().widthMultiplier() != wanted.widthMultiplier() || from.config().imageSize() != wanted.imageSize()) {
            throw new UserInputException("Checkpoint " + from.location() + " is a " + from.config()
                    + " network; the configuration asks for " + wanted);
        }
    }

    private static void checkRound(RoundOutcome outcome, ComputationGraph graph, int tasks, int epoch, int round,
                                   long iterationBefore, double lr) {
        long iteration = iterationBefore + outcome.maxBatches();
        if (outcome.reports().size() != tasks) {
            log.warn("epoch {} round {}: {} task reports for {} tasks", epoch, round, outcome.reports().size(), tasks);
        }
        if (!Double.isFinite(outcome.loss())) {
            throw new TrainingDivergedException(epoch, round, iteration, "loss is " + outcome.loss()
                    + " (regression " + outcome.regressionSum() + ", classification " + outcome.classificationSum() + ")");
        }
        double paramSum = graph.params().sumNumber().doubleValue();
        if (!Double.isFinite(paramSum)) {
            throw new TrainingDivergedException(epoch, round, iteration, "averaged parameters are not finite");
        }
        for (TaskReport r : outcome.reports()) {
            if (r.workerEpoch() != epoch || Math.abs(r.lrMax() - lr) > 1e-9 * lr || Math.abs(r.lrMin() - lr) > 1e-9 * lr) {
                throw new IllegalStateException("epoch " + epoch + " round " + round + ": worker " + r.partition()
                        + " trained at epoch counter " + r.workerEpoch() + " with lr " + r.lrMin() + ".." + r.lrMax()
                        + ", the schedule says " + lr);
            }
        }
    }

    private static ObjectNode deviceLine(MetricsLog metrics, DeviceAssignment d) {
        ObjectNode n = metrics.line("device");
        n.put("executor", d.executorId()).put("host", d.host()).put("address", d.address()).put("pinned", d.pinned())
                .put("device", d.device()).put("backend", d.backend()).put("note", d.note());
        return n;
    }

    private static ObjectNode roundLine(MetricsLog metrics, int epoch, int round, int rounds, long iteration, double lr,
                                        RoundOutcome o) {
        ObjectNode n = metrics.line("round");
        n.put("epoch", epoch).put("round", round).put("rounds", rounds).put("iteration", iteration).put("lr", lr)
                .put("loss", o.loss()).put("regression_loss", o.regressionLoss())
                .put("classification_loss", o.classificationLoss()).put("images", o.images())
                .put("batches", o.batches()).put("seconds", o.seconds()).put("images_per_s", o.images() / o.seconds())
                .put("averaging_s", o.averagingSeconds());
        ArrayNode tasks = n.putArray("workers");
        for (TaskReport r : o.reports()) {
            ObjectNode t = tasks.addObject();
            t.put("partition", r.partition()).put("attempt", r.attempt()).put("executor", r.device().executorId())
                    .put("address", r.device().address()).put("pinned", r.device().pinned())
                    .put("images", r.images()).put("loss", r.meanLoss()).put("lr", r.lrMax())
                    .put("seconds", r.seconds()).put("network_s", r.networkSeconds())
                    .put("network_built", r.networkBuilt()).put("fit_s", r.fitSeconds());
        }
        return n;
    }

    private static ObjectNode epochLine(MetricsLog metrics, TrainingSummary.EpochStats s, long iteration) {
        ObjectNode n = metrics.line("epoch");
        n.put("epoch", s.epoch()).put("iteration", iteration).put("lr", s.lr()).put("loss", s.loss())
                .put("regression_loss", s.regressionLoss()).put("classification_loss", s.classificationLoss())
                .put("images", s.images()).put("seconds", s.seconds()).put("images_per_s", s.imagesPerSecond())
                .put("averaging_s", s.averagingSeconds()).put("averaging_share", s.averagingShare());
        if (Double.isFinite(s.validationLoss())) {
            n.put("validation_loss", s.validationLoss());
        }
        return n;
    }

    private static java.nio.file.Path localCopy(String uri, Configuration hadoop) throws IOException {
        Path p = HadoopPaths.qualify(uri, hadoop);
        FileSystem fs = p.getFileSystem(hadoop);
        if (!fs.exists(p)) {
            throw new UserInputException("train.base_net " + uri + " does not exist");
        }
        if ("file".equals(p.toUri().getScheme())) {
            return java.nio.file.Paths.get(p.toUri());
        }
        java.nio.file.Path local = Files.createTempFile("base-net", ".pth");
        local.toFile().deleteOnExit();
        fs.copyToLocalFile(false, p, new Path(local.toUri()), true);
        return local;
    }
}
