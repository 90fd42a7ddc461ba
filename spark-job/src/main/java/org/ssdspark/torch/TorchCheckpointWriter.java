package org.ssdspark.torch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a state_dict in PyTorch's zip checkpoint format (what {@code torch.save} writes since 1.6, and
 * {@code torch.load} reads): {@code <name>/data.pkl} holding an {@code OrderedDict} of tensors, one storage per
 * tensor under {@code <name>/data/<key>}, and {@code <name>/version}. Floating tensors are written as float32
 * ({@code FloatStorage}), integral ones ({@code num_batches_tracked}) as int64 ({@code LongStorage}), little-endian;
 * entries are stored uncompressed, as PyTorch writes them. The inverse of {@link TorchCheckpointReader} for these
 * two dtypes.
 */
public final class TorchCheckpointWriter {
    /** Keys with more than this many items are split into several SETITEMS, as pickle does (batches of 1000). */
    private static final int ITEMS_PER_BATCH = 1000;

    private TorchCheckpointWriter() {
    }

    /**
     * @param archiveName the folder inside the zip ({@code torch.save} uses the file's name without extension); any
     *                    name loads
     */
    public static void writeStateDict(OutputStream out, String archiveName, Map<String, TorchTensor> stateDict)
            throws IOException {
        if (!archiveName.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("archive name '" + archiveName + "': use letters, digits, '_', '.', '-'");
        }
        PickleEncoder pickle = new PickleEncoder().protocol2().orderedDict();
        int key = 0;
        int inBatch = 0;
        for (TorchTensor t : stateDict.values()) {
            if (inBatch == 0) {
                pickle.mark();
            }
            pickle.string(t.name()).tensor(t.isIntegral() ? "LongStorage" : "FloatStorage", Integer.toString(key++),
                    t.numel(), t.shape());
            if (++inBatch == ITEMS_PER_BATCH) {
                pickle.setItems();
                inBatch = 0;
            }
        }
        if (inBatch > 0) {
            pickle.setItems();
        }
        ZipOutputStream zip = new ZipOutputStream(out);
        stored(zip, archiveName + "/data.pkl", pickle.stop());
        key = 0;
        for (Map.Entry<String, TorchTensor> e : stateDict.entrySet()) {
            TorchTensor t = e.getValue();
            if (!e.getKey().equals(t.name())) {
                throw new IllegalArgumentException("state_dict key '" + e.getKey() + "' holds tensor '" + t.name() + "'");
            }
            stored(zip, archiveName + "/data/" + key++, t.isIntegral() ? int64(t.longData()) : float32(t.data()));
        }
        stored(zip, archiveName + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        zip.finish();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        // PyTorch reads the zip's own timestamps nowhere; a fixed one makes the same weights give the same bytes
        entry.setTime(315532800000L);
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }

    private static byte[] float32(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    private static byte[] int64(long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return b.array();
    }
}
