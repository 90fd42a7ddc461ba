package org.ssdspark.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The float vector shape the kernels use (the machine's widest) and off-heap access helpers. */
final class VectorLanes {
    static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private VectorLanes() {
    }

    static String describe() {
        return FLOATS.length() + " float lanes (" + FLOATS.vectorBitSize() + " bits)";
    }

    static FloatVector load(ByteBuffer b, int element) {
        return FloatVector.fromByteBuffer(FLOATS, b, element << 2, ORDER);
    }

    static void store(FloatVector v, ByteBuffer b, int element) {
        v.intoByteBuffer(b, element << 2, ORDER);
    }
}
