package org.ssdspark.torch;

import java.util.List;

/**
 * What a persistent id names: a serialized storage by key, and for legacy views the element range of it that the
 * tensor sees. Both formats use ('storage', type, key, location, numel[, view_metadata]).
 */
record StorageRef(String key, TorchDType dtype, long numel, long viewOffset, long viewNumel) {

    static StorageRef fromPersistentId(Object pid, ByteCursor cursor) throws TorchFormatException {
        if (!(pid instanceof PyTuple t) || t.size() < 5 || !"storage".equals(t.get(0))) {
            throw cursor.error("unsupported persistent id " + describe(pid) + " (expected a storage)");
        }
        if (!(t.get(1) instanceof AllowedGlobal g) || g.kind() != AllowedGlobal.Kind.STORAGE_TYPE
                || !(t.get(2) instanceof String key) || !(t.get(4) instanceof Long numel) || numel < 0) {
            throw cursor.error("malformed storage persistent id " + describe(pid));
        }
        long viewOffset = 0;
        long viewNumel = numel;
        if (t.size() > 5 && t.get(5) != null) {
            // legacy view_metadata: (view_key, offset, size) into the root storage
            if (!(t.get(5) instanceof PyTuple v) || v.size() != 3 || !(v.get(1) instanceof Long off)
                    || !(v.get(2) instanceof Long size) || off < 0 || size < 0 || off + size > numel) {
                throw cursor.error("malformed storage view " + describe(t.get(5)));
            }
            viewOffset = off;
            viewNumel = size;
        }
        return new StorageRef(key, g.storageType(), numel, viewOffset, viewNumel);
    }

    static String describe(Object o) {
        if (o instanceof PyTuple t) {
            return t.items().stream().map(StorageRef::describe).toList().toString();
        }
        if (o instanceof AllowedGlobal g) {
            return g.qualifiedName();
        }
        if (o instanceof List<?> l) {
            return "list of " + l.size();
        }
        return o == null ? "None" : o instanceof String s ? "'" + s + "'" : String.valueOf(o);
    }
}
