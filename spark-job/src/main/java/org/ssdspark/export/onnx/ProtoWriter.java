package org.ssdspark.export.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One protobuf message in the wire format (https://protobuf.dev/programming-guides/encoding/): fields as tag
 * (field number and wire type) then value; varints for integers, fixed 32 bits little-endian for floats, and length
 * prefixed bytes for strings, packed arrays and nested messages. Only what the ONNX messages here need.
 *
 * <p>Why hand-written rather than protobuf-java and generated ONNX classes: the schema used is small and fixed (nine
 * messages, a few dozen fields of {@code onnx.proto}), the encoding of those is a few lines, and it keeps a protobuf
 * runtime (whose versions Spark and Hadoop already pin against each other), generated code and a build plugin out
 * of the job's classpath and build. A nested message is encoded first and embedded as bytes: simple, and the
 * largest message (the graph with its weights) is tens of MB at most.
 */
final class ProtoWriter {
    private static final int VARINT = 0;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ProtoWriter varint(int field, long value) {
        tag(field, VARINT);
        rawVarint(value);
        return this;
    }

    /** A non-packed repeated integer field ({@code repeated int64} without {@code [packed = true]}): one tag each. */
    ProtoWriter varints(int field, long... values) {
        for (long v : values) {
            varint(field, v);
        }
        return this;
    }

    ProtoWriter float32(int field, float value) {
        tag(field, FIXED32);
        int bits = Float.floatToRawIntBits(value);
        for (int i = 0; i < 4; i++) {
            out.write(bits >>> (8 * i));
        }
        return this;
    }

    ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    ProtoWriter bytes(int field, byte[] value) {
        tag(field, LENGTH_DELIMITED);
        rawVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    ProtoWriter message(int field, ProtoWriter message) {
        return bytes(field, message.toByteArray());
    }

    /** Embeds an already encoded message (nodes and tensors are encoded once, when added). */
    ProtoWriter message(int field, byte[] encoded) {
        return bytes(field, encoded);
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        rawVarint(((long) field << 3) | wireType);
    }

    /** Seven bits at a time, low first, high bit set on all but the last; negative values take ten bytes. */
    private void rawVarint(long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
