package org.ssdspark.detectjob;

import com.typesafe.config.Config;
import org.ssdspark.config.UserInputException;
import org.ssdspark.evaljob.PostProcessing;

/** The detection job's settings, from the {@code detect} section of the resolved config. */
record DetectOptions(String dataPath, String split, String model, String output, String labels, double scoreThreshold,
                     int draw, int batchSize, int partitions, double widthMultiplier, int imageSize,
                     PostProcessing postProcessing) {

    static DetectOptions from(Config c) {
        DetectOptions o = new DetectOptions(c.getString("data_path"), c.getString("split"), c.getString("model"),
                c.getString("output"), c.getString("labels"), c.getDouble("score_threshold"), c.getInt("draw"),
                c.getInt("batch_size"), c.getInt("partitions"), c.getDouble("width_mult"), c.getInt("image_size"),
                // NMS sees every candidate above the reference's 0.01, as in evaluation; the threshold is applied after
                new PostProcessing(0.01, c.getDouble("nms_iou_threshold"), c.getInt("candidate_size"),
                        c.getInt("top_k")));
        require(!o.dataPath.isBlank(), "No images given: --data_path DIR (a folder of JPEG/PNG files or a shard root)");
        require(!o.model.isBlank(), "No model given: --model CHECKPOINT");
        require(!o.output.isBlank(), "No output folder given: --output DIR");
        require(o.scoreThreshold >= 0 && o.scoreThreshold <= 1, "detect.score_threshold must be in [0, 1], got "
                + o.scoreThreshold);
        require(o.draw >= 0, "detect.draw must be >= 0, got " + o.draw);
        require(o.batchSize > 0, "detect.batch_size must be > 0, got " + o.batchSize);
        return o;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new UserInputException(message);
        }
    }
}
