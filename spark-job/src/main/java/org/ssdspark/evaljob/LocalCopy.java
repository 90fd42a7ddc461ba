package org.ssdspark.evaljob;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Paths;

/** A file as a local path: itself when it is local, else a temporary copy deleted on close. */
final class LocalCopy implements AutoCloseable {
    private final java.nio.file.Path path;
    private final boolean temporary;

    private LocalCopy(java.nio.file.Path path, boolean temporary) {
        this.path = path;
        this.temporary = temporary;
    }

    static LocalCopy of(FileSystem fs, Path file) throws IOException {
        if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
            return new LocalCopy(Paths.get(file.toUri()), false);
        }
        java.nio.file.Path temp = Files.createTempFile("ssd-model-", "-" + file.getName());
        fs.copyToLocalFile(false, file, new Path(temp.toUri()), true);
        return new LocalCopy(temp, true);
    }

    java.nio.file.Path path() {
        return path;
    }

    @Override
    public void close() {
        if (temporary) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
