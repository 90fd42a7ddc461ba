package org.ssdspark.torch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the tensors of a PyTorch checkpoint written by {@code torch.save(model.state_dict(), f)} without Python:
 * the zip format (PyTorch >= 1.6) and the legacy pickle-sequence format, detected from the first bytes. The
 * pickles are evaluated by a restricted machine that knows only OrderedDict, tensor rebuilding and storage types,
 * so a checkpoint can never run code; anything else is refused with a {@link TorchFormatException}.
 */
public final class TorchCheckpointReader {
    /** Keys under which training scripts commonly nest the state_dict in a larger checkpoint dict. */
    private static final List<String> NESTED_KEYS = List.of("state_dict", "model_state_dict", "model", "net",
            "state");

    private TorchCheckpointReader() {
    }

    /** The state_dict's tensors in file order, contiguous row-major, little- or big-endian as the file says. */
    public static LinkedHashMap<String, TorchTensor> readStateDict(Path file) throws IOException {
        long size = Files.size(file);
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(512);
        }
        if (size == 0) {
            throw new TorchFormatException(file, "empty file, not a PyTorch checkpoint");
        }
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return ZipCheckpointFormat.read(file);
        }
        if ((head[0] & 0xff) == 0x80) {
            return LegacyCheckpointFormat.read(file, size);
        }
        if (head.length >= 262 && new String(head, 257, 5, java.nio.charset.StandardCharsets.ISO_8859_1)
                .equals("ustar")) {
            throw new TorchFormatException(file, "tar-based checkpoint (PyTorch < 0.4) is not supported; "
                    + "re-save it with a newer torch.save");
        }
        throw new TorchFormatException(file, String.format(
                "not a PyTorch checkpoint: starts with 0x%02x, expected a zip archive or a pickle", head[0] & 0xff));
    }

    /** Finds the name -> tensor dict in the unpickled top object: the object itself or one nested under a key. */
    static Map<String, TensorRecipe> selectStateDict(Object top, ByteCursor ctx) throws TorchFormatException {
        Map<String, TensorRecipe> direct = asTensorDict(top);
        if (direct != null) {
            return direct;
        }
        if (top instanceof Map<?, ?> m) {
            for (String key : NESTED_KEYS) {
                Map<String, TensorRecipe> nested = asTensorDict(m.get(key));
                if (nested != null) {
                    return nested;
                }
            }
            List<String> keys = m.keySet().stream().limit(12).map(StorageRef::describe).toList();
            throw ctx.error("no state_dict found: the top-level dict has keys " + keys
                    + " and neither holds only tensors nor nests them under one of " + NESTED_KEYS);
        }
        throw ctx.error("no state_dict found: the top-level object is " + PickleMachine.typeName(top));
    }

    private static Map<String, TensorRecipe> asTensorDict(Object o) {
        if (!(o instanceof Map<?, ?> m) || m.isEmpty()) {
            return null;
        }
        Map<String, TensorRecipe> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof TensorRecipe t)) {
                return null;
            }
            out.put(k, t);
        }
        return out;
    }
}
