package org.ssdspark.torch;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A restricted unpickler: it evaluates only the opcodes a state_dict needs and only ever "calls" the
 * {@link AllowedGlobal}s, which it interprets itself (OrderedDict becomes a LinkedHashMap, _rebuild_tensor_v2 a
 * {@link TensorRecipe}). Nothing named by the file is looked up or executed. Python values map to Long (or
 * BigInteger), Double, String, Boolean, null, byte[], {@link PyTuple}, ArrayList and LinkedHashMap.
 */
final class PickleMachine {
    private static final Object MARK = new Object() {
        @Override
        public String toString() {
            return "MARK";
        }
    };

    private final ByteCursor in;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private final Map<String, StorageRef> storages;

    /** @param storages collects every storage named by a persistent id, by key (shared across pickles of a file) */
    PickleMachine(ByteCursor in, Map<String, StorageRef> storages) {
        this.in = in;
        this.storages = storages;
    }

    /** Runs one pickle up to and including its STOP opcode and returns the object it built. */
    Object load() throws IOException {
        stack.clear();
        marks.clear();
        memo.clear();
        while (true) {
            long at = in.position();
            int op = in.u1();
            switch (op) {
                case 0x80 -> { // PROTO
                    int proto = in.u1();
                    if (proto > 5) {
                        throw in.error("unsupported pickle protocol " + proto + " at " + in.where(at));
                    }
                }
                case 0x95 -> in.bytes(8); // FRAME: a length hint only
                case '.' -> { // STOP
                    Object result = pop(at);
                    if (!stack.isEmpty() || !marks.isEmpty()) {
                        throw in.error("malformed pickle: items left on the stack at STOP, " + in.where(at));
                    }
                    return result;
                }
                case '(' -> { // MARK
                    marks.add(stack.size());
                    stack.add(MARK);
                }
                case '0' -> pop(at); // POP
                case '1' -> popMark(at); // POP_MARK
                case '2' -> push(peek(at)); // DUP
                case 'N' -> push(null);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'K' -> push((long) in.u1()); // BININT1
                case 'M' -> push((long) (in.u1() | (in.u1() << 8))); // BININT2
                case 'J' -> push((long) in.int32()); // BININT
                case 0x8a -> push(littleEndianInt(in.bytes(in.u1()))); // LONG1
                case 0x8b -> push(littleEndianInt(in.bytes(unsignedLength(at)))); // LONG4
                case 'G' -> push(ByteBuffer.wrap(in.bytes(8)).getDouble()); // BINFLOAT, big-endian
                case 'X' -> push(utf8(in.bytes(unsignedLength(at)))); // BINUNICODE
                case 0x8c -> push(utf8(in.bytes(in.u1()))); // SHORT_BINUNICODE
                case 0x8d -> push(utf8(in.bytes(in.int64(java.nio.ByteOrder.LITTLE_ENDIAN)))); // BINUNICODE8
                case 'T' -> push(latin1(in.bytes(unsignedLength(at)))); // BINSTRING (Python 2 str)
                case 'U' -> push(latin1(in.bytes(in.u1()))); // SHORT_BINSTRING
                case 'B' -> push(in.bytes(unsignedLength(at))); // BINBYTES
                case 'C' -> push(in.bytes(in.u1())); // SHORT_BINBYTES
                case 0x8e -> push(in.bytes(in.int64(java.nio.ByteOrder.LITTLE_ENDIAN))); // BINBYTES8
                case ')' -> push(new PyTuple(new ArrayList<>())); // EMPTY_TUPLE
                case 0x85 -> push(tupleOfTop(1, at)); // TUPLE1
                case 0x86 -> push(tupleOfTop(2, at)); // TUPLE2
                case 0x87 -> push(tupleOfTop(3, at)); // TUPLE3
                case 't' -> push(new PyTuple(popMark(at))); // TUPLE
                case ']' -> push(new ArrayList<>()); // EMPTY_LIST
                case 'l' -> push(new ArrayList<>(popMark(at))); // LIST
                case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
                case 'd' -> { // DICT
                    Map<Object, Object> dict = new LinkedHashMap<>();
                    putPairs(dict, popMark(at), at);
                    push(dict);
                }
                case 'a' -> { // APPEND
                    Object value = pop(at);
                    list(peek(at), at).add(value);
                }
                case 'e' -> { // APPENDS
                    List<Object> values = popMark(at);
                    list(peek(at), at).addAll(values);
                }
                case 's' -> { // SETITEM
                    Object value = pop(at);
                    Object key = pop(at);
                    dict(peek(at), at).put(key, value);
                }
                case 'u' -> { // SETITEMS
                    List<Object> pairs = popMark(at);
                    putPairs(dict(peek(at), at), pairs, at);
                }
                case 'q' -> memo.put((long) in.u1(), peek(at)); // BINPUT
                case 'r' -> memo.put((long) unsignedLength(at), peek(at)); // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), peek(at)); // MEMOIZE
                case 'h' -> push(memoGet(in.u1(), at)); // BINGET
                case 'j' -> push(memoGet(unsignedLength(at), at)); // LONG_BINGET
                case 'c' -> { // GLOBAL
                    String module = in.line(200);
                    String name = in.line(200);
                    push(allow(module, name, at));
                }
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop(at);
                    Object module = pop(at);
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw in.error("malformed STACK_GLOBAL at " + in.where(at));
                    }
                    push(allow(m, n, at));
                }
                case 'Q' -> push(persistentLoad(pop(at))); // BINPERSID
                case 'R' -> { // REDUCE
                    Object args = pop(at);
                    Object callable = pop(at);
                    push(reduce(callable, args, at));
                }
                case 'b' -> { // BUILD
                    pop(at);
                    Object target = peek(at);
                    // OrderedDict's state is its _metadata attribute (module versions); a state_dict needs none
                    if (!(target instanceof LinkedHashMap)) {
                        throw in.error("BUILD on " + typeName(target) + " is not supported, " + in.where(at));
                    }
                }
                default -> throw in.error(String.format("unsupported pickle opcode 0x%02x at %s", op, in.where(at)));
            }
        }
    }

    private AllowedGlobal allow(String module, String name, long at) throws TorchFormatException {
        if (AllowedGlobal.isUnsupportedStorageType(module, name)) {
            throw in.error("unsupported dtype: storage type '" + module + "." + name + "' at " + in.where(at)
                    + " (supported: Float, Double, Half, BFloat16, Long, Int)");
        }
        return AllowedGlobal.lookup(module, name).orElseThrow(() -> in.error("disallowed global '" + module + "."
                + name + "' at " + in.where(at) + "; refusing to load (only plain state_dict tensors are accepted)"));
    }

    private Object persistentLoad(Object pid) throws TorchFormatException {
        StorageRef ref = StorageRef.fromPersistentId(pid, in);
        StorageRef seen = storages.putIfAbsent(ref.key(), ref);
        if (seen != null && (seen.dtype() != ref.dtype() || seen.numel() != ref.numel())) {
            throw in.error("storage '" + ref.key() + "' is declared twice with different types or sizes");
        }
        return ref;
    }

    private Object reduce(Object callable, Object args, long at) throws TorchFormatException {
        if (!(callable instanceof AllowedGlobal g)) {
            throw in.error("REDUCE on " + typeName(callable) + " at " + in.where(at));
        }
        if (!(args instanceof PyTuple a)) {
            throw in.error("REDUCE with " + typeName(args) + " as arguments at " + in.where(at));
        }
        switch (g.kind()) {
            case ORDERED_DICT:
                Map<Object, Object> dict = new LinkedHashMap<>();
                if (a.size() == 1 && a.get(0) instanceof List<?> items) {
                    for (Object item : items) {
                        if (!(item instanceof PyTuple kv && kv.size() == 2) && !(item instanceof List<?> l && l.size() == 2)) {
                            throw in.error("OrderedDict item is not a pair at " + in.where(at));
                        }
                        List<?> pair = item instanceof PyTuple kv ? kv.items() : (List<?>) item;
                        dict.put(pair.get(0), pair.get(1));
                    }
                } else if (a.size() != 0) {
                    throw in.error("unsupported OrderedDict arguments at " + in.where(at));
                }
                return dict;
            case REBUILD_TENSOR_V2:
                return rebuildTensor(a, at);
            case REBUILD_PARAMETER:
                if (a.size() < 1 || !(a.get(0) instanceof TensorRecipe t)) {
                    throw in.error("_rebuild_parameter without a tensor at " + in.where(at));
                }
                return t;
            default:
                throw in.error("calling '" + g.qualifiedName() + "' is not supported, " + in.where(at));
        }
    }

    /** _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]). */
    private TensorRecipe rebuildTensor(PyTuple a, long at) throws TorchFormatException {
        if (a.size() < 4 || !(a.get(0) instanceof StorageRef storage) || !(a.get(1) instanceof Long offset)
                || !(a.get(2) instanceof PyTuple size) || !(a.get(3) instanceof PyTuple stride)
                || size.size() != stride.size()) {
            throw in.error("malformed _rebuild_tensor_v2 arguments " + StorageRef.describe(a) + " at " + in.where(at));
        }
        long[] shape = nonNegativeLongs(size, at);
        long[] strides = nonNegativeLongs(stride, at);
        if (offset < 0) {
            throw in.error("negative storage offset at " + in.where(at));
        }
        return new TensorRecipe(storage, offset, shape, strides);
    }

    private long[] nonNegativeLongs(PyTuple t, long at) throws TorchFormatException {
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(t.get(i) instanceof Long v) || v < 0) {
                throw in.error("bad tensor size or stride " + StorageRef.describe(t) + " at " + in.where(at));
            }
            out[i] = v;
        }
        return out;
    }

    private void putPairs(Map<Object, Object> dict, List<Object> flat, long at) throws TorchFormatException {
        if (flat.size() % 2 != 0) {
            throw in.error("odd number of items for a dict at " + in.where(at));
        }
        for (int i = 0; i < flat.size(); i += 2) {
            dict.put(flat.get(i), flat.get(i + 1));
        }
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o, long at) throws TorchFormatException {
        if (o instanceof LinkedHashMap<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw in.error("SETITEM on " + typeName(o) + " at " + in.where(at));
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o, long at) throws TorchFormatException {
        if (o instanceof ArrayList<?> l) {
            return (List<Object>) l;
        }
        throw in.error("APPEND on " + typeName(o) + " at " + in.where(at));
    }

    private PyTuple tupleOfTop(int n, long at) throws TorchFormatException {
        if (stack.size() - (marks.isEmpty() ? 0 : marks.get(marks.size() - 1) + 1) < n) {
            throw in.error("malformed pickle: stack underflow at " + in.where(at));
        }
        List<Object> items = new ArrayList<>(stack.subList(stack.size() - n, stack.size()));
        stack.subList(stack.size() - n, stack.size()).clear();
        return new PyTuple(items);
    }

    private List<Object> popMark(long at) throws TorchFormatException {
        if (marks.isEmpty()) {
            throw in.error("malformed pickle: no MARK for the opcode at " + in.where(at));
        }
        int mark = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(mark + 1, stack.size()));
        stack.subList(mark, stack.size()).clear();
        return items;
    }

    private Object memoGet(long index, long at) throws TorchFormatException {
        if (!memo.containsKey(index)) {
            throw in.error("malformed pickle: memo entry " + index + " missing at " + in.where(at));
        }
        return memo.get(index);
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object peek(long at) throws TorchFormatException {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
            throw in.error("malformed pickle: stack underflow at " + in.where(at));
        }
        return stack.get(stack.size() - 1);
    }

    private Object pop(long at) throws TorchFormatException {
        Object top = peek(at);
        stack.remove(stack.size() - 1);
        return top;
    }

    private long unsignedLength(long at) throws IOException {
        return in.int32() & 0xffffffffL;
    }

    private static Object littleEndianInt(byte[] le) {
        if (le.length == 0) {
            return 0L;
        }
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static String typeName(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof AllowedGlobal g) {
            return g.qualifiedName();
        }
        return o.getClass().getSimpleName();
    }
}
