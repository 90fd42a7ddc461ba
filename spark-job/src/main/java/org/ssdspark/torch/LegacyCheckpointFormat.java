package org.ssdspark.torch;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pre-1.6 torch.save format: pickles of the magic number, the protocol version, sys_info and the object, then
 * a pickled list of storage keys, then each storage in that order as an int64 element count and its raw bytes.
 */
final class LegacyCheckpointFormat {
    private static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long PROTOCOL_VERSION = 1001;

    private LegacyCheckpointFormat() {
    }

    static LinkedHashMap<String, TorchTensor> read(Path file, long size) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            ByteCursor cursor = new ByteCursor(in, size, file, null);
            Map<String, StorageRef> refs = new HashMap<>();
            PickleMachine pickles = new PickleMachine(cursor, refs);

            Object magic = pickles.load();
            if (!MAGIC.equals(magic)) {
                throw cursor.error("not a PyTorch checkpoint: the first pickle is not torch's magic number");
            }
            Object version = pickles.load();
            if (!Long.valueOf(PROTOCOL_VERSION).equals(version)) {
                throw cursor.error("unsupported legacy protocol version " + version + " (expected 1001)");
            }
            ByteOrder order = byteOrder(pickles.load(), cursor);
            Object top = pickles.load();
            Object keys = pickles.load();
            if (!(keys instanceof List<?> keyList)) {
                throw cursor.error("the storage key list is " + PickleMachine.typeName(keys) + ", not a list");
            }

            Map<String, TorchStorage> storages = new HashMap<>();
            for (Object k : keyList) {
                StorageRef ref = k instanceof String s ? refs.get(s) : null;
                if (ref == null) {
                    throw cursor.error("storage key " + StorageRef.describe(k) + " is not used by any tensor");
                }
                long at = cursor.position();
                long numel = cursor.int64(order);
                if (numel != ref.numel()) {
                    throw cursor.error("storage '" + ref.key() + "' at " + cursor.where(at) + " holds " + numel
                            + " elements, its tensors say " + ref.numel());
                }
                long bytes = Math.multiplyExact(numel, (long) ref.dtype().elementSize);
                storages.put(ref.key(), new TorchStorage(ref.dtype(), cursor.bytes(bytes), order));
            }

            LinkedHashMap<String, TorchTensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, TensorRecipe> e : TorchCheckpointReader.selectStateDict(top, cursor).entrySet()) {
                TorchStorage storage = storages.get(e.getValue().storage().key());
                if (storage == null) {
                    throw cursor.error("storage '" + e.getValue().storage().key() + "' of tensor '" + e.getKey()
                            + "' is not in the file");
                }
                out.put(e.getKey(), e.getValue().materialize(e.getKey(), storage, cursor));
            }
            return out;
        }
    }

    private static ByteOrder byteOrder(Object sysInfo, ByteCursor cursor) throws TorchFormatException {
        if (!(sysInfo instanceof Map<?, ?> info)) {
            throw cursor.error("sys_info is " + PickleMachine.typeName(sysInfo) + ", not a dict");
        }
        Object little = info.get("little_endian");
        return Boolean.FALSE.equals(little) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }
}
