package org.ssdspark.evaljob;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ssdspark.config.UserInputException;
import org.ssdspark.spark.HadoopPaths;
import org.ssdspark.torch.TorchFormatException;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Loads the checkpoint a user names, whatever its kind: a training checkpoint folder ({@code checkpoint-epoch-N},
 * or a folder of them: the latest), a PyTorch .pth/.pt state_dict of the whole model, or a DL4J model zip.
 * A missing, unreadable or unrecognised checkpoint is a {@link UserInputException}: exit code 2.
 */
public final class ModelSources {
    private static final List<ModelSource> SOURCES = List.of(new SsdCheckpointSource(), new TorchModelSource(),
            new Dl4jModelSource());

    private ModelSources() {
    }

    public static LoadedModel load(String uri, LoadSettings settings, Configuration conf) {
        if (uri == null || uri.isBlank()) {
            throw new UserInputException("No model given: --model CHECKPOINT (a checkpoint folder, a .pth state_dict or a DL4J .zip)");
        }
        Path path;
        FileSystem fs;
        try {
            path = HadoopPaths.qualify(uri, conf);
            fs = path.getFileSystem(conf);
            if (!fs.exists(path)) {
                throw new UserInputException("Model checkpoint " + uri + " does not exist (--model)");
            }
        } catch (IOException e) {
            throw new UserInputException("Cannot reach model checkpoint " + uri + ": " + e.getMessage(), e);
        }
        for (ModelSource source : SOURCES) {
            try {
                if (source.recognises(fs, path)) {
                    return source.load(fs, path, settings, conf);
                }
            } catch (TorchFormatException e) {
                throw new UserInputException("Cannot read model checkpoint " + uri + " as a " + source.kind() + ": "
                        + e.getMessage(), e);
            } catch (IOException e) {
                throw new UserInputException("Cannot read model checkpoint " + uri + ": " + e, e);
            }
        }
        throw new UserInputException("Model checkpoint " + uri + " is of no known kind; expected one of: "
                + SOURCES.stream().map(s -> s.kind()).collect(Collectors.joining(", "))
                + " (a folder, .pth/.pt, .zip)");
    }
}
