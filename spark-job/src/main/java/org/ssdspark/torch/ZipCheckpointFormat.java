package org.ssdspark.torch;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/** torch.save's zip format: {@code <prefix>/data.pkl}, {@code <prefix>/data/<key>} storages, optional byteorder. */
final class ZipCheckpointFormat {

    private ZipCheckpointFormat() {
    }

    static LinkedHashMap<String, TorchTensor> read(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pickle = findDataPkl(zip, file);
            String prefix = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
            ByteOrder order = byteOrder(zip, prefix, file);
            Map<String, StorageRef> refs = new HashMap<>();
            Object top;
            ByteCursor ctx;
            try (InputStream in = new BufferedInputStream(zip.getInputStream(pickle))) {
                ctx = new ByteCursor(in, pickle.getSize(), file, pickle.getName());
                top = new PickleMachine(ctx, refs).load();
            }
            Map<String, TensorRecipe> recipes = TorchCheckpointReader.selectStateDict(top, ctx);
            Map<String, TorchStorage> storages = new HashMap<>();
            LinkedHashMap<String, TorchTensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, TensorRecipe> e : recipes.entrySet()) {
                StorageRef ref = e.getValue().storage();
                TorchStorage storage = storages.get(ref.key());
                if (storage == null) {
                    storage = readStorage(zip, prefix, ref, order, file);
                    storages.put(ref.key(), storage);
                }
                out.put(e.getKey(), e.getValue().materialize(e.getKey(), storage, ctx));
            }
            return out;
        } catch (ZipException | EOFException e) {
            throw new TorchFormatException(file, "not a readable zip archive (truncated or corrupt): " + e.getMessage(),
                    e);
        }
    }

    private static ZipEntry findDataPkl(ZipFile zip, Path file) throws TorchFormatException {
        List<ZipEntry> found = new ArrayList<>();
        for (ZipEntry e : Collections.list(zip.entries())) {
            String name = e.getName();
            // the record lives one folder deep ("archive/data.pkl", "<stem>/data.pkl"); accept it at the root too
            if (name.equals("data.pkl") || (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - 9)) {
                found.add(e);
            }
        }
        if (found.size() != 1) {
            throw new TorchFormatException(file, found.isEmpty()
                    ? "zip archive without a data.pkl: not a PyTorch checkpoint"
                    : "zip archive with several data.pkl records: " + found);
        }
        if (found.get(0).getSize() < 0) {
            throw new TorchFormatException(file, "data.pkl has no recorded size");
        }
        return found.get(0);
    }

    private static ByteOrder byteOrder(ZipFile zip, String prefix, Path file) throws IOException {
        ZipEntry e = zip.getEntry(prefix + "byteorder");
        if (e == null) {
            return ByteOrder.LITTLE_ENDIAN; // files from before the byteorder record are little-endian
        }
        try (InputStream in = zip.getInputStream(e)) {
            String s = new String(in.readNBytes(16), StandardCharsets.US_ASCII).trim();
            return switch (s) {
                case "little" -> ByteOrder.LITTLE_ENDIAN;
                case "big" -> ByteOrder.BIG_ENDIAN;
                default -> throw new TorchFormatException(file, "unknown byteorder record '" + s + "'");
            };
        }
    }

    private static TorchStorage readStorage(ZipFile zip, String prefix, StorageRef ref, ByteOrder order, Path file)
            throws IOException {
        String name = prefix + "data/" + ref.key();
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new TorchFormatException(file, "storage record '" + name + "' is missing");
        }
        long bytes = Math.multiplyExact(ref.numel(), (long) ref.dtype().elementSize);
        if (e.getSize() < bytes) {
            throw new TorchFormatException(file, "storage record '" + name + "' has " + e.getSize() + " bytes, "
                    + ref.numel() + " " + ref.dtype() + " elements need " + bytes);
        }
        try (InputStream in = zip.getInputStream(e)) {
            return new TorchStorage(ref.dtype(), new ByteCursor(in, e.getSize(), file, name).bytes(bytes), order);
        }
    }
}
