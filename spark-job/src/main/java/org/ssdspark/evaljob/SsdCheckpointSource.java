package org.ssdspark.evaljob;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ssdspark.checkpoint.SsdCheckpoint;

import java.io.IOException;

/**
 * The training job's own checkpoints ({@link SsdCheckpoint}): a {@code checkpoint-epoch-N} folder, or a folder of
 * them (the latest is taken). Classes and network shape come from the checkpoint; {@code --labels},
 * {@code width_mult} and {@code image_size} do not apply and are ignored.
 */
public final class SsdCheckpointSource implements ModelSource {
    private static final Logger LOG = LoggerFactory.getLogger(SsdCheckpointSource.class);

    @Override
    public String kind() {
        return "training checkpoint";
    }

    @Override
    public boolean recognises(FileSystem fs, Path path) throws IOException {
        return fs.getFileStatus(path).isDirectory();
    }

    @Override
    public LoadedModel load(FileSystem fs, Path path, LoadSettings settings, Configuration conf) throws IOException {
        SsdCheckpoint checkpoint = SsdCheckpoint.load(path.toString(), conf);
        if (!settings.labels().isBlank()) {
            LOG.warn("--labels {} ignored: checkpoint {} names its classes: {}", settings.labels(),
                    checkpoint.location(), checkpoint.classes());
        }
        ComputationGraph graph = checkpoint.graph();
        if (graph.params().dataType() != settings.dataType()) {
            graph = graph.convertDataType(settings.dataType());
        }
        return new LoadedModel(graph, checkpoint.classes(), checkpoint.config(), checkpoint.location().toString()
                + " (epoch " + checkpoint.state().epoch() + ")");
    }
}
