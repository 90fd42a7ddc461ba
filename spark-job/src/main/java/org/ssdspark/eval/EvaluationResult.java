package org.ssdspark.eval;

import java.util.List;
import java.util.Optional;

/** Every class's evaluation under one protocol, in label order, and the means over classes. */
public record EvaluationResult(EvalProtocol protocol, List<ClassEvaluation> classes) {

    public EvaluationResult {
        classes = List.copyOf(classes);
    }

    /** Mean AP over the classes whose AP is defined (those with at least one non-difficult object). */
    public double meanAp(ApMetric metric) {
        return classes.stream().mapToDouble(c -> c.ap(metric)).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    public Optional<ClassEvaluation> forClass(String className) {
        return classes.stream().filter(c -> c.className().equals(className)).findFirst();
    }
}
