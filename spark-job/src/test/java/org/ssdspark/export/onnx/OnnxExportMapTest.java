package org.ssdspark.export.onnx;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.ssdspark.eval.ApMetric;
import org.ssdspark.eval.EvaluationResult;
import org.ssdspark.eval.GroundTruthBox;
import org.ssdspark.eval.VocAveragePrecision;
import org.ssdspark.evaljob.PostProcessing;
import org.ssdspark.image.EvalPreprocessor;
import org.ssdspark.image.JpegImage;
import org.ssdspark.model.MobileNetV2SsdLite;
import org.ssdspark.model.SsdLiteConfig;
import org.ssdspark.prep.voc.VocAnnotation;
import org.ssdspark.prep.voc.VocAnnotationParser;
import org.ssdspark.prep.voc.VocObject;
import org.ssdspark.ssd.BoxCoder;
import org.ssdspark.ssd.Detection;
import org.ssdspark.ssd.DetectionPostProcessor;
import org.ssdspark.ssd.MultiBoxLayout;
import org.ssdspark.ssd.MultiBoxLoss;
import org.ssdspark.ssd.PriorMatcher;
import org.ssdspark.ssd.SsdSpec;
import org.ssdspark.testing.SampleData;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small model (width 0.25, 64 px) trained briefly on the test split of a synthetic VOC set (four shape classes),
 * then evaluated on that split twice: through the DL4J graph with the eval package's post-processing of raw outputs,
 * and through ONNX Runtime with the same post-processing of the exported scores and boxes. Same detections, same mAP.
 * It trains on the images it is evaluated on because this is a parity check, not a measure of generalisation: a
 * model that fits them gives an mAP well above 0, so ranking, NMS and matching all take part in the comparison.
 */
class OnnxExportMapTest {
    private static final List<String> CLASSES = List.of("circle", "square", "triangle", "star");
    private static final int SIDE = 64;
    private static final SsdLiteConfig CONFIG = new SsdLiteConfig(CLASSES.size() + 1, 0.25, SIDE, 6);
    private static final int TRAINING_STEPS = 60;

    @TempDir
    Path tmp;

    record Sample(String id, float[] input, VocAnnotation annotation) {
    }

    @Test
    void aTrainedModelGivesTheSameDetectionsAndMapThroughDl4jAndOnnxRuntime() throws Exception {
        Path voc = SampleData.generate(tmp.resolve("voc"), 40, 11);
        List<Sample> test = read(voc, "test");
        ComputationGraph graph = train(test);

        SsdSpec spec = SsdSpec.forImageSize(SIDE);
        int priors = spec.numPriors();
        int classes = CONFIG.numClasses();
        BoxCoder coder = BoxCoder.of(spec);
        DetectionPostProcessor post = PostProcessing.reference().processor();
        float[] batch = inputs(test);

        INDArray raw = graph.outputSingle(false, Nd4j.create(batch, new long[]{test.size(), 3, SIDE, SIDE}, 'c'));
        float[][] rows = raw.castTo(DataType.FLOAT).toFloatMatrix();
        OnnxRunner.Outputs onnx;
        try (OnnxRunner runner = new OnnxRunner(OnnxExport.of(graph, CONFIG, CLASSES, "trained tiny").bytes())) {
            onnx = runner.run(batch, test.size(), SIDE);
        }

        Map<String, List<org.ssdspark.eval.Detection>> dl4jByClass = new HashMap<>();
        Map<String, List<org.ssdspark.eval.Detection>> onnxByClass = new HashMap<>();
        int detections = 0;
        double worstScore = 0;
        double worstBox = 0;
        for (int i = 0; i < test.size(); i++) {
            Sample s = test.get(i);
            int w = s.annotation().width();
            int h = s.annotation().height();
            List<Detection> fromDl4j = post.processRaw(Arrays.copyOfRange(rows[i], 0, priors * classes),
                    Arrays.copyOfRange(rows[i], priors * classes, priors * (classes + 4)), coder, classes, w, h);
            List<Detection> fromOnnx = post.process(
                    Arrays.copyOfRange(onnx.scores(), i * priors * classes, (i + 1) * priors * classes), classes,
                    Arrays.copyOfRange(onnx.boxes(), i * priors * 4, (i + 1) * priors * 4), w, h);
            assertEquals(fromDl4j.size(), fromOnnx.size(), s.id() + ": number of detections");
            for (int k = 0; k < fromDl4j.size(); k++) {
                Detection a = fromDl4j.get(k);
                Detection b = fromOnnx.get(k);
                assertEquals(a.label(), b.label(), s.id() + " detection " + k);
                worstScore = Math.max(worstScore, Math.abs(a.score() - b.score()));
                worstBox = Math.max(worstBox, Math.max(Math.max(Math.abs(a.xMin() - b.xMin()), Math.abs(a.yMin() - b.yMin())),
                        Math.max(Math.abs(a.xMax() - b.xMax()), Math.abs(a.yMax() - b.yMax()))));
            }
            detections += fromDl4j.size();
            collect(s.id(), fromDl4j, dl4jByClass);
            collect(s.id(), fromOnnx, onnxByClass);
        }
        List<GroundTruthBox> truth = groundTruth(test);
        EvaluationResult dl4jMap = new VocAveragePrecision().evaluate(CLASSES, dl4jByClass, truth);
        EvaluationResult onnxMap = new VocAveragePrecision().evaluate(CLASSES, onnxByClass, truth);
        double dl4j = dl4jMap.meanAp(ApMetric.VOC2007_11_POINT);
        double ort = onnxMap.meanAp(ApMetric.VOC2007_11_POINT);
        System.out.printf("test split: %d images, %d detections each way; mAP (VOC2007 11-point) DL4J %.6f, ONNX Runtime"
                        + " %.6f; AUC mAP %.6f vs %.6f; max |score diff| %.2e, max |box diff| %.2e px%n", test.size(),
                detections, dl4j, ort, dl4jMap.meanAp(ApMetric.AREA_UNDER_CURVE), onnxMap.meanAp(ApMetric.AREA_UNDER_CURVE),
                worstScore, worstBox);
        assertTrue(worstScore <= 1e-4, "scores differ by " + worstScore);
        assertTrue(worstBox <= 1e-2, "boxes differ by " + worstBox + " px");
        assertEquals(dl4j, ort, 1e-9);
        assertEquals(dl4jMap.meanAp(ApMetric.AREA_UNDER_CURVE), onnxMap.meanAp(ApMetric.AREA_UNDER_CURVE), 1e-9);
        assertTrue(dl4j > 0.05, "the model learnt something (mAP " + dl4j + "), so the comparison means something");
    }

    /** A few dozen Adam steps on all the images at once: enough to fit them. */
    private static ComputationGraph train(List<Sample> train) {
        ComputationGraph graph = MobileNetV2SsdLite.build(CONFIG, new MultiBoxLoss(), new NeuralNetConfiguration.Builder()
                .seed(7).dataType(DataType.FLOAT).updater(new Adam(1e-2)));
        PriorMatcher matcher = PriorMatcher.of(SsdSpec.forImageSize(SIDE));
        List<PriorMatcher.Match> matches = new ArrayList<>();
        for (Sample s : train) {
            List<VocObject> objects = s.annotation().objects().stream().filter(o -> !o.difficult()).toList();
            float[] boxes = new float[4 * objects.size()];
            int[] labels = new int[objects.size()];
            float w = s.annotation().width();
            float h = s.annotation().height();
            for (int k = 0; k < objects.size(); k++) {
                VocObject o = objects.get(k);
                // the original's VOCDataset: 0-based pixels, then relative to the image
                boxes[4 * k] = (float) (o.xmin() - 1) / w;
                boxes[4 * k + 1] = (float) (o.ymin() - 1) / h;
                boxes[4 * k + 2] = (float) (o.xmax() - 1) / w;
                boxes[4 * k + 3] = (float) (o.ymax() - 1) / h;
                labels[k] = CLASSES.indexOf(o.name()) + 1;
            }
            matches.add(matcher.match(boxes, labels));
        }
        DataSet data = new DataSet(Nd4j.create(inputs(train), new long[]{train.size(), 3, SIDE, SIDE}, 'c'),
                MultiBoxLayout.labels(matches));
        for (int step = 0; step < TRAINING_STEPS; step++) {
            graph.fit(data);
            if (step == 0 || step == TRAINING_STEPS - 1) {
                System.out.printf("training step %d: loss %.4f%n", step + 1, graph.score());
            }
        }
        return graph;
    }

    private static List<Sample> read(Path voc, String split) throws Exception {
        EvalPreprocessor pre = new EvalPreprocessor(SIDE);
        VocAnnotationParser parser = new VocAnnotationParser();
        List<Sample> samples = new ArrayList<>();
        for (String id : Files.readAllLines(voc.resolve("ImageSets/Main/" + split + ".txt"))) {
            if (id.isBlank()) {
                continue;
            }
            byte[] jpeg = Files.readAllBytes(voc.resolve("JPEGImages/" + id + ".jpg"));
            Path xml = voc.resolve("Annotations/" + id + ".xml");
            samples.add(new Sample(id, pre.apply(new JpegImage(id, jpeg)), parser.parse(Files.readAllBytes(xml),
                    xml.toString())));
        }
        return samples;
    }

    private static float[] inputs(List<Sample> samples) {
        int n = 3 * SIDE * SIDE;
        float[] out = new float[samples.size() * n];
        for (int i = 0; i < samples.size(); i++) {
            System.arraycopy(samples.get(i).input(), 0, out, i * n, n);
        }
        return out;
    }

    private static void collect(String id, List<Detection> detections, Map<String, List<org.ssdspark.eval.Detection>> byClass) {
        for (Detection d : detections) {
            byClass.computeIfAbsent(CLASSES.get(d.label() - 1), c -> new ArrayList<>())
                    .add(new org.ssdspark.eval.Detection(id, d.score(), d.xMin(), d.yMin(), d.xMax(), d.yMax()));
        }
    }

    private static List<GroundTruthBox> groundTruth(List<Sample> samples) {
        List<GroundTruthBox> truth = new ArrayList<>();
        for (Sample s : samples) {
            for (VocObject o : s.annotation().objects()) {
                truth.add(GroundTruthBox.fromVocCoordinates(s.id(), o.name(), o.xmin(), o.ymin(), o.xmax(), o.ymax(),
                        o.difficult()));
            }
        }
        return truth;
    }
}
