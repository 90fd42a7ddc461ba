package org.ssdspark.torch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes pickle opcodes by hand, and wraps pickles into zip-format or legacy .pth files, for crafted test inputs. */
final class PickleWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleWriter op(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    PickleWriter proto() {
        return op(0x80, 2);
    }

    PickleWriter global(String module, String name) {
        op('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    PickleWriter str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        out.writeBytes(b);
        return this;
    }

    /** SHORT_BINUNICODE, the protocol-4 form. */
    PickleWriter shortStr(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op(0x8c, b.length);
        out.writeBytes(b);
        return this;
    }

    PickleWriter integer(long v) {
        op('J');
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
        return this;
    }

    PickleWriter mark() {
        return op('(');
    }

    PickleWriter tuple() {
        return op('t');
    }

    PickleWriter stop() {
        return op('.');
    }

    PickleWriter ints(long... values) {
        mark();
        for (long v : values) {
            integer(v);
        }
        return tuple();
    }

    /** An OrderedDict() on the stack, as torch.save writes the state_dict and backward_hooks. */
    PickleWriter orderedDict() {
        return global("collections", "OrderedDict").op(')', 'R');
    }

    /** _rebuild_tensor_v2(persistent storage, offset, size, stride, False, OrderedDict()). */
    PickleWriter tensor(String storageType, String key, long numel, boolean legacy, long offset, long[] shape,
            long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2").mark();
        mark().str("storage").global("torch", storageType).str(key).str("cpu").integer(numel);
        if (legacy) {
            op('N');
        }
        tuple().op('Q');
        integer(offset).ints(shape).ints(stride).op(0x89).orderedDict();
        return tuple().op('R');
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** The smallest os.system payload: os.system('touch marker'). */
    static byte[] osSystemPayload(Path marker) {
        return new PickleWriter().proto().global("os", "system").str("touch " + marker).op(0x85, 'R').stop().bytes();
    }

    static void writeZip(Path file, byte[] dataPkl, List<String> storageKeys, List<byte[]> storages)
            throws IOException {
        try (OutputStream fos = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(fos)) {
            entry(zip, "archive/data.pkl", dataPkl);
            entry(zip, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < storageKeys.size(); i++) {
                entry(zip, "archive/data/" + storageKeys.get(i), storages.get(i));
            }
            entry(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void entry(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }

    /** Legacy layout; each storage is written with its int64 element count header. */
    static void writeLegacy(Path file, byte[] mainPickle, List<String> storageKeys, List<byte[]> storages,
            int elementSize) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.writeBytes(legacyHeader());
        f.writeBytes(mainPickle);
        PickleWriter keys = new PickleWriter().proto().op(']').mark();
        storageKeys.forEach(keys::str);
        f.writeBytes(keys.op('e').stop().bytes());
        for (byte[] s : storages) {
            f.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(s.length / elementSize).array());
            f.writeBytes(s);
        }
        Files.write(file, f.toByteArray());
    }

    /** Magic number, protocol version 1001 and a little-endian sys_info, each its own pickle. */
    static byte[] legacyHeader() {
        byte[] magicBe = new BigInteger("1950a86a20f9469cfc6c", 16).toByteArray();
        PickleWriter w = new PickleWriter().proto().op(0x8a, magicBe.length);
        for (int i = magicBe.length - 1; i >= 0; i--) {
            w.op(magicBe[i] & 0xff);
        }
        w.stop();
        w.proto().op('M', 1001 & 0xff, 1001 >> 8).stop();
        w.proto().op('}').mark().str("little_endian").op(0x88).op('u').stop();
        return w.bytes();
    }

    static byte[] floatsLe(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }
}
