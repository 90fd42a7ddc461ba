package org.ssdspark.torch;

import java.util.Arrays;

/**
 * One tensor of a state_dict, contiguous and row-major. {@code data} always holds the values as float32 (floating
 * storages are converted) so that consumers need not care about the dtype; {@code longData} additionally keeps
 * the exact values of integer tensors (int64/int32, e.g. {@code num_batches_tracked}) and is null otherwise.
 * The arrays are shared, not copied.
 */
public record TorchTensor(String name, long[] shape, float[] data, long[] longData) {

    public TorchTensor(String name, long[] shape, float[] data) {
        this(name, shape, data, null);
    }

    public boolean isIntegral() {
        return longData != null;
    }

    public int numel() {
        return data.length;
    }

    @Override
    public String toString() {
        return "TorchTensor[" + name + " " + Arrays.toString(shape) + (isIntegral() ? " integral" : "") + "]";
    }
}
