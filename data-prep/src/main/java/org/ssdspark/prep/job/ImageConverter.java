package org.ssdspark.prep.job;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ssdspark.prep.records.Checksums;
import org.ssdspark.prep.records.ConversionResult;
import org.ssdspark.prep.records.ImageRecord;
import org.ssdspark.prep.records.Issue;
import org.ssdspark.prep.records.RecordObject;
import org.ssdspark.prep.voc.AnnotationException;
import org.ssdspark.prep.voc.JpegProbe;
import org.ssdspark.prep.voc.LabelMap;
import org.ssdspark.prep.voc.VocAnnotation;
import org.ssdspark.prep.voc.VocAnnotationParser;
import org.ssdspark.prep.voc.VocEntry;
import org.ssdspark.prep.voc.VocLayout;
import org.ssdspark.prep.voc.VocObject;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one listed image into a record, or into a rejection with its reason. Runs on executors.
 * Objects are checked one by one: an unknown class or a box of zero area rejects the object, a box reaching
 * outside the image is clipped to it; each such case is reported, never dropped silently.
 */
public final class ImageConverter implements java.io.Serializable {
    private final LabelMap labels;
    private transient VocAnnotationParser parser;

    public ImageConverter(LabelMap labels) {
        this.labels = labels;
    }

    public ConversionResult convert(VocEntry entry, Configuration hadoopConf) {
        List<Issue> issues = new ArrayList<>();
        if (!VocLayout.isSafeId(entry.id())) {
            return rejected(entry, entry.folder(), "id '" + entry.id() + "' is not a plain file name;"
                    + " it is never joined into a path", issues);
        }
        String xmlPath = entry.annotationPath();
        String jpgPath = entry.imagePath();
        VocAnnotation ann;
        byte[] jpeg;
        try {
            FileSystem fs = new Path(entry.folder()).getFileSystem(hadoopConf);
            byte[] xml;
            try {
                xml = readAll(fs, new Path(xmlPath));
            } catch (FileNotFoundException e) {
                return rejected(entry, xmlPath, "listed in ImageSets but the annotation file is missing", issues);
            }
            try {
                if (parser == null) {
                    parser = new VocAnnotationParser();
                }
                ann = parser.parse(xml, xmlPath);
            } catch (AnnotationException e) {
                return rejected(entry, xmlPath, e.getMessage(), issues);
            }
            try {
                jpeg = readAll(fs, new Path(jpgPath));
            } catch (FileNotFoundException e) {
                return rejected(entry, jpgPath, "listed in ImageSets but the JPEG file is missing", issues);
            }
        } catch (IOException e) {
            return rejected(entry, xmlPath, "cannot read: " + e, issues);
        }
        JpegProbe.Size size;
        try {
            size = JpegProbe.probe(jpeg);
        } catch (IOException e) {
            return rejected(entry, jpgPath, e.getMessage(), issues);
        }
        if (ann.width() > 0 && ann.height() > 0
                && (ann.width() != size.width() || ann.height() != size.height())) {
            return rejected(entry, jpgPath, "JPEG is " + size.width() + "x" + size.height()
                    + " but the annotation says " + ann.width() + "x" + ann.height(), issues);
        }
        List<RecordObject> objects = new ArrayList<>();
        for (int i = 0; i < ann.objects().size(); i++) {
            RecordObject o = checkObject(entry, xmlPath, i, ann.objects().get(i), size, issues);
            if (o != null) {
                objects.add(o);
            }
        }
        ImageRecord record = new ImageRecord(entry.id(), entry.source(), entry.split(), size.width(), size.height(),
                jpeg, Checksums.sha256Hex(jpeg), List.copyOf(objects));
        return new ConversionResult(entry.split(), record, issues);
    }

    private RecordObject checkObject(VocEntry entry, String xmlPath, int index, VocObject o, JpegProbe.Size size,
                                     List<Issue> issues) {
        int label = labels.labelOf(o.name());
        if (label < 0) {
            issues.add(issue(Issue.REJECTED_OBJECT, entry, xmlPath, index,
                    "unknown class '" + o.name() + "' (not in the label map; add it to --labels to keep it)"));
            return null;
        }
        if (!o.hasPositiveArea()) {
            issues.add(issue(Issue.REJECTED_OBJECT, entry, xmlPath, index, String.format(
                    "box (%s, %s, %s, %s) has zero area", fmt(o.xmin()), fmt(o.ymin()), fmt(o.xmax()), fmt(o.ymax()))));
            return null;
        }
        VocObject clipped = o.withBox(clamp(o.xmin(), size.width()), clamp(o.ymin(), size.height()),
                clamp(o.xmax(), size.width()), clamp(o.ymax(), size.height()));
        if (!clipped.equals(o)) {
            if (!clipped.hasPositiveArea()) {
                issues.add(issue(Issue.REJECTED_OBJECT, entry, xmlPath, index, String.format(
                        "box (%s, %s, %s, %s) lies outside the %dx%d image", fmt(o.xmin()), fmt(o.ymin()),
                        fmt(o.xmax()), fmt(o.ymax()), size.width(), size.height())));
                return null;
            }
            issues.add(issue(Issue.CLIPPED_OBJECT, entry, xmlPath, index, String.format(
                    "box (%s, %s, %s, %s) reaches outside the %dx%d image; clipped to (%s, %s, %s, %s)",
                    fmt(o.xmin()), fmt(o.ymin()), fmt(o.xmax()), fmt(o.ymax()), size.width(), size.height(),
                    fmt(clipped.xmin()), fmt(clipped.ymin()), fmt(clipped.xmax()), fmt(clipped.ymax()))));
        }
        return new RecordObject(label, labels.nameOf(label), clipped.xmin(), clipped.ymin(), clipped.xmax(),
                clipped.ymax(), clipped.difficult(), clipped.truncated());
    }

    private static double clamp(double v, int max) {
        return Math.max(0, Math.min(max, v));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static ConversionResult rejected(VocEntry e, String file, String reason, List<Issue> issues) {
        issues.add(issue(Issue.REJECTED_IMAGE, e, file, null, reason));
        return new ConversionResult(e.split(), null, issues);
    }

    private static Issue issue(String kind, VocEntry e, String file, Integer object, String reason) {
        return new Issue(kind, file, e.source(), e.split(), e.id(), object, reason);
    }

    private static byte[] readAll(FileSystem fs, Path p) throws IOException {
        long len = fs.getFileStatus(p).getLen();
        if (len > Integer.MAX_VALUE - 16) {
            throw new IOException(p + " is too large (" + len + " bytes)");
        }
        byte[] buf = new byte[(int) len];
        try (FSDataInputStream in = fs.open(p)) {
            in.readFully(0, buf);
        }
        return buf;
    }
}
