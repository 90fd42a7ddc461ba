package org.ssdspark.evaljob;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.ssdspark.model.LayerSetConversion;
import org.ssdspark.model.SsdLiteConfig;
import org.ssdspark.nn.BatchNormFolding;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;

/**
 * What executors receive of the model, broadcast once per job: the graph, with its BatchNorm layers folded into the
 * convolutions ({@link BatchNormFolding}), as {@code ModelSerializer} bytes (configuration and parameters, no updater
 * state), the class names and the shape. {@link #id} names this model
 * in the executors' graph cache: a new payload (a later evaluation in the same JVM) never reuses an older graph.
 */
public record ModelPayload(String id, byte[] graphBytes, List<String> classes, int numClasses, double widthMultiplier,
                           int imageSize, int priorsPerLocation) implements Serializable {

    public static ModelPayload of(LoadedModel model) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            // executors only run inference: the BatchNorm layers go into their convolutions once, here
            ModelSerializer.writeModel(BatchNormFolding.fold(model.graph()), bytes, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the model", e);
        }
        SsdLiteConfig c = model.config();
        return new ModelPayload(UUID.randomUUID().toString(), bytes.toByteArray(), List.copyOf(model.classes()),
                c.numClasses(), c.widthMultiplier(), c.imageSize(), c.numPriorsPerLocation());
    }

    public SsdLiteConfig config() {
        return new SsdLiteConfig(numClasses, widthMultiplier, imageSize, priorsPerLocation);
    }

    ComputationGraph restoreGraph() {
        try {
            // the driver's layer set is in the bytes; this executor runs its own JVM's
            return LayerSetConversion.forThisJvm(
                    ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(graphBytes), false));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore the broadcast model " + id, e);
        }
    }
}
