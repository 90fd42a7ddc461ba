package org.ssdspark.export;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ssdspark.model.SsdLiteWeightImporter;
import org.ssdspark.torch.TorchTensor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A network's parameters as the original's {@code state_dict}: the importer's names, shapes and order read backwards,
 * float32 values, and after every BatchNorm's {@code running_var} the int64 {@code num_batches_tracked} that PyTorch's
 * BatchNorm2d keeps (and {@code load_state_dict(strict=True)} asks for). PyTorch only reads that counter when a
 * BatchNorm has no momentum, which the original's never lacks, so its value is informative only.
 */
public final class StateDictExport {
    private static final String RUNNING_VAR = "running_var";
    /** The original's SSD module registers its children in this order, and state_dict() follows it. */
    private static final List<String> MODULES = List.of("base_net", "extras", "classification_headers",
            "regression_headers");

    private StateDictExport() {
    }

    /** @param batchesTracked what {@code num_batches_tracked} holds: the minibatches the network was trained on, or 0 */
    public static LinkedHashMap<String, TorchTensor> of(ComputationGraph graph, long batchesTracked) {
        LinkedHashMap<String, TorchTensor> out = new LinkedHashMap<>();
        // the graph interleaves the two headers of each level; a stable sort by module restores the original's order
        List<SsdLiteWeightImporter.Slot> slots = new ArrayList<>(SsdLiteWeightImporter.slots(graph).values());
        slots.sort(Comparator.comparingInt(slot -> module(slot.key())));
        for (SsdLiteWeightImporter.Slot slot : slots) {
            String key = slot.key();
            INDArray copy = slot.torchShaped(slot.target()).castTo(DataType.FLOAT).dup('c');
            // a network on a device backend: the copy is on the card until brought to the host (no-op on CPU)
            Nd4j.getAffinityManager().ensureLocation(copy, AffinityManager.Location.HOST);
            float[] values = copy.data().asFloat();
            out.put(key, new TorchTensor(key, slot.torchShape(), values));
            if (key.endsWith("." + RUNNING_VAR)) {
                String counter = key.substring(0, key.length() - RUNNING_VAR.length()) + "num_batches_tracked";
                out.put(counter, new TorchTensor(counter, new long[0], new float[]{batchesTracked},
                        new long[]{batchesTracked}));
            }
        }
        return out;
    }

    private static int module(String key) {
        int rank = MODULES.indexOf(key.substring(0, key.indexOf('.')));
        if (rank < 0) {
            throw new IllegalStateException("parameter " + key + " is outside the original's modules " + MODULES);
        }
        return rank;
    }
}
