package org.ssdspark.eval;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code det_test_<class>.txt} as the reference's eval_ssd.py does: one line per detection,
 * {@code image_id score xmin ymin xmax ymax}, boxes shifted to 1-based (+1, in float32 like the reference),
 * numbers as float32 values in plain decimal (no exponent), so the VOC devkit and the reference read them.
 */
public final class DetectionFileWriter {

    /** Writes one file per class in {@code classNames}, empty where a class has no detection. */
    public void writeAll(Path directory, List<String> classNames, Map<String, List<Detection>> detectionsByClass) {
        for (String className : classNames) {
            write(directory, className, detectionsByClass.getOrDefault(className, List.of()));
        }
    }

    /** Writes atomically (temporary file, then rename) and returns the file. */
    public Path write(Path directory, String className, List<Detection> detections) {
        Path target = DetectionFiles.pathFor(directory, className);
        try {
            Files.createDirectories(directory);
            Path temp = Files.createTempFile(directory, ".det_test_" + className, ".tmp");
            try (BufferedWriter out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                for (Detection d : detections) {
                    out.write(line(d));
                    out.write('\n');
                }
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    static String line(Detection d) {
        if (d.imageId().isEmpty() || d.imageId().chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("image id must be a non-empty token: '" + d.imageId() + "'");
        }
        return d.imageId() + ' ' + decimal((float) d.score()) + ' '
                + decimal((float) d.xmin() + 1f) + ' ' + decimal((float) d.ymin() + 1f) + ' '
                + decimal((float) d.xmax() + 1f) + ' ' + decimal((float) d.ymax() + 1f);
    }

    // Float.toString round-trips the float32 value; BigDecimal drops its "E-4" style exponents.
    private static String decimal(float value) {
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException("not a finite number: " + value);
        }
        String s = Float.toString(value);
        return s.indexOf('E') < 0 ? s : new BigDecimal(s).toPlainString();
    }
}
