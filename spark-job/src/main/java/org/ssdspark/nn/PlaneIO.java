package org.ssdspark.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * Bulk reads and writes of a contiguous (c-order) ND4J array's off-heap data into double[] scratch, so that the
 * kernels are plain Java loops over heap arrays (which the JIT vectorises) whatever the network's data type. Host
 * memory only: every access checks the backend first ({@link HostMemory}).
 */
abstract class PlaneIO {

    /** {@code length} values from element {@code offset} of the array into {@code dst[dstOffset...]}. */
    abstract void load(int offset, double[] dst, int dstOffset, int length);

    /** {@code src[srcOffset...]} into the array from element {@code offset}. */
    abstract void store(int offset, double[] src, int srcOffset, int length);

    /** @throws IllegalArgumentException unless {@code a} is a c-order array with default strides */
    static PlaneIO of(INDArray a) {
        HostMemory.requireHostBackend();
        if (!isContiguous(a) || a.length() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("needs a contiguous c-order array: " + a.shapeInfoToString());
        }
        int base = (int) a.offset();
        if (a.dataType() == DataType.FLOAT) {
            return new Floats(a.data().asNioFloat(), base);
        }
        if (a.dataType() == DataType.DOUBLE) {
            return new Doubles(a.data().asNioDouble(), base);
        }
        throw new IllegalArgumentException("float or double only, not " + a.dataType());
    }

    /** The off-heap floats of a contiguous float array, positioned at its first element (absolute gets and puts). */
    static FloatBuffer floats(INDArray a) {
        HostMemory.requireHostBackend();
        if (a.dataType() != DataType.FLOAT || !isContiguous(a)) {
            throw new IllegalArgumentException("needs a contiguous float array: " + a.shapeInfoToString());
        }
        return a.data().asNioFloat().position((int) a.offset()).slice();
    }

    /**
     * The off-heap bytes of a contiguous float array, its first element at index 0, in native order (what the Vector
     * API kernels index); only for arrays {@link SimdKernels#addressable} says fit.
     */
    static ByteBuffer bytes(INDArray a) {
        if (a.dataType() != DataType.FLOAT || !isContiguous(a) || !SimdKernels.addressable(a.length(), 4)) {
            throw new IllegalArgumentException("needs a contiguous float array under 2 GiB: " + a.shapeInfoToString());
        }
        return raw(a, 4);
    }

    /**
     * A contiguous array of shape [a, b, len] into a contiguous array of the same data type laid out [b, a, len]: a
     * block copy per (i, j), so NCHW activations become channel-major ([C, N, HW]) and back.
     */
    static void swapLeadingAxes(INDArray src, INDArray dst, int a, int b, int len) {
        if (src.dataType() != dst.dataType() || !isContiguous(src) || !isContiguous(dst) || src.length() != (long) a * b * len
                || dst.length() != src.length()) {
            throw new IllegalArgumentException("needs two contiguous arrays of " + a + " x " + b + " x " + len + ": "
                    + src.shapeInfoToString() + ", " + dst.shapeInfoToString());
        }
        int size = src.dataType().width();
        if (!SimdKernels.addressable(src.length(), size)) {
            throw new IllegalArgumentException("array over 2 GiB: " + src.shapeInfoToString());
        }
        ByteBuffer from = raw(src, size);
        ByteBuffer to = raw(dst, size);
        int block = len * size;
        IntStream.range(0, b).parallel().forEach(j -> {
            for (int i = 0; i < a; i++) {
                to.put((j * a + i) * block, from, (i * b + j) * block, block);
            }
        });
    }

    /** The array's bytes from its first element, whatever its type. */
    private static ByteBuffer raw(INDArray a, int size) {
        HostMemory.requireHostBackend();
        return a.data().asNio().duplicate().position((int) a.offset() * size).slice().order(ByteOrder.nativeOrder());
    }

    /** {@code a} itself if contiguous c-order, else a c-order copy. */
    static INDArray contiguous(INDArray a) {
        return isContiguous(a) ? a : a.dup('c');
    }

    /** Row-major and dense; the stride of a unit axis does not matter (ND4J leaves odd values there). */
    static boolean isContiguous(INDArray a) {
        long expected = 1;
        long[] shape = a.shape();
        long[] stride = a.stride();
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    private static final class Floats extends PlaneIO {
        private final FloatBuffer buffer;
        private final int base;
        private final ThreadLocal<float[]> scratch = ThreadLocal.withInitial(() -> new float[0]);

        Floats(FloatBuffer buffer, int base) {
            this.buffer = buffer;
            this.base = base;
        }

        private float[] scratch(int length) {
            float[] s = scratch.get();
            if (s.length < length) {
                s = new float[length];
                scratch.set(s);
            }
            return s;
        }

        @Override
        void load(int offset, double[] dst, int dstOffset, int length) {
            float[] s = scratch(length);
            buffer.get(base + offset, s, 0, length);
            for (int i = 0; i < length; i++) {
                dst[dstOffset + i] = s[i];
            }
        }

        @Override
        void store(int offset, double[] src, int srcOffset, int length) {
            float[] s = scratch(length);
            for (int i = 0; i < length; i++) {
                s[i] = (float) src[srcOffset + i];
            }
            buffer.put(base + offset, s, 0, length);
        }
    }

    private static final class Doubles extends PlaneIO {
        private final DoubleBuffer buffer;
        private final int base;

        Doubles(DoubleBuffer buffer, int base) {
            this.buffer = buffer;
            this.base = base;
        }

        @Override
        void load(int offset, double[] dst, int dstOffset, int length) {
            buffer.get(base + offset, dst, dstOffset, length);
        }

        @Override
        void store(int offset, double[] src, int srcOffset, int length) {
            buffer.put(base + offset, src, srcOffset, length);
        }
    }
}
