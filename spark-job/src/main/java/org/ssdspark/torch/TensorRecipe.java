package org.ssdspark.torch;

import java.util.Arrays;

/**
 * What torch._utils._rebuild_tensor_v2 would build: a strided view (offset, shape, stride in elements) into a
 * storage. Kept as a recipe because the storage bytes may come later in the file (legacy format).
 */
record TensorRecipe(StorageRef storage, long offset, long[] shape, long[] stride) {

    /** Gathers the view into contiguous row-major arrays, checking it stays inside the storage. */
    TorchTensor materialize(String name, TorchStorage source, ByteCursor ctx) throws TorchFormatException {
        long numel = 1;
        for (long d : shape) {
            numel = Math.multiplyExact(numel, d);
        }
        if (numel > Integer.MAX_VALUE - 8) {
            throw ctx.error("tensor '" + name + "' has " + numel + " elements, too many for one array");
        }
        long available = Math.min(storage.viewNumel(), source.numel - storage.viewOffset());
        if (numel > 0) {
            long last = offset;
            for (int d = 0; d < shape.length; d++) {
                last += (shape[d] - 1) * stride[d];
            }
            if (offset < 0 || last >= available) {
                throw ctx.error("tensor '" + name + "' " + Arrays.toString(shape) + " stride " + Arrays.toString(stride)
                        + " offset " + offset + " reaches past its storage '" + storage.key() + "' of " + available
                        + " elements");
            }
        }
        int n = (int) numel;
        float[] data = new float[n];
        long[] longs = source.dtype.integral ? new long[n] : null;
        double[] doubles = source.dtype == TorchDType.FLOAT64 ? new double[n] : null;
        long base = storage.viewOffset() + offset;
        int[] index = new int[shape.length];
        long pos = base;
        for (int i = 0; i < n; i++) {
            if (longs != null) {
                longs[i] = source.longAt(pos);
                data[i] = longs[i];
            } else if (doubles != null) {
                doubles[i] = source.doubleAt(pos);
                data[i] = (float) doubles[i];
            } else {
                data[i] = source.floatAt(pos);
            }
            // odometer over the shape, innermost dimension fastest (row-major)
            for (int d = shape.length - 1; d >= 0; d--) {
                pos += stride[d];
                if (++index[d] < shape[d]) {
                    break;
                }
                pos -= stride[d] * shape[d];
                index[d] = 0;
            }
        }
        return new TorchTensor(name, shape.clone(), data, longs, doubles);
    }
}
