package org.ssdspark.export;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.apache.hadoop.fs.FileSystem;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.ssdspark.config.EntryPoint;
import org.ssdspark.model.MobileNetV2SsdLite;
import org.ssdspark.model.SsdLiteConfig;
import org.ssdspark.testing.MiniHdfs;
import org.ssdspark.testing.ReferenceFiles;
import org.ssdspark.torch.TorchCheckpointReader;
import org.ssdspark.torch.TorchTensor;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * export.sh's entry point: the reference checkpoint out to HDFS and back, as ONNX to a local folder, labels beside
 * them, refusals that lose nothing.
 */
class ExportMainTest {
    @TempDir
    Path tmp;

    @Test
    void exportsTheOriginalsStateDictToHdfsAndRefusesToOverwrite() throws Exception {
        Path reference = ReferenceFiles.checkpoint("mb2-ssd-lite-21.pth");
        try (MiniHdfs hdfs = new MiniHdfs(tmp.resolve("hdfs"))) {
            String out = hdfs.uri() + "/models/voc/mb2-ssd-lite.pth";
            Run first = run("--model", reference.toString(), "--format", "pth", "--output", out);
            assertEquals(EntryPoint.OK, first.code(), first.err());
            assertTrue(first.out().contains("478 tensors, 21 classes incl. BACKGROUND"), first.out());

            FileSystem fs = hdfs.fileSystem();
            Path local = tmp.resolve("back.pth");
            try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(out))) {
                Files.copy(in, local);
            }
            LinkedHashMap<String, TorchTensor> original = TorchCheckpointReader.readStateDict(reference);
            LinkedHashMap<String, TorchTensor> exported = TorchCheckpointReader.readStateDict(local);
            assertEquals(original.keySet().stream().toList(), exported.keySet().stream().toList());
            for (Map.Entry<String, TorchTensor> e : original.entrySet()) {
                if (!e.getValue().isIntegral()) {
                    assertArrayEquals(e.getValue().data(), exported.get(e.getKey()).data(), 0f, e.getKey());
                }
            }
            String labels;
            try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(hdfs.uri() + "/models/voc/labels.txt"))) {
                labels = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertTrue(labels.startsWith("BACKGROUND\naeroplane\nbicycle\n"), labels);
            assertEquals(21, labels.lines().count());
            assertFalse(fs.exists(new org.apache.hadoop.fs.Path(hdfs.uri() + "/models/voc/.mb2-ssd-lite.pth.partial")));

            byte[] before = Files.readAllBytes(local);
            Run again = run("--model", reference.toString(), "--output", out);
            assertEquals(EntryPoint.BAD_INPUT, again.code());
            assertTrue(again.err().contains("exists; remove it or choose another --output"), again.err());
            Path after = tmp.resolve("after.pth");
            try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(out))) {
                Files.copy(in, after);
            }
            assertArrayEquals(before, Files.readAllBytes(after), "the existing export is untouched");
        }
    }

    @Test
    void exportsOnnxToALocalFolderBesideItsLabels() throws Exception {
        Path reference = ReferenceFiles.checkpoint("mb2-ssd-lite-21.pth");
        Path out = tmp.resolve("models/mb2-ssd-lite.onnx");
        Run run = run("--model", reference.toString(), "--format", "onnx", "--output", out.toString());
        assertEquals(EntryPoint.OK, run.code(), run.err());
        System.out.print(run.out());
        assertTrue(run.out().contains(": ONNX of file:" + reference + " (opset 13, IR 7; input \"input\" float32 [N, 3, 300,"
                + " 300]; outputs \"scores\" float32 [N, 3000, 21], \"boxes\" float32 [N, 3000, 4]; "), run.out());
        assertTrue(run.out().contains(", " + Files.size(out) + " bytes; class names in "), run.out());
        assertTrue(Files.readString(tmp.resolve("models/labels.txt")).startsWith("BACKGROUND\naeroplane\n"));
        assertFalse(Files.exists(tmp.resolve("models/.mb2-ssd-lite.onnx.partial")));
        try (OrtSession session = OrtEnvironment.getEnvironment().createSession(out.toString())) {
            assertEquals(Set.of("input"), session.getInputNames());
            assertEquals(Set.of("scores", "boxes"), session.getOutputNames());
        }
    }

    /** A checkpoint of DL4J's stock layers (written by a CUDA run) exports on a CPU machine. */
    @Test
    void aStockLayerCheckpointExportsAsOnnx() throws Exception {
        SsdLiteConfig tiny = new SsdLiteConfig(5, 0.25, 32, 6);
        Path zip = tmp.resolve("stock.zip");
        ModelSerializer.writeModel(org.ssdspark.model.LayerSetConversion.to(org.ssdspark.model.LayerSet.STOCK,
                MobileNetV2SsdLite.build(tiny, new LossMSE())), zip.toFile(), false);
        Path labels = Files.writeString(tmp.resolve("shapes.txt"), "BACKGROUND\ncircle\nsquare\ntriangle\nstar\n");
        Path out = tmp.resolve("onnx/stock.onnx");
        Run run = run("--model", zip.toString(), "--labels", labels.toString(), "--image_size", "32", "--format", "onnx",
                "--output", out.toString());
        assertEquals(EntryPoint.OK, run.code(), run.err());
        assertTrue(Files.size(out) > 0);
        assertTrue(Files.exists(tmp.resolve("onnx/labels.txt")));
    }

    @Test
    void anUnsupportedFormatOrAMissingModelIsABadInput() {
        Run tflite = run("--model", "m.pth", "--format", "tflite", "--output", tmp.resolve("m.tflite").toString());
        assertEquals(EntryPoint.BAD_INPUT, tflite.code());
        assertTrue(tflite.err().contains("--format tflite is not supported; use --format pth or --format onnx"),
                tflite.err());

        Run missing = run("--model", tmp.resolve("nope.pth").toString(), "--output", tmp.resolve("x.pth").toString());
        assertEquals(EntryPoint.BAD_INPUT, missing.code());
        assertTrue(missing.err().contains("nope.pth"), missing.err());
        assertFalse(Files.exists(tmp.resolve("x.pth")));
    }

    record Run(int code, String out, String err) {
    }

    private static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = ExportMain.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
