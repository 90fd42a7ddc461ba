package org.ssdspark.export;

import com.typesafe.config.Config;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.ssdspark.config.EntryPoint;
import org.ssdspark.config.JobArguments;
import org.ssdspark.config.UserInputException;
import org.ssdspark.evaljob.LoadSettings;
import org.ssdspark.evaljob.LoadedModel;
import org.ssdspark.evaljob.ModelSources;
import org.ssdspark.export.onnx.OnnxExport;
import org.ssdspark.export.onnx.OnnxModel;
import org.ssdspark.export.onnx.UnsupportedGraphException;
import org.ssdspark.torch.TorchCheckpointWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Exports a checkpoint for the original's tooling or for ONNX runtimes:
 * {@code --model CKPT --format pth|onnx --output FILE [--labels FILE] [--width_mult 1.0] [--image_size 300]}, every
 * flag a key of the {@code export} section of conf/reference.conf. {@code pth} writes the original's state_dict (what
 * {@code create_mobilenetv2_ssd_lite(num_classes, width_mult).load_state_dict(..., strict=True)} takes); {@code onnx}
 * the network with softmax and box decoding, as the original's test-mode forward ({@link OnnxExport}). Both write
 * {@code labels.txt} beside the file (BACKGROUND first, the original's {@code --label_file}). Both ends may be any Hadoop
 * filesystem. Nothing is overwritten: the file is written under a temporary name and renamed when complete.
 * Exit codes: 0 done, 2 bad input, 1 other failure.
 */
public final class ExportMain {
    static final String LABELS_FILE = "labels.txt";
    static final String PTH = "pth";
    static final String ONNX = "onnx";

    private ExportMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... argv) {
        return EntryPoint.run("export", () -> export(List.of(argv)));
    }

    private static int export(List<String> argv) throws Exception {
        JobArguments.Resolved r = new JobArguments(List.of("export"), Map.of("trained_model", "export.model",
                "label_file", "export.labels", "mb2_width_mult", "export.width_mult")).resolve(argv);
        if (!r.positional().isEmpty()) {
            throw new UserInputException("export takes only --flags, got " + r.positional());
        }
        if (r.printIfDryRun(List.of("export"))) {
            return EntryPoint.OK;
        }
        Config c = r.config().getConfig("export");
        String format = c.getString("format");
        if (!format.equals(PTH) && !format.equals(ONNX)) {
            throw new UserInputException("--format " + format + " is not supported; use --format pth or --format onnx");
        }
        String model = c.getString("model");
        String output = c.getString("output");
        if (model.isBlank() || output.isBlank()) {
            throw new UserInputException("Give --model CHECKPOINT and --output FILE." + format);
        }
        Configuration conf = new Configuration();
        LoadedModel loaded = ModelSources.load(model, new LoadSettings(c.getString("labels"),
                c.getDouble("width_mult"), c.getInt("image_size"), DataType.FLOAT), conf);

        Path target = new Path(output);
        FileSystem fs = target.getFileSystem(conf);
        if (fs.exists(target)) {
            throw new UserInputException("Output " + target + " exists; remove it or choose another --output");
        }
        Path parent = fs.makeQualified(target).getParent();
        Path labels = new Path(parent, LABELS_FILE);
        byte[] labelBytes = labelsText(loaded.classes()).getBytes(StandardCharsets.UTF_8);
        if (fs.exists(labels) && !java.util.Arrays.equals(read(fs, labels), labelBytes)) {
            throw new UserInputException(labels + " exists with other class names; export into another folder");
        }
        Written written = format.equals(ONNX) ? onnx(loaded) : pth(loaded, target.getName());
        Path partial = new Path(parent, "." + target.getName() + ".partial");
        try (FSDataOutputStream out = fs.create(partial, true)) {
            written.writer().write(out);
        }
        if (!fs.rename(partial, target)) {
            fs.delete(partial, false);
            throw new IOException("Could not rename " + partial + " to " + target);
        }
        if (!fs.exists(labels)) {
            try (FSDataOutputStream out = fs.create(labels, false)) {
                out.write(labelBytes);
            }
        }
        System.out.printf("Wrote %s: %s of %s (%s, %d classes incl. BACKGROUND, width %s, %d px), %d bytes;"
                        + " class names in %s%n", fs.makeQualified(target), written.what(), loaded.description(),
                written.details(), loaded.config().numClasses(), loaded.config().widthMultiplier(),
                loaded.config().imageSize(), fs.getFileStatus(target).getLen(), labels);
        return EntryPoint.OK;
    }

    /** What goes into the file, prepared (and any refusal raised) before anything is created. */
    private record Written(String what, String details, Body writer) {
    }

    private interface Body {
        void write(OutputStream out) throws IOException;
    }

    private static Written pth(LoadedModel loaded, String fileName) {
        String archive = fileName.replaceFirst("\\.[^.]*$", "").replaceAll("[^A-Za-z0-9_.-]", "_");
        var stateDict = StateDictExport.of(loaded.graph(), 0);
        return new Written("the original's state_dict", stateDict.size() + " tensors",
                out -> TorchCheckpointWriter.writeStateDict(out, archive.isEmpty() ? "archive" : archive, stateDict));
    }

    private static Written onnx(LoadedModel loaded) {
        OnnxModel onnx;
        try {
            onnx = OnnxExport.of(loaded.graph(), loaded.config(), loaded.classes(), loaded.description());
        } catch (UnsupportedGraphException e) {
            throw new UserInputException("Cannot export " + loaded.description() + " as ONNX: " + e.getMessage(), e);
        }
        return new Written("ONNX", onnx.describe(), out -> out.write(onnx.bytes()));
    }

    static String labelsText(List<String> classes) {
        List<String> lines = new ArrayList<>();
        lines.add("BACKGROUND");
        lines.addAll(classes);
        return String.join("\n", lines) + "\n";
    }

    private static byte[] read(FileSystem fs, Path file) throws IOException {
        try (var in = fs.open(file)) {
            return in.readAllBytes();
        }
    }
}
