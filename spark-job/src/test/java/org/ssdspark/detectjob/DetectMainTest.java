package org.ssdspark.detectjob;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ssdspark.config.EntryPoint;
import org.ssdspark.testing.ReferenceFiles;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** detect.sh's entry point: what is missing or wrong is named, with exit 2, before any Spark work. */
class DetectMainTest {
    @TempDir
    Path tmp;

    @Test
    void missingOrWrongInputsAreBadInput() {
        String model = ReferenceFiles.checkpoint("mb2-ssd-lite-21.pth").toString();
        assertError("No images given: --data_path DIR", "--model", model, "--output", tmp.resolve("o").toString());
        assertError("No output folder given: --output DIR", "--data_path", tmp.toString(), "--model", model);
        assertError("detect.score_threshold must be in [0, 1], got 1.5", "--data_path", tmp.toString(), "--model",
                model, "--output", tmp.resolve("o").toString(), "--score_threshold", "1.5");
        assertError("Unknown flag --threshold", "--threshold", "0.3");
    }

    private static void assertError(String expected, String... args) {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(EntryPoint.BAD_INPUT, DetectMain.run(args));
        } finally {
            System.setErr(oldErr);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains(expected), "expected '" + expected + "' in: " + text);
    }
}
