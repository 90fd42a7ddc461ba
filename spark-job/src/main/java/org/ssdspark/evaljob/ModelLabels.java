package org.ssdspark.evaljob;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ssdspark.config.UserInputException;
import org.ssdspark.prep.voc.LabelMap;
import org.ssdspark.spark.HadoopPaths;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Class names for a checkpoint that does not carry them (a PyTorch .pth, a bare DL4J model): a labels file, one
 * name per line in label order, or the 20 PASCAL VOC classes. The original's label files start with
 * {@code BACKGROUND}; that line is accepted and dropped, since the background is label 0 implicitly.
 */
public final class ModelLabels {
    private ModelLabels() {
    }

    /** Object classes, without the background; {@code labelsUri} empty means the 20 VOC classes. */
    public static List<String> read(String labelsUri, Configuration conf) {
        if (labelsUri == null || labelsUri.isBlank()) {
            return LabelMap.VOC_CLASSES;
        }
        List<String> names = new ArrayList<>();
        try {
            Path path = HadoopPaths.qualify(labelsUri, conf);
            FileSystem fs = path.getFileSystem(conf);
            if (!fs.isFile(path)) {
                throw new UserInputException("Labels file " + labelsUri + " does not exist (--labels)");
            }
            try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(path), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    String t = line.trim();
                    if (!t.isEmpty() && !t.startsWith("#")) {
                        names.add(t);
                    }
                }
            }
        } catch (IOException e) {
            throw new UserInputException("Cannot read labels file " + labelsUri + ": " + e.getMessage(), e);
        }
        if (!names.isEmpty() && names.get(0).equalsIgnoreCase("background")) {
            names.remove(0);
        }
        try {
            return new LabelMap(names).classes();
        } catch (UserInputException e) {
            throw new UserInputException("Labels file " + labelsUri + ": " + e.getMessage(), e);
        }
    }
}
