package org.ssdspark.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ssdspark.torch.TorchTensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies a PyTorch state_dict into a {@link MobileNetV2SsdLite} graph. Layer names are the reference's module
 * names, so the key of every tensor is the layer name plus the PyTorch parameter name. All checks run before
 * anything is written: a state_dict that does not fit leaves the graph untouched.
 */
public final class SsdLiteWeightImporter {

    private static final String BATCHES_TRACKED = ".num_batches_tracked";
    private static final String BASE_NET_PREFIX = MobileNetV2SsdLite.BASE_NET + ".";

    private SsdLiteWeightImporter() {
    }

    /** A full mb2-ssd-lite state_dict ({@code base_net.*}, {@code extras.*}, both headers). */
    public static void importStateDict(ComputationGraph graph, Map<String, TorchTensor> stateDict) {
        apply(slots(graph, ""), stateDict);
    }

    /**
     * The state_dict of MobileNetV2 {@code features} alone ({@code 0.0.weight} ... {@code 18.1.running_var}, as in
     * {@code mb2-imagenet-71_8.pth}), loaded into {@code base_net}; extras and heads keep their values.
     */
    public static void importBaseNet(ComputationGraph graph, Map<String, TorchTensor> stateDict) {
        apply(slots(graph, BASE_NET_PREFIX), stateDict);
    }

    /**
     * Where one PyTorch tensor goes: a DL4J parameter ({@code layer}'s {@code param}, viewed by {@code target}), and
     * whether it needs the depthwise axis permutation.
     */
    public record Slot(String key, String layer, String param, long[] torchShape, INDArray target, boolean depthwise) {

        /** A DL4J-shaped array of this parameter (its value, gradient or optimiser state) in PyTorch's shape, copied. */
        public INDArray torchShaped(INDArray dl4j) {
            // DL4J depthwise [kH, kW, C, 1] -> PyTorch [C, 1, kH, kW]: the same axis swap as on import
            INDArray v = depthwise ? dl4j.permute(2, 3, 0, 1) : dl4j;
            return v.dup('c').reshape('c', torchShape);
        }
    }

    /** Every parameter of the graph by its PyTorch state_dict key (running statistics included), in graph order. */
    public static Map<String, Slot> slots(ComputationGraph graph) {
        return slots(graph, "");
    }

    /** The graph's parameters as a PyTorch state_dict would hold them (names, shapes; copies). */
    public static Map<String, INDArray> stateDict(ComputationGraph graph) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Slot slot : slots(graph).values()) {
            out.put(slot.key(), slot.torchShaped(slot.target()));
        }
        return out;
    }

    /** Slots of all layers whose name starts with {@code onlyUnder}; keys lose that prefix. */
    private static Map<String, Slot> slots(ComputationGraph graph, String onlyUnder) {
        Map<String, Slot> slots = new LinkedHashMap<>();
        for (Layer layer : graph.getLayers()) {
            String name = layer.getConfig().getLayerName();
            if (!name.startsWith(onlyUnder)) {
                continue;
            }
            String key = name.substring(onlyUnder.length()) + ".";
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            if (conf instanceof DepthwiseConvolution2D dw) {
                int[] k = dw.getKernelSize();
                add(slots, new Slot(key + "weight", name, "W", new long[]{dw.getNIn() * dw.getDepthMultiplier(), 1, k[0], k[1]},
                        layer.getParam("W"), true));
                if (dw.hasBias()) {
                    add(slots, new Slot(key + "bias", name, "b", new long[]{dw.getNOut()}, layer.getParam("b"), false));
                }
            } else if (conf instanceof ConvolutionLayer conv) {
                int[] k = conv.getKernelSize();
                add(slots, new Slot(key + "weight", name, "W", new long[]{conv.getNOut(), conv.getNIn(), k[0], k[1]},
                        layer.getParam("W"), false));
                if (conv.hasBias()) {
                    add(slots, new Slot(key + "bias", name, "b", new long[]{conv.getNOut()}, layer.getParam("b"), false));
                }
            } else if (conf instanceof BatchNormalization bn) {
                if (bn.isUseLogStd() || bn.isLockGammaBeta()) {
                    throw new IllegalStateException(name + ": importer expects learned gamma/beta and a stored variance");
                }
                long[] shape = {bn.getNOut()};
                add(slots, new Slot(key + "weight", name, "gamma", shape, layer.getParam("gamma"), false));
                add(slots, new Slot(key + "bias", name, "beta", shape, layer.getParam("beta"), false));
                add(slots, new Slot(key + "running_mean", name, "mean", shape, layer.getParam("mean"), false));
                add(slots, new Slot(key + "running_var", name, "var", shape, layer.getParam("var"), false));
            } else if (layer.numParams() > 0) {
                throw new IllegalStateException(name + ": no PyTorch mapping for " + conf.getClass().getSimpleName());
            }
        }
        return slots;
    }

    private static void add(Map<String, Slot> slots, Slot slot) {
        long elements = Arrays.stream(slot.torchShape()).reduce(1, (a, b) -> a * b);
        if (elements != slot.target().length()) {
            throw new IllegalStateException(slot.key() + ": DL4J parameter " + Arrays.toString(slot.target().shape())
                    + " cannot hold " + Arrays.toString(slot.torchShape()));
        }
        slots.put(slot.key(), slot);
    }

    private static void apply(Map<String, Slot> slots, Map<String, TorchTensor> stateDict) {
        List<String> missing = new ArrayList<>();
        List<String> misshaped = new ArrayList<>();
        for (Slot slot : slots.values()) {
            TorchTensor tensor = stateDict.get(slot.key());
            if (tensor == null) {
                missing.add(slot.key());
            } else if (!Arrays.equals(tensor.shape(), slot.torchShape())) {
                misshaped.add(slot.key() + ": got " + Arrays.toString(tensor.shape())
                        + ", expected " + Arrays.toString(slot.torchShape()));
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String key : stateDict.keySet()) {
            if (!slots.containsKey(key) && !key.endsWith(BATCHES_TRACKED)) {
                unexpected.add(key);
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !misshaped.isEmpty()) {
            throw new StateDictMismatchException(missing, unexpected, misshaped);
        }
        for (Slot slot : slots.values()) {
            write(slot, stateDict.get(slot.key()));
        }
    }

    private static void write(Slot slot, TorchTensor tensor) {
        INDArray target = slot.target();
        // A double network takes float64 tensors at full precision (the float32 copy would round them).
        INDArray value = target.dataType() == DataType.DOUBLE
                ? Nd4j.create(tensor.values(), slot.torchShape(), 'c')
                : Nd4j.create(tensor.data(), slot.torchShape(), 'c');
        if (slot.depthwise()) {
            // PyTorch [C, 1, kH, kW] -> DL4J depthwise [kH, kW, C, 1]
            value = value.permute(2, 3, 0, 1);
        }
        if (!Arrays.equals(value.shape(), target.shape())) {
            if (slot.depthwise()) {
                throw new IllegalStateException(slot.key() + ": DL4J depthwise weights are "
                        + Arrays.toString(target.shape()) + ", not [kH, kW, C, 1]");
            }
            value = value.reshape('c', target.shape()); // only drops/adds unit axes (bias [C] vs [1, C])
        }
        target.assign(value.castTo(target.dataType()));
    }
}
