package org.ssdspark.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Non-float32 storages: half, bfloat16 and double become float32; int32 keeps exact values in longData. */
class DTypeConversionTest {
    @TempDir
    Path tmp;

    @Test
    void storagesOfOtherDtypesAreConverted() throws Exception {
        ByteBuffer half = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        for (int bits : new int[] {0x3c00, 0xc000, 0x7bff, 0x0001, 0xfc00}) {
            half.putShort((short) bits);
        }
        ByteBuffer bf16 = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) (Float.floatToIntBits(-1.5f) >>> 16));
        ByteBuffer dbl = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.1);
        ByteBuffer int32 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-3).putInt(1 << 30);

        byte[] pkl = new PickleWriter().proto().orderedDict().mark()
                .str("h").tensor("HalfStorage", "h", 5, false, 0, new long[] {5}, new long[] {1})
                .str("b").tensor("BFloat16Storage", "b", 1, false, 0, new long[] {}, new long[] {})
                .str("d").tensor("DoubleStorage", "d", 1, false, 0, new long[] {1}, new long[] {1})
                .str("i").tensor("IntStorage", "i", 2, false, 0, new long[] {2}, new long[] {1})
                .op('u').stop().bytes();
        Path file = tmp.resolve("dtypes.pth");
        PickleWriter.writeZip(file, pkl, List.of("h", "b", "d", "i"),
                List.of(half.array(), bf16.array(), dbl.array(), int32.array()));
        var sd = TorchCheckpointReader.readStateDict(file);

        assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-24f, Float.NEGATIVE_INFINITY}, sd.get("h").data());
        assertNull(sd.get("h").longData());
        assertArrayEquals(new float[] {-1.5f}, sd.get("b").data());
        assertEquals(0, sd.get("b").shape().length);
        assertArrayEquals(new float[] {0.1f}, sd.get("d").data());
        assertArrayEquals(new long[] {-3, 1 << 30}, sd.get("i").longData());
        assertArrayEquals(new float[] {-3f, (float) (1 << 30)}, sd.get("i").data());
    }
}
