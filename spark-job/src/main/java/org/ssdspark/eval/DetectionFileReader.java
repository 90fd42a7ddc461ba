package org.ssdspark.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code det_test_<class>.txt} files back into 0-based detections, the way the reference's
 * eval_ssd.py does: each box value parsed as a float, stored as float32 and decreased by 1 in float32.
 */
public final class DetectionFileReader {

    /** Every class's file in {@code directory}; a missing file means no detections. */
    public Map<String, List<Detection>> readAll(Path directory, List<String> classNames) {
        Map<String, List<Detection>> byClass = new LinkedHashMap<>();
        for (String className : classNames) {
            Path file = DetectionFiles.pathFor(directory, className);
            byClass.put(className, Files.exists(file) ? read(file) : List.of());
        }
        return byClass;
    }

    public List<Detection> read(Path file) {
        List<Detection> detections = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNumber = 0;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (!line.isBlank()) {
                    detections.add(parse(line, file, lineNumber));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return detections;
    }

    private static Detection parse(String line, Path file, int lineNumber) {
        String[] t = line.trim().split("\\s+");
        if (t.length != 6) {
            throw new IllegalArgumentException(file + ":" + lineNumber + ": expected 'image_id score xmin ymin xmax ymax', got '"
                    + line + "'");
        }
        try {
            return new Detection(t[0], Double.parseDouble(t[1]), zeroBased(t[2]), zeroBased(t[3]), zeroBased(t[4]),
                    zeroBased(t[5]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ":" + lineNumber + ": not a number in '" + line + "'", e);
        }
    }

    private static double zeroBased(String token) {
        return (float) Double.parseDouble(token) - 1f;
    }
}
