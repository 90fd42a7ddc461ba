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
import org.ssdspark.torch.TorchCheckpointWriter;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Exports a checkpoint for the original's tooling:
 * {@code --model CKPT --format pth --output FILE [--labels FILE] [--width_mult 1.0] [--image_size 300]}, every flag a
 * key of the {@code export} section of conf/reference.conf. {@code pth} writes the original's state_dict (what
 * {@code create_mobilenetv2_ssd_lite(num_classes, width_mult).load_state_dict(..., strict=True)} takes) and
 * {@code labels.txt} beside it (BACKGROUND first, the original's {@code --label_file}). Both ends may be any Hadoop
 * filesystem. Nothing is overwritten: the file is written under a temporary name and renamed when complete.
 * Exit codes: 0 done, 2 bad input, 1 other failure.
 */
public final class ExportMain {
    static final String LABELS_FILE = "labels.txt";

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
        if (!format.equals("pth")) {
            throw new UserInputException("--format " + format + " is not supported; use --format pth"
                    + (format.equals("onnx") ? " (ONNX export is not in this version)" : ""));
        }
        String model = c.getString("model");
        String output = c.getString("output");
        if (model.isBlank() || output.isBlank()) {
            throw new UserInputException("Give --model CHECKPOINT and --output FILE.pth");
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
        String archive = target.getName().replaceFirst("\\.[^.]*$", "").replaceAll("[^A-Za-z0-9_.-]", "_");
        var stateDict = StateDictExport.of(loaded.graph(), 0);
        Path partial = new Path(parent, "." + target.getName() + ".partial");
        try (FSDataOutputStream out = fs.create(partial, true)) {
            TorchCheckpointWriter.writeStateDict(out, archive.isEmpty() ? "archive" : archive, stateDict);
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
        System.out.printf("Wrote %s: the original's state_dict of %s (%d tensors, %d classes incl. BACKGROUND,"
                        + " width %s, %d px), %d bytes; class names in %s%n", fs.makeQualified(target),
                loaded.description(), stateDict.size(), loaded.config().numClasses(),
                loaded.config().widthMultiplier(), loaded.config().imageSize(), fs.getFileStatus(target).getLen(),
                labels);
        return EntryPoint.OK;
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
