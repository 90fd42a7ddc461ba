package org.ssdspark.train.optim;

import org.nd4j.shade.jackson.databind.annotation.JsonDeserialize;
import org.ssdspark.nn.MovedClassDeserializer;

/**
 * Former name of {@link org.ssdspark.nn.WeightDecayedBatchNormalization}, which moved to {@code nn} in issue 15 (a
 * layer configuration; {@code nn} must not depend on {@code train}). Only checkpoints written before the move name
 * this class; {@link MovedClassDeserializer} reads them into the class under its new name. Never instantiated: use
 * {@link org.ssdspark.nn.WeightDecayedBatchNormalization}. Removing this class breaks those checkpoints
 * ({@code LegacyCheckpointTest}).
 */
@Deprecated
@JsonDeserialize(using = MovedClassDeserializer.class)
public final class WeightDecayedBatchNormalization extends org.ssdspark.nn.WeightDecayedBatchNormalization {

    private static final long serialVersionUID = 1L;

    private WeightDecayedBatchNormalization() {
    }
}
