package org.ssdspark.ssd;

import org.ssdspark.testing.ReferenceFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The reference's loss batch ({@code loss/}): ground truth from loss.json and the array files. */
final class LossReference {

    static final int BATCH = 4;
    static final int PRIORS = 3000;
    static final int CLASSES = 5;

    record GroundTruth(float[] boxes, int[] labels) {
    }

    final JsonNode json;

    LossReference() throws IOException {
        json = new ObjectMapper().readTree(ReferenceFiles.resolve("loss/loss.json").toFile());
    }

    List<GroundTruth> groundTruth() {
        List<GroundTruth> out = new ArrayList<>();
        for (JsonNode id : json.get("ids")) {
            JsonNode gt = json.get("ground_truth").get(id.asText());
            JsonNode boxes = gt.get("boxes_relative_0based");
            JsonNode labels = gt.get("labels");
            float[] b = new float[4 * boxes.size()];
            int[] l = new int[labels.size()];
            for (int i = 0; i < boxes.size(); i++) {
                for (int k = 0; k < 4; k++) {
                    b[4 * i + k] = (float) boxes.get(i).get(k).asDouble();
                }
                l[i] = labels.get(i).asInt();
            }
            out.add(new GroundTruth(b, l));
        }
        return out;
    }

    double regressionLoss() {
        return json.get("regression_loss").asDouble();
    }

    double classificationLoss() {
        return json.get("classification_loss").asDouble();
    }

    int numPositives() {
        return json.get("num_positive_priors").asInt();
    }

    /** preOutput [B, P*C + P*4] in the agreed layout from pred_confidence and pred_locations. */
    static float[][] preOutput() {
        return concatRows(ReferenceFiles.floats("loss/pred_confidence.npy"), PRIORS * CLASSES,
                ReferenceFiles.floats("loss/pred_locations.npy"), PRIORS * 4);
    }

    /** labels [B, P + P*4] from target_labels and target_locations. */
    static float[][] labels() {
        int[] cls = ReferenceFiles.ints("loss/target_labels.npy");
        float[] clsF = new float[cls.length];
        for (int i = 0; i < cls.length; i++) {
            clsF[i] = cls[i];
        }
        return concatRows(clsF, PRIORS, ReferenceFiles.floats("loss/target_locations.npy"), PRIORS * 4);
    }

    /** Expected d(loss)/d(preOutput) in the same layout. */
    static float[][] gradient() {
        return concatRows(ReferenceFiles.floats("loss/grad_confidence.npy"), PRIORS * CLASSES,
                ReferenceFiles.floats("loss/grad_locations.npy"), PRIORS * 4);
    }

    private static float[][] concatRows(float[] first, int firstWidth, float[] second, int secondWidth) {
        float[][] rows = new float[BATCH][firstWidth + secondWidth];
        for (int b = 0; b < BATCH; b++) {
            System.arraycopy(first, b * firstWidth, rows[b], 0, firstWidth);
            System.arraycopy(second, b * secondWidth, rows[b], firstWidth, secondWidth);
        }
        return rows;
    }
}
