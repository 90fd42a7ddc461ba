package org.ssdspark.prep.voc;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ssdspark.config.UserInputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Finds the VOC folders under an input root and the images each split lists. Three layouts are recognised:
 * the original project's {@code VOC0712/} (VOC2007_trainval, VOC2012_trainval, VOC2007_test), the standard
 * {@code VOCdevkit/} (VOC2007, VOC2012), and a single VOC-format folder.
 *
 * <p>Splits come from {@code ImageSets/Main/<split>.txt} (class-specific lists such as {@code cat_train.txt}
 * are ignored); {@code trainval} becomes the output split {@code train}, and {@code train}/{@code val} are
 * skipped where {@code trainval} exists because they are its subsets.
 */
public final class VocLayout {

    /** What was found: the entries to convert, the layout's name, and notes for the summary. */
    public record Discovery(String layout, List<VocEntry> entries, List<String> notes) {
    }

    private final FileSystem fs;

    public VocLayout(FileSystem fs) {
        this.fs = fs;
    }

    public Discovery discover(Path root) throws IOException {
        if (!fs.exists(root)) {
            throw new UserInputException("Input folder " + root + " does not exist (--data_path)");
        }
        List<String> notes = new ArrayList<>();
        List<VocEntry> entries = new ArrayList<>();
        String layout;
        if (isVocFolder(root)) {
            layout = "single VOC folder";
            addFolder(root, root.getName(), entries, notes);
        } else {
            List<Path> folders = new ArrayList<>();
            for (FileStatus st : sorted(fs.listStatus(root))) {
                if (st.isDirectory() && isVocFolder(st.getPath())) {
                    folders.add(st.getPath());
                }
            }
            Path devkit = new Path(root, "VOCdevkit");
            if (folders.isEmpty() && fs.exists(devkit)) {
                root = devkit;
                for (FileStatus st : sorted(fs.listStatus(devkit))) {
                    if (st.isDirectory() && isVocFolder(st.getPath())) {
                        folders.add(st.getPath());
                    }
                }
            }
            if (folders.isEmpty()) {
                throw new UserInputException("No VOC data under " + root + ": expected Annotations/ and JPEGImages/"
                        + " in it, or in sub-folders (VOC0712/VOC2007_trainval ..., VOCdevkit/VOC2007 ...)");
            }
            boolean original = folders.stream().anyMatch(p -> p.getName().matches("VOC\\d{4}_.+"));
            layout = original ? "VOC0712 (original project layout)" : "VOCdevkit";
            for (Path folder : folders) {
                addFolder(folder, sourceName(folder.getName()), entries, notes);
            }
        }
        return new Discovery(layout, entries, notes);
    }

    private static String sourceName(String folderName) {
        int underscore = folderName.indexOf('_');
        return underscore > 0 ? folderName.substring(0, underscore) : folderName;
    }

    private boolean isVocFolder(Path p) throws IOException {
        return fs.isDirectory(new Path(p, "Annotations")) && fs.isDirectory(new Path(p, "JPEGImages"));
    }

    private void addFolder(Path folder, String source, List<VocEntry> entries, List<String> notes)
            throws IOException {
        Path main = new Path(folder, "ImageSets/Main");
        Map<String, Path> lists = new TreeMap<>();
        if (fs.isDirectory(main)) {
            for (FileStatus st : fs.listStatus(main)) {
                String name = st.getPath().getName();
                if (st.isFile() && name.endsWith(".txt") && !name.contains("_")) {
                    lists.put(name.substring(0, name.length() - 4), st.getPath());
                }
            }
        }
        if (lists.containsKey("trainval")) {
            lists.remove("train");
            lists.remove("val");
        }
        if (lists.isEmpty()) {
            String split = "train";
            notes.add(folder + ": no ImageSets/Main/<split>.txt, so every annotation goes into split '" + split + "'");
            for (FileStatus st : sorted(fs.listStatus(new Path(folder, "Annotations")))) {
                String name = st.getPath().getName();
                if (st.isFile() && name.endsWith(".xml")) {
                    entries.add(new VocEntry(folder.toString(), source, split, name.substring(0, name.length() - 4)));
                }
            }
            return;
        }
        for (Map.Entry<String, Path> e : lists.entrySet()) {
            String split = e.getKey().equals("trainval") ? "train" : e.getKey();
            Set<String> ids = new LinkedHashSet<>();
            int lines = 0;
            for (String id : readIds(e.getValue())) {
                lines++;
                if (!ids.add(id)) {
                    notes.add(e.getValue() + ": id " + id + " listed twice, converted once");
                }
            }
            for (String id : ids) {
                entries.add(new VocEntry(folder.toString(), source, split, id));
            }
            if (lines == 0) {
                notes.add(e.getValue() + " is empty");
            }
        }
    }

    /** Ids are joined into paths: one that could name anything outside its folder is never read. */
    public static boolean isSafeId(String id) {
        return !id.isEmpty() && id.matches("[A-Za-z0-9._-]+") && !id.contains("..");
    }

    private List<String> readIds(Path list) throws IOException {
        List<String> ids = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(list), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String t = line.trim();
                if (t.isEmpty()) {
                    continue;
                }
                // Class-specific lists carry "id  1" pairs; the plain split lists only ids.
                ids.add(t.split("\\s+")[0]);
            }
        }
        return ids;
    }

    private static FileStatus[] sorted(FileStatus[] st) {
        FileStatus[] copy = st.clone();
        Arrays.sort(copy, (a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
        return copy;
    }

    /** Order of splits as they first appear, for stable summaries. */
    public static List<String> splitsOf(List<VocEntry> entries) {
        LinkedHashMap<String, Boolean> seen = new LinkedHashMap<>();
        for (VocEntry e : entries) {
            seen.putIfAbsent(e.split(), true);
        }
        return new ArrayList<>(seen.keySet());
    }
}
