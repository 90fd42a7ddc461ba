package org.ssdspark.torch;

import java.util.Arrays;

/**
 * One tensor of a state_dict, contiguous and row-major. {@code data} always holds the values as float32 (floating
 * storages are converted) so that consumers need not care about the dtype; {@code longData} additionally keeps
 * the exact values of integer tensors (int64/int32, e.g. {@code num_batches_tracked}) and is null otherwise;
 * {@code doubleData} keeps the exact values of float64 tensors (for double-precision networks and parity tests)
 * and is null otherwise. The arrays are shared, not copied.
 */
public record TorchTensor(String name, long[] shape, float[] data, long[] longData, double[] doubleData) {

    public TorchTensor(String name, long[] shape, float[] data) {
        this(name, shape, data, null, null);
    }

    public TorchTensor(String name, long[] shape, float[] data, long[] longData) {
        this(name, shape, data, longData, null);
    }

    /** The values as doubles: exact for float64, int and float32 storages; widened from float32 otherwise. */
    public double[] values() {
        if (doubleData != null) {
            return doubleData;
        }
        double[] out = new double[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = longData != null ? longData[i] : data[i];
        }
        return out;
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
