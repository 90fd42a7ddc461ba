package org.ssdspark.evaljob;

import org.ssdspark.testing.ReferenceFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ssdspark.checkpoint.SsdCheckpoint;
import org.ssdspark.checkpoint.TrainingState;
import org.ssdspark.config.EntryPoint;
import org.ssdspark.prep.job.ConvertJob;
import org.ssdspark.prep.job.PrepOptions;
import org.ssdspark.testing.SampleData;
import org.ssdspark.testing.TestSpark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** EvalMain end to end with a tiny model on a synthetic VOC folder; bad inputs exit 2 with a message saying why. */
class EvalMainTest {
    private static Path tmp;
    private static Path voc;
    private static Path zip;
    private static Path sparkConf;
    private static Path shards;

    @BeforeAll
    static void setUp() throws IOException {
        tmp = Files.createTempDirectory("evaljob-main");
        voc = SampleData.generate(tmp.resolve("voc"), 12, 3);
        zip = TinyModels.writeZip(tmp.resolve("model"));
        sparkConf = tmp.resolve("test.conf");
        Files.writeString(sparkConf, "spark.master = \"local[2]\"\n");
        // SparkConf reads spark.* system properties: no UI, loopback only
        System.setProperty("spark.ui.enabled", "false");
        System.setProperty("spark.driver.host", "127.0.0.1");
        System.setProperty("spark.driver.bindAddress", "127.0.0.1");
        TestSpark.local(); // EvalMain uses the JVM's session when there is one (and leaves it running)
        shards = tmp.resolve("shards");
        new ConvertJob().run(TestSpark.local(), new PrepOptions(voc.toString(), shards.toString(),
                voc.resolve("labels.txt").toString(), 1, 128, false, true, 0));
    }

    @AfterAll
    static void tearDown() throws IOException {
        try (Stream<Path> walk = Files.walk(tmp)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private record Run(int code, String err) {
    }

    private static Run eval(String... args) {
        List<String> argv = new ArrayList<>(List.of("--config", sparkConf.toString()));
        argv.addAll(List.of(args));
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new Run(EvalMain.run(argv.toArray(String[]::new)), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
            System.err.print(err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void tinyModelEndToEnd() throws IOException {
        Path out = tmp.resolve("eval");
        Run run = eval("--data_path", voc.toString(), "--trained_model", zip.toString(),
                "--label_file", zip.resolveSibling("labels.txt").toString(), "--eval_dir", out.toString(),
                "--image_size", "32", "--protocol", "devkit", "--batch_size", "2");
        assertEquals(EntryPoint.OK, run.code(), run.err());
        for (String c : TinyModels.SHAPES) {
            assertTrue(Files.isRegularFile(out.resolve("det_test_" + c + ".txt")), c);
            assertTrue(Files.isRegularFile(out.resolve("pr-" + c + ".png")), c);
        }
        for (String f : List.of("metrics.json", "report.txt", "pr-curves.png", "ap-per-class.png")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        JsonNode json = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals("devkit", json.get("protocol").asText());
        assertEquals(3, json.get("images").asInt()); // 12 images, a quarter listed in test.txt
        assertEquals(TinyModels.SHAPES.size(), json.get("ap").size());
        assertTrue(json.get("mAP").isNumber());
        assertTrue(json.get("model").asText().endsWith("tiny.zip"));
        assertTrue(json.get("data").asText().endsWith("voc"));
        assertTrue(Files.readString(out.resolve("report.txt")).contains("images/s"));
    }

    @Test
    void trainingCheckpointOnShards() throws IOException {
        LoadedModel tiny = TinyModels.model();
        org.apache.hadoop.fs.Path saved = SsdCheckpoint.save(tmp.resolve("checkpoints").toString(),
                new Configuration(), tiny.graph(), tiny.classes(), tiny.config(),
                new TrainingState(3, 120, 0.01, "cosine", Double.NaN), "{}");
        Path out = tmp.resolve("eval-ckpt");
        // the folder of checkpoints resolves to its latest; classes and image size come from the checkpoint
        Run run = eval("--data_path", shards.toString(), "--model", tmp.resolve("checkpoints").toString(),
                "--eval_dir", out.toString());
        assertEquals(EntryPoint.OK, run.code(), run.err());
        JsonNode json = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals(3, json.get("images").asInt());
        assertEquals("shards", json.get("data_layout").asText());
        assertTrue(json.get("model").asText().contains(saved.getName() + " (epoch 3)"), json.get("model").asText());
        for (String c : TinyModels.SHAPES) {
            assertTrue(Files.isRegularFile(out.resolve("det_test_" + c + ".txt")), c);
        }
    }

    @Test
    void dryRunPrintsTheResolvedEvalSection() {
        java.io.PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = EvalMain.run("--model", "m.pth", "--eval_dir", "hdfs://nn/eval", "--dry-run");
        } finally {
            System.setOut(saved);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(EntryPoint.OK, code);
        assertTrue(printed.contains("model=\"m.pth\"") || printed.contains("model = \"m.pth\""), printed);
        assertTrue(printed.contains("protocol"), printed);
    }

    @Test
    void missingModelExitsTwo() {
        Run run = eval("--data_path", voc.toString(), "--model", tmp.resolve("nope.pth").toString(),
                "--eval_dir", tmp.resolve("e1").toString());
        assertEquals(EntryPoint.BAD_INPUT, run.code());
        assertTrue(run.err().contains("nope.pth does not exist"), run.err());
    }

    @Test
    void unknownFlagExitsTwo() {
        Run run = eval("--data_path", voc.toString(), "--model", zip.toString(), "--batchsize", "4");
        assertEquals(EntryPoint.BAD_INPUT, run.code());
        assertTrue(run.err().contains("Unknown flag --batchsize; did you mean --batch_size?"), run.err());
    }

    @Test
    void unreadableCheckpointExitsTwo() throws IOException {
        Path garbage = tmp.resolve("garbage.pth");
        Files.writeString(garbage, "not a checkpoint");
        Run run = eval("--data_path", voc.toString(), "--model", garbage.toString());
        assertEquals(EntryPoint.BAD_INPUT, run.code());
        assertTrue(run.err().contains("Cannot read model checkpoint " + garbage), run.err());

        Run baseNet = eval("--data_path", voc.toString(), "--model",
                ReferenceFiles.checkpoint("mb2-base-net-w025-legacy.pth").toString());
        assertEquals(EntryPoint.BAD_INPUT, baseNet.code());
        assertTrue(baseNet.err().contains("not a whole mb2-ssd-lite state_dict"), baseNet.err());
    }

    @Test
    void labelsThatDoNotFitTheCheckpointExitTwo() {
        // the tiny model predicts 4 classes + background; without --labels the 20 VOC classes are assumed
        Run run = eval("--data_path", voc.toString(), "--model", zip.toString(), "--image_size", "32");
        assertEquals(EntryPoint.BAD_INPUT, run.code());
        assertTrue(run.err().contains("predicts 5 classes (background included)"), run.err());
    }

    @Test
    void classesOtherThanTheModelsExitTwo() throws IOException {
        Path wrongLabels = tmp.resolve("animals.txt");
        Files.writeString(wrongLabels, "cat\ndog\nbird\ncow\n");
        // shards: their manifest's classes against the model's
        Run onShards = eval("--data_path", shards.toString(), "--model", zip.toString(), "--labels",
                wrongLabels.toString(), "--image_size", "32", "--eval_dir", tmp.resolve("e2").toString());
        assertEquals(EntryPoint.BAD_INPUT, onShards.code());
        assertTrue(onShards.err().contains("data set classes: [circle, square, triangle, star]"), onShards.err());
        assertTrue(onShards.err().contains("model classes:    [cat, dog, bird, cow]"), onShards.err());

        // a VOC folder: the class names found in its annotations
        Run onVoc = eval("--data_path", voc.toString(), "--model", zip.toString(), "--labels",
                wrongLabels.toString(), "--image_size", "32", "--eval_dir", tmp.resolve("e3").toString());
        assertEquals(EntryPoint.BAD_INPUT, onVoc.code());
        assertTrue(onVoc.err().contains("are not among the model's classes"), onVoc.err());
        assertTrue(onVoc.err().contains("model classes:    [cat, dog, bird, cow]"), onVoc.err());
    }
}
