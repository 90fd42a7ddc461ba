package org.ssdspark.prep.voc;

import org.ssdspark.config.UserInputException;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Class names in label order. Label 0 is reserved for the background in the model, so the first class here
 * has label 1 in the records, as in the reference ("BACKGROUND" first in its class list).
 */
public final class LabelMap implements Serializable {
    public static final List<String> VOC_CLASSES = List.of(
            "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
            "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor");

    private final List<String> classes;
    private final Map<String, Integer> index = new HashMap<>();

    public LabelMap(List<String> classes) {
        if (classes.isEmpty()) {
            throw new UserInputException("The label map is empty: give at least one class name");
        }
        List<String> normalised = new ArrayList<>();
        for (String c : classes) {
            String n = normalise(c);
            if (n.isEmpty()) {
                throw new UserInputException("Empty class name in the label map");
            }
            if (n.equals("background")) {
                throw new UserInputException("'background' is label 0 implicitly; remove it from the labels file");
            }
            if (index.putIfAbsent(n, normalised.size() + 1) != null) {
                throw new UserInputException("Class '" + n + "' appears twice in the label map");
            }
            normalised.add(n);
        }
        this.classes = List.copyOf(normalised);
    }

    public static LabelMap voc() {
        return new LabelMap(VOC_CLASSES);
    }

    /** Reads one class name per line; blank lines and lines starting with '#' are skipped. */
    public static LabelMap fromFile(Path file) {
        try {
            List<String> names = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String t = line.trim();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    names.add(t);
                }
            }
            return new LabelMap(names);
        } catch (IOException e) {
            throw new UserInputException("Cannot read labels file " + file + ": " + e.getMessage(), e);
        } catch (UserInputException e) {
            throw new UserInputException("Labels file " + file + ": " + e.getMessage(), e);
        }
    }

    public static String normalise(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }

    /** Label (1-based, 0 is background) of a name as found in XML, or -1 if unknown. */
    public int labelOf(String name) {
        return index.getOrDefault(normalise(name), -1);
    }

    public String nameOf(int label) {
        return classes.get(label - 1);
    }

    /** Class names in label order, without the background. */
    public List<String> classes() {
        return classes;
    }

    public int size() {
        return classes.size();
    }
}
