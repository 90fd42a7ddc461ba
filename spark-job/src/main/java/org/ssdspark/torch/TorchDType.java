package org.ssdspark.torch;

import java.nio.ByteBuffer;
import java.util.Optional;

/** The storage element types this importer understands, keyed by the legacy storage class torch.save names. */
enum TorchDType {
    FLOAT32("FloatStorage", 4, false),
    FLOAT64("DoubleStorage", 8, false),
    FLOAT16("HalfStorage", 2, false),
    BFLOAT16("BFloat16Storage", 2, false),
    INT64("LongStorage", 8, true),
    INT32("IntStorage", 4, true);

    final String storageClass;
    final int elementSize;
    final boolean integral;

    TorchDType(String storageClass, int elementSize, boolean integral) {
        this.storageClass = storageClass;
        this.elementSize = elementSize;
        this.integral = integral;
    }

    static Optional<TorchDType> forStorageClass(String name) {
        for (TorchDType t : values()) {
            if (t.storageClass.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    float floatAt(ByteBuffer buf, int index) {
        return switch (this) {
            case FLOAT32 -> buf.getFloat(index * 4);
            case FLOAT64 -> (float) buf.getDouble(index * 8);
            case FLOAT16 -> halfToFloat(buf.getShort(index * 2));
            case BFLOAT16 -> Float.intBitsToFloat((buf.getShort(index * 2) & 0xffff) << 16);
            case INT64 -> (float) buf.getLong(index * 8);
            case INT32 -> (float) buf.getInt(index * 4);
        };
    }

    /** Exact for float64; the float32 conversion of {@link #floatAt} for the others. */
    double doubleAt(ByteBuffer buf, int index) {
        return this == FLOAT64 ? buf.getDouble(index * 8) : floatAt(buf, index);
    }

    long longAt(ByteBuffer buf, int index) {
        return switch (this) {
            case INT64 -> buf.getLong(index * 8);
            case INT32 -> buf.getInt(index * 4);
            default -> throw new IllegalStateException(this + " is not integral");
        };
    }

    /** IEEE 754 binary16 to binary32 (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            // subnormal half: value = mant * 2^-24, exact in float
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}
