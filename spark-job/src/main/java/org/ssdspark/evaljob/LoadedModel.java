package org.ssdspark.evaljob;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.ssdspark.model.SsdLiteConfig;

import java.util.List;
import java.util.Objects;

/**
 * A network ready for inference and what is needed to read its outputs.
 *
 * @param graph       an mb2-ssd-lite graph ({@link org.ssdspark.model.MobileNetV2SsdLite} layout of inputs and outputs)
 * @param classes     object class names in label order, WITHOUT the background: {@code classes.get(i)} is label
 *                    {@code i + 1}, label 0 is the background; so {@code classes.size() + 1 == config.numClasses()}
 * @param config      the network's shape (classes incl. background, image size, priors per location)
 * @param description what the model is, for reports ({@code metrics.json} "model"): usually its URI
 */
public record LoadedModel(ComputationGraph graph, List<String> classes, SsdLiteConfig config, String description) {

    public LoadedModel {
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(description, "description");
        classes = List.copyOf(classes);
        if (classes.size() + 1 != config.numClasses()) {
            throw new IllegalArgumentException("the model has " + config.numClasses() + " outputs per prior"
                    + " (background included) but " + classes.size() + " class names were given: " + classes);
        }
        if (classes.stream().anyMatch(c -> c.isBlank() || c.chars().anyMatch(Character::isWhitespace))) {
            throw new IllegalArgumentException("class names must be single non-empty tokens: " + classes);
        }
    }

    /** Name of a label (1 .. classes.size()); label 0 is the background and has no name here. */
    public String className(int label) {
        return classes.get(label - 1);
    }

    public DataType dataType() {
        return graph.params().dataType();
    }
}
