package org.ssdspark.evaljob;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.ssdspark.config.UserInputException;
import org.ssdspark.model.LayerSetConversion;
import org.ssdspark.model.MobileNetV2SsdLite;
import org.ssdspark.model.SsdLiteConfig;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;

/**
 * A bare DL4J model file ({@code ModelSerializer} zip) of an mb2-ssd-lite graph, with class names from the labels
 * file. Classes are read off the last classification head, the width multiplier off the stem (for the report
 * only; inference does not need it); the graph does not record its input side, so that is the user's
 * ({@code eval.image_size}).
 */
public final class Dl4jModelSource implements ModelSource {
    private static final String STEM = MobileNetV2SsdLite.BASE_NET + ".0.0";
    private static final String LAST_CLASSIFICATION_HEAD = MobileNetV2SsdLite.CLASSIFICATION_HEADERS + ".5";
    private static final int REFERENCE_STEM_CHANNELS = 32;

    @Override
    public String kind() {
        return "DL4J model zip";
    }

    @Override
    public boolean recognises(FileSystem fs, Path path) {
        return path.getName().toLowerCase(Locale.ROOT).endsWith(".zip");
    }

    @Override
    public LoadedModel load(FileSystem fs, Path path, LoadSettings settings, Configuration conf) throws IOException {
        ComputationGraph graph;
        try (InputStream in = fs.open(path)) {
            // a GPU run's model holds the stock layer set, a CPU run's the CPU one: this JVM's set either way
            graph = LayerSetConversion.forThisJvm(ModelSerializer.restoreComputationGraph(in, false));
        } catch (RuntimeException e) {
            throw new UserInputException(path + " is not a DL4J ComputationGraph file: " + e.getMessage(), e);
        }
        if (graph.getLayer(LAST_CLASSIFICATION_HEAD) == null || graph.getLayer(STEM) == null) {
            throw new UserInputException(path + " holds a DL4J graph that is not mb2-ssd-lite (no layer "
                    + LAST_CLASSIFICATION_HEAD + " or " + STEM + ")");
        }
        if (graph.params().dataType() != settings.dataType()) {
            graph = graph.convertDataType(settings.dataType());
        }
        int priorsPerLocation = SsdLiteConfig.DEFAULT_PRIORS_PER_LOCATION;
        long headOut = ((ConvolutionLayer) graph.getLayer(LAST_CLASSIFICATION_HEAD).conf().getLayer()).getNOut();
        int numClasses = (int) (headOut / priorsPerLocation);
        List<String> classes = ModelLabels.read(settings.labels(), conf);
        if (classes.size() + 1 != numClasses) {
            throw new UserInputException(path + " predicts " + numClasses + " classes (background included) but "
                    + (settings.labels().isBlank() ? "the default VOC label set" : "labels file " + settings.labels())
                    + " names " + classes.size() + " (+ background): " + classes + "; give a matching --labels file");
        }
        long stem = ((ConvolutionLayer) graph.getLayer(STEM).conf().getLayer()).getNOut();
        SsdLiteConfig config = new SsdLiteConfig(numClasses, stem / (double) REFERENCE_STEM_CHANNELS, settings.imageSize(),
                priorsPerLocation);
        return new LoadedModel(graph, classes, config, path.toString());
    }
}
