package org.ssdspark.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.file.Paths;

/** Turns what a user typed (hdfs://..., file://..., /abs, rel/path) into a fully qualified Hadoop path. */
public final class HadoopPaths {
    private HadoopPaths() {
    }

    /**
     * A URI with a scheme is used as is; a path without one is a local path (relative to the working
     * directory), so that a quick start on a laptop never writes to a cluster's default filesystem by accident.
     */
    public static Path qualify(String uri, Configuration conf) throws IOException {
        Path p = new Path(uri);
        if (p.toUri().getScheme() == null) {
            return FileSystem.getLocal(conf).makeQualified(new Path(Paths.get(uri).toAbsolutePath().toString()));
        }
        return p.getFileSystem(conf).makeQualified(p);
    }
}
