package org.ssdspark.torch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The few pickle (protocol 2) opcodes that {@code torch.save} uses for a state_dict, written by hand: an
 * {@code OrderedDict} of names to {@code torch._utils._rebuild_tensor_v2} calls whose storages are persistent ids.
 * Nothing else can be expressed, so nothing else can end up in an exported file.
 */
final class PickleEncoder {
    private static final int PROTO = 0x80;
    private static final int GLOBAL = 'c';
    private static final int BINUNICODE = 'X';
    private static final int BININT = 'J';
    private static final int LONG1 = 0x8a;
    private static final int MARK = '(';
    private static final int TUPLE = 't';
    private static final int EMPTY_TUPLE = ')';
    private static final int REDUCE = 'R';
    private static final int BINPERSID = 'Q';
    private static final int NEWFALSE = 0x89;
    private static final int SETITEMS = 'u';
    private static final int STOP = '.';

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleEncoder protocol2() {
        out.write(PROTO);
        out.write(2);
        return this;
    }

    PickleEncoder global(String module, String name) {
        out.write(GLOBAL);
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    PickleEncoder string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(BINUNICODE);
        writeIntLe(b.length);
        out.writeBytes(b);
        return this;
    }

    PickleEncoder integer(long v) {
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            out.write(BININT);
            writeIntLe((int) v);
        } else {
            out.write(LONG1);
            out.write(8);
            for (int i = 0; i < 8; i++) {
                out.write((int) (v >>> (8 * i)) & 0xff);
            }
        }
        return this;
    }

    PickleEncoder tupleOf(long[] values) {
        out.write(MARK);
        for (long v : values) {
            integer(v);
        }
        out.write(TUPLE);
        return this;
    }

    /** {@code OrderedDict()} on the stack. */
    PickleEncoder orderedDict() {
        global("collections", "OrderedDict");
        out.write(EMPTY_TUPLE);
        out.write(REDUCE);
        return this;
    }

    PickleEncoder mark() {
        out.write(MARK);
        return this;
    }

    PickleEncoder setItems() {
        out.write(SETITEMS);
        return this;
    }

    /**
     * {@code _rebuild_tensor_v2(storage, 0, shape, stride, False, OrderedDict())} with the storage as the persistent id
     * {@code ('storage', torch.<type>, key, 'cpu', numel)}: a contiguous tensor over a whole storage.
     */
    PickleEncoder tensor(String storageType, String key, long numel, long[] shape) {
        global("torch._utils", "_rebuild_tensor_v2");
        out.write(MARK);
        out.write(MARK);
        string("storage").global("torch", storageType).string(key).string("cpu").integer(numel);
        out.write(TUPLE);
        out.write(BINPERSID);
        integer(0).tupleOf(shape).tupleOf(contiguousStrides(shape));
        out.write(NEWFALSE);
        orderedDict();
        out.write(TUPLE);
        out.write(REDUCE);
        return this;
    }

    byte[] stop() {
        out.write(STOP);
        return out.toByteArray();
    }

    static long[] contiguousStrides(long[] shape) {
        long[] strides = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= shape[i];
        }
        return strides;
    }

    private void writeIntLe(int v) {
        for (int i = 0; i < 4; i++) {
            out.write((v >>> (8 * i)) & 0xff);
        }
    }
}
