package org.ssdspark.nn;

import org.nd4j.linalg.factory.Nd4j;

/**
 * The layers of this package read and write ND4J's buffers through NIO on the host ({@link PlaneIO}). On a device
 * backend (ND4J's CUDA backend) an array lives on the card and its host copy is valid only after an explicit
 * synchronisation, which these kernels do not do: they would compute on stale memory. So every host access first
 * asks this class, which refuses any backend but ND4J's CPU one with an error that says what to run instead.
 * The answer is decided once per JVM (the backend cannot change in a running JVM).
 */
final class HostMemory {

    private static volatile boolean checked;

    private HostMemory() {
    }

    /** @throws IllegalStateException on a device backend */
    static void requireHostBackend() {
        if (!checked) {
            check(Nd4j.getBackend().getClass().getSimpleName());
            checked = true;
        }
    }

    /** The check itself, on a backend's class name ({@code CpuBackend}, {@code JCublasBackend}, ...). */
    static void check(String backendName) {
        if (!"CpuBackend".equals(backendName)) {
            throw new IllegalStateException("This project's CPU layers (fused BatchNorm+ReLU6, depthwise 3x3, 1x1"
                    + " block copies in org.ssdspark.nn) read ND4J's buffers on the host, but the ND4J backend is "
                    + backendName + ", whose arrays live on the device: build the network with DL4J's stock layers"
                    + " (-Dssdspark.stockLayers=true), which run on " + backendName + " directly");
        }
    }
}
