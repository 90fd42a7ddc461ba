package org.ssdspark.evaljob;

import com.typesafe.config.Config;
import org.nd4j.linalg.api.buffer.DataType;
import org.ssdspark.config.UserInputException;
import org.ssdspark.eval.EvalProtocol;

import java.util.Locale;

/**
 * The evaluation's settings, the {@code eval} section of the configuration. {@link #dataPath} and {@link #evalDir}
 * are what {@link EvalJob#run} reads; {@link #model}, {@link #labels}, {@link #widthMultiplier} and
 * {@link #dataType} only matter to {@link EvalMain}, which loads the checkpoint.
 */
public record EvalOptions(String dataPath, String model, String evalDir, String labels, EvalProtocol protocol,
                          String split, int batchSize, int partitions, DataType dataType, double widthMultiplier,
                          int imageSize, PostProcessing postProcessing) {

    public EvalOptions {
        if (batchSize < 1) {
            throw new UserInputException("eval.batch_size must be >= 1, got " + batchSize);
        }
        if (partitions < 0) {
            throw new UserInputException("eval.partitions must be >= 0, got " + partitions);
        }
        if (split == null || split.isBlank()) {
            throw new UserInputException("eval.split must name a split (e.g. test)");
        }
        if (imageSize < 1) {
            throw new UserInputException("eval.image_size must be >= 1, got " + imageSize);
        }
        if (evalDir == null || evalDir.isBlank()) {
            throw new UserInputException("eval.eval_dir is not set: give --eval_dir DIR");
        }
    }

    /** Reference defaults for the given data and output, as the training job's final stage uses them. */
    public static EvalOptions defaults(String dataPath, String evalDir) {
        return new EvalOptions(dataPath, "", evalDir, "", EvalProtocol.REFERENCE, "test", 8, 0, DataType.FLOAT, 1.0,
                300, PostProcessing.reference());
    }

    public static EvalOptions from(Config c) {
        EvalProtocol protocol;
        try {
            protocol = EvalProtocol.fromId(c.getString("eval.protocol"));
        } catch (IllegalArgumentException e) {
            throw new UserInputException("eval.protocol: " + e.getMessage(), e);
        }
        double prob = c.getDouble("eval.prob_threshold");
        double iou = c.getDouble("eval.nms_iou_threshold");
        if (!(prob >= 0 && prob < 1) || !(iou > 0 && iou <= 1)) {
            throw new UserInputException("eval.prob_threshold must be in [0, 1) and eval.nms_iou_threshold in (0, 1]");
        }
        double width = c.getDouble("eval.width_mult");
        if (!(width > 0)) {
            throw new UserInputException("eval.width_mult must be > 0, got " + width);
        }
        return new EvalOptions(c.getString("eval.data_path"), c.getString("eval.model"), c.getString("eval.eval_dir"),
                c.getString("eval.labels"), protocol, c.getString("eval.split").trim(), c.getInt("eval.batch_size"),
                c.getInt("eval.partitions"), dataType(c.getString("eval.data_type")), width, c.getInt("eval.image_size"),
                new PostProcessing(prob, iou, c.getInt("eval.candidate_size"), c.getInt("eval.top_k")));
    }

    private static DataType dataType(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "float", "float32" -> DataType.FLOAT;
            case "double", "float64" -> DataType.DOUBLE;
            default -> throw new UserInputException("eval.data_type must be float or double, got '" + name + "'");
        };
    }

    public EvalOptions withEvalDir(String dir) {
        return new EvalOptions(dataPath, model, dir, labels, protocol, split, batchSize, partitions, dataType,
                widthMultiplier, imageSize, postProcessing);
    }

    public EvalOptions withDataPath(String path) {
        return new EvalOptions(path, model, evalDir, labels, protocol, split, batchSize, partitions, dataType,
                widthMultiplier, imageSize, postProcessing);
    }

    public EvalOptions withProtocol(EvalProtocol p) {
        return new EvalOptions(dataPath, model, evalDir, labels, p, split, batchSize, partitions, dataType,
                widthMultiplier, imageSize, postProcessing);
    }
}
