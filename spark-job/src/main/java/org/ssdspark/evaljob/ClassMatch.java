package org.ssdspark.evaljob;

import org.ssdspark.config.UserInputException;
import org.ssdspark.prep.voc.LabelMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a data set's classes fit a model's. Ground truth and detections meet by class NAME, so a data set whose
 * classes are the model's, in any order, or a subset of them, is evaluated (classes the data set lacks have no
 * objects: their AP is undefined and left out of the mAP). A class the model does not know is an error naming
 * both lists: its objects could never be detected and every AP would be measured against the wrong model.
 */
final class ClassMatch {
    private ClassMatch() {
    }

    /** A note when the lists differ but fit (order or subset), nothing when they are equal. */
    static Optional<String> check(List<String> dataClasses, List<String> modelClasses, String dataName) {
        List<String> model = modelClasses.stream().map(LabelMap::normalise).toList();
        List<String> data = dataClasses.stream().map(LabelMap::normalise).toList();
        List<String> unknown = new ArrayList<>();
        for (String c : data) {
            if (!model.contains(c)) {
                unknown.add(c);
            }
        }
        if (!unknown.isEmpty()) {
            throw new UserInputException("The classes of " + dataName + " do not match the model's: " + unknown
                    + " are not among the model's classes.\n  data set classes: " + data
                    + "\n  model classes:    " + model
                    + "\n  (give the model's class names with --labels FILE, or evaluate a model trained on these classes)");
        }
        if (data.equals(model)) {
            return Optional.empty();
        }
        return Optional.of(data.size() == model.size()
                ? "the data set lists the model's classes in another order; matched by name"
                : "the data set has " + data.size() + " of the model's " + model.size() + " classes; matched by name,"
                + " classes without objects have no AP");
    }
}
