package org.ssdspark.torch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The raw bytes of one serialized storage, read in the byte order the file declares. */
final class TorchStorage {
    final TorchDType dtype;
    final long numel;
    private final ByteBuffer bytes;

    TorchStorage(TorchDType dtype, byte[] raw, ByteOrder order) {
        this.dtype = dtype;
        this.numel = raw.length / dtype.elementSize;
        this.bytes = ByteBuffer.wrap(raw).order(order);
    }

    double doubleAt(long index) {
        return dtype.doubleAt(bytes, Math.toIntExact(index));
    }

    float floatAt(long index) {
        return dtype.floatAt(bytes, Math.toIntExact(index));
    }

    long longAt(long index) {
        return dtype.longAt(bytes, Math.toIntExact(index));
    }
}
