package org.ssdspark.export.onnx;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The wire format's examples (protobuf.dev, "Encoding"): varints, negative int64, length-delimited, fixed32. */
class ProtoWriterTest {

    @Test
    void encodesTheWireFormatsBasicTypes() {
        assertArrayEquals(bytes(0x08, 0x96, 0x01), new ProtoWriter().varint(1, 150).toByteArray());
        assertArrayEquals(bytes(0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01),
                new ProtoWriter().varint(1, -1).toByteArray());
        assertArrayEquals(bytes(0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g'),
                new ProtoWriter().string(2, "testing").toByteArray());
        assertArrayEquals(bytes(0x1D, 0x00, 0x00, 0x80, 0x3F), new ProtoWriter().float32(3, 1f).toByteArray());
        // field 20 needs a two-byte tag; a nested message is its encoding, length-prefixed
        assertArrayEquals(bytes(0xA0, 0x01, 0x07), new ProtoWriter().varint(20, 7).toByteArray());
        assertArrayEquals(bytes(0x1A, 0x03, 0x08, 0x96, 0x01),
                new ProtoWriter().message(3, new ProtoWriter().varint(1, 150)).toByteArray());
        assertArrayEquals(bytes(0x40, 0x01, 0x40, 0x02), new ProtoWriter().varints(8, 1, 2).toByteArray());
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
