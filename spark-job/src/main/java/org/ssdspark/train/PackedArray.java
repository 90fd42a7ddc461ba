package org.ssdspark.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;

/**
 * A network-sized INDArray (parameters, updater state) as a plain Java array, for a round's broadcast and its
 * results. ND4J's own Java serialization writes a buffer one element at a time through a {@code DataOutputStream};
 * a {@code float[]} is written in bulk, which for the full model's 27 MB of parameters and momentum is the
 * difference between tens of milliseconds and a few.
 */
record PackedArray(long[] shape, float[] floats, double[] doubles) implements Serializable {

    static PackedArray of(INDArray array) {
        INDArray flat = array.ravel();
        return switch (array.dataType()) {
            case FLOAT -> new PackedArray(array.shape(), flat.toFloatVector(), null);
            case DOUBLE -> new PackedArray(array.shape(), null, flat.toDoubleVector());
            default -> throw new IllegalArgumentException("network arrays of type " + array.dataType()
                    + " are not averaged; the network must be FLOAT or DOUBLE");
        };
    }

    /** A new array (never shared with this record), in c order. */
    INDArray toArray() {
        return floats != null ? Nd4j.create(floats, shape, 'c') : Nd4j.create(doubles, shape, 'c');
    }
}
