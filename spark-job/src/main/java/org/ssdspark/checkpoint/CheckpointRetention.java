package org.ssdspark.checkpoint;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which checkpoints of a folder to keep: the {@code keepLast} highest epochs (0 keeps every checkpoint) and the
 * {@code keepBest} lowest validation losses. The highest epoch, the one {@code --resume} takes, is always kept, and so
 * is any checkpoint whose metadata cannot be read: retention never deletes what it cannot judge.
 */
public record CheckpointRetention(int keepLast, int keepBest) {
    private static final Pattern NAME = Pattern.compile(Pattern.quote(SsdCheckpoint.PREFIX) + "(\\d+)");

    public CheckpointRetention {
        if (keepLast < 0 || keepBest < 0) {
            throw new IllegalArgumentException("train.keep_last and train.keep_best must be >= 0, got " + keepLast
                    + " and " + keepBest);
        }
    }

    public boolean keepsEverything() {
        return keepLast == 0;
    }

    /** Deletes the checkpoints the policy does not keep and returns them, oldest first. */
    public List<Path> apply(FileSystem fs, Path folder) throws IOException {
        if (keepsEverything()) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        for (FileStatus s : fs.listStatus(folder)) {
            Matcher m = NAME.matcher(s.getPath().getName());
            if (s.isDirectory() && m.matches()) {
                entries.add(new Entry(s.getPath(), Integer.parseInt(m.group(1)), validationLoss(fs, s.getPath())));
            }
        }
        entries.sort(Comparator.comparingInt(Entry::epoch));
        Set<Path> kept = new HashSet<>();
        for (int i = Math.max(0, entries.size() - keepLast); i < entries.size(); i++) {
            kept.add(entries.get(i).path());
        }
        entries.stream().filter(e -> e.validationLoss() != null && Double.isFinite(e.validationLoss()))
                .sorted(Comparator.comparingDouble(Entry::validationLoss)).limit(keepBest)
                .forEach(e -> kept.add(e.path()));
        entries.stream().filter(Entry::unreadable).forEach(e -> kept.add(e.path()));
        List<Path> removed = new ArrayList<>();
        for (Entry e : entries) {
            if (!kept.contains(e.path())) {
                if (!fs.delete(e.path(), true)) {
                    throw new IOException("Could not delete old checkpoint " + e.path() + " (train.keep_last "
                            + keepLast + ")");
                }
                removed.add(e.path());
            }
        }
        return removed;
    }

    private static Double validationLoss(FileSystem fs, Path checkpoint) {
        try {
            Double loss = SsdCheckpoint.readMetadata(fs, new Path(checkpoint, SsdCheckpoint.METADATA_FILE))
                    .validationLoss();
            return loss == null ? Double.NaN : loss;
        } catch (IOException | CorruptCheckpointException e) {
            return null;
        }
    }

    private record Entry(Path path, int epoch, Double validationLoss) {
        boolean unreadable() {
            return validationLoss == null;
        }
    }
}
