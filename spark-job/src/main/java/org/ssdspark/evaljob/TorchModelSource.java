package org.ssdspark.evaljob;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.ssdspark.config.UserInputException;
import org.ssdspark.model.MobileNetV2SsdLite;
import org.ssdspark.model.SsdLiteConfig;
import org.ssdspark.model.SsdLiteWeightImporter;
import org.ssdspark.model.StateDictMismatchException;
import org.ssdspark.ssd.MultiBoxLoss;
import org.ssdspark.torch.TorchCheckpointReader;
import org.ssdspark.torch.TorchTensor;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A PyTorch {@code state_dict} of the whole mb2-ssd-lite (as the original's train_ssd.py saves it), imported into a
 * fresh graph. The number of classes comes from the last classification head; names from the labels file. The
 * original runs at 300x300 ({@code eval.image_size}) with 6 priors per location; the width multiplier is the
 * user's (its {@code --mb2_width_mult}).
 */
public final class TorchModelSource implements ModelSource {
    /** The last level's head is a plain 1x1 convolution: [priorsPerLocation * classes, in, 1, 1]. */
    static final String LAST_CLASSIFICATION_HEAD = "classification_headers.5.weight";

    @Override
    public String kind() {
        return "PyTorch state_dict";
    }

    @Override
    public boolean recognises(FileSystem fs, Path path) {
        String name = path.getName().toLowerCase(Locale.ROOT);
        return name.endsWith(".pth") || name.endsWith(".pt");
    }

    @Override
    public LoadedModel load(FileSystem fs, Path path, LoadSettings settings, Configuration conf) throws IOException {
        Map<String, TorchTensor> stateDict;
        try (LocalCopy local = LocalCopy.of(fs, path)) {
            stateDict = TorchCheckpointReader.readStateDict(local.path());
        }
        TorchTensor head = stateDict.get(LAST_CLASSIFICATION_HEAD);
        if (head == null) {
            throw new UserInputException(path + " is not a whole mb2-ssd-lite state_dict (no " + LAST_CLASSIFICATION_HEAD
                    + "; a base-net checkpoint such as mb2-imagenet-71_8.pth cannot be evaluated)");
        }
        int priorsPerLocation = SsdLiteConfig.DEFAULT_PRIORS_PER_LOCATION;
        int numClasses = (int) (head.shape()[0] / priorsPerLocation);
        List<String> classes = ModelLabels.read(settings.labels(), conf);
        if (classes.size() + 1 != numClasses) {
            throw new UserInputException(path + " predicts " + numClasses + " classes (background included) but "
                    + (settings.labels().isBlank() ? "the default VOC label set" : "labels file " + settings.labels())
                    + " names " + classes.size() + " (+ background): " + classes + "; give a matching --labels file");
        }
        SsdLiteConfig config = new SsdLiteConfig(numClasses, settings.widthMultiplier(),
                settings.imageSize(), priorsPerLocation);
        ComputationGraph graph = MobileNetV2SsdLite.build(config, new MultiBoxLoss(),
                MobileNetV2SsdLite.defaultBase().dataType(settings.dataType()));
        try {
            SsdLiteWeightImporter.importStateDict(graph, stateDict);
        } catch (StateDictMismatchException e) {
            throw new UserInputException(path + " does not fit mb2-ssd-lite with width multiplier "
                    + settings.widthMultiplier() + " and " + numClasses + " classes: " + e.getMessage(), e);
        }
        return new LoadedModel(graph, classes, config, path.toString());
    }
}
