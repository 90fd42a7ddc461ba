package org.ssdspark.checkpoint;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** {@code checkpoint.json}: everything of a checkpoint besides the network, readable without DL4J. */
record CheckpointMetadata(
        @JsonProperty("format_version") int formatVersion,
        @JsonProperty("classes") List<String> classes,
        @JsonProperty("num_classes") int numClasses,
        @JsonProperty("width_mult") double widthMult,
        @JsonProperty("image_size") int imageSize,
        @JsonProperty("priors_per_location") int priorsPerLocation,
        @JsonProperty("epoch") int epoch,
        @JsonProperty("iteration") long iteration,
        @JsonProperty("learning_rate") double learningRate,
        @JsonProperty("schedule") String schedule,
        @JsonProperty("validation_loss") Double validationLoss,
        @JsonProperty("config") String config,
        @JsonProperty("written_at") String writtenAt) {
}
