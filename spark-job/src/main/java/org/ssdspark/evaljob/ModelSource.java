package org.ssdspark.evaljob;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;

/**
 * One kind of checkpoint the evaluation can read. {@link ModelSources} asks each in turn whether it recognises a
 * path, and the first that does loads it. Failures a user can fix (wrong file, wrong labels) are
 * {@link org.ssdspark.config.UserInputException}s.
 */
public interface ModelSource {

    /** A short name of the format, for messages ("PyTorch state_dict", ...). */
    String kind();

    /** Whether {@code path} (known to exist) looks like this format; decided by name or a cheap look. */
    boolean recognises(FileSystem fs, Path path) throws IOException;

    LoadedModel load(FileSystem fs, Path path, LoadSettings settings, Configuration conf) throws IOException;
}
