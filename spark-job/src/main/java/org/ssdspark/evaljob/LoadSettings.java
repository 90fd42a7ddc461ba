package org.ssdspark.evaljob;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * What a checkpoint may not say about itself and the user supplies: class names (a labels file; empty means the
 * 20 VOC classes), the MobileNetV2 width multiplier of a PyTorch state_dict, the input side, and the data type to run inference in.
 */
public record LoadSettings(String labels, double widthMultiplier, int imageSize, DataType dataType) {

    public static LoadSettings defaults() {
        return new LoadSettings("", 1.0, 300, DataType.FLOAT);
    }

    public static LoadSettings of(EvalOptions options) {
        return new LoadSettings(options.labels(), options.widthMultiplier(), options.imageSize(), options.dataType());
    }

    public LoadSettings withLabels(String file) {
        return new LoadSettings(file, widthMultiplier, imageSize, dataType);
    }

    public LoadSettings withDataType(DataType type) {
        return new LoadSettings(labels, widthMultiplier, imageSize, type);
    }
}
