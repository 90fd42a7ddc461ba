package org.ssdspark.export;

import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ssdspark.config.EntryPoint;
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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** export.sh's entry point: the reference checkpoint out to HDFS and back, labels beside it, refusals that lose nothing. */
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
    void anUnsupportedFormatOrAMissingModelIsABadInput() {
        Run onnx = run("--model", "m.pth", "--format", "onnx", "--output", tmp.resolve("m.onnx").toString());
        assertEquals(EntryPoint.BAD_INPUT, onnx.code());
        assertTrue(onnx.err().contains("--format onnx is not supported; use --format pth"), onnx.err());

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
