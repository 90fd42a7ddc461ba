package org.ssdspark.prep.job;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ssdspark.config.UserInputException;

import java.io.IOException;
import java.util.UUID;

/**
 * Makes a whole output appear at once: everything is written under a hidden staging folder next to the
 * target and renamed into place at the end, so a reader never sees half an output. With overwrite, the old
 * output is moved aside first and removed only after the new one is in place.
 */
public final class OutputPublisher {
    private final FileSystem fs;
    private final Path target;
    private final Path staging;
    private final boolean overwrite;

    public OutputPublisher(FileSystem fs, Path target, boolean overwrite) {
        this.fs = fs;
        this.target = target;
        this.overwrite = overwrite;
        this.staging = new Path(target.getParent(), "." + target.getName() + ".staging-" + UUID.randomUUID());
    }

    /** Refuses an existing output unless overwrite was asked for; call before any work. */
    public void checkTarget() throws IOException {
        if (fs.exists(target) && !overwrite) {
            throw new UserInputException("Output " + target + " already exists; pass --overwrite to replace it"
                    + " (the old output is kept until the new one is complete)");
        }
    }

    public Path staging() {
        return staging;
    }

    public void publish() throws IOException {
        checkTarget();
        Path old = null;
        if (fs.exists(target)) {
            old = new Path(target.getParent(), "." + target.getName() + ".old-" + UUID.randomUUID());
            rename(target, old);
        }
        try {
            rename(staging, target);
        } catch (IOException e) {
            if (old != null) {
                rename(old, target);
            }
            throw e;
        }
        if (old != null) {
            fs.delete(old, true);
        }
    }

    /** Removes the staging folder after a failure; the target is untouched. */
    public void abandon() {
        try {
            fs.delete(staging, true);
        } catch (IOException ignored) {
            // Best effort: a leftover hidden staging folder is harmless and named after its target.
        }
    }

    private void rename(Path from, Path to) throws IOException {
        if (!fs.rename(from, to)) {
            throw new IOException("Could not rename " + from + " to " + to);
        }
    }
}
