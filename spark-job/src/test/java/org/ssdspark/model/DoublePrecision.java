package org.ssdspark.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.function.Supplier;

/** GradientCheckUtil insists on double as ND4J's global default; set it for one block and put it back. */
final class DoublePrecision {

    private DoublePrecision() {
    }

    static <T> T run(Supplier<T> body) {
        DataType data = Nd4j.dataType();
        DataType floats = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            return body.get();
        } finally {
            Nd4j.setDefaultDataTypes(data, floats);
        }
    }
}
