package org.ssdspark.nn;

import org.nd4j.linalg.factory.Nd4j;

/**
 * The layers of this package read and write ND4J's buffers through NIO on the host ({@link PlaneIO}). On a device
 * backend (ND4J's CUDA backend) an array lives on the card and its host copy is valid only after an explicit
 * synchronisation, and what is written on the host reaches the card only if ND4J is told: these kernels do neither,
 * so they would compute on stale memory and leave stale results. So every host access first asks this class, which
 * refuses any backend but ND4J's CPU one with an error that says what to run instead. The answer is decided once per
 * JVM (the backend cannot change in a running JVM). The model builder asks {@link #isHostBackend} too, to pick the
 * layers a backend runs.
 */
public final class HostMemory {

    /** Simple class name of ND4J's CPU backend, whose arrays are host memory. */
    static final String CPU_BACKEND = "CpuBackend";

    private static volatile boolean checked;

    private HostMemory() {
    }

    /** Simple class name of the ND4J backend of this JVM: {@code CpuBackend}, {@code JCublasBackend}, ... */
    public static String backendName() {
        return Nd4j.getBackend().getClass().getSimpleName();
    }

    /** Whether a backend (by {@link #backendName}) keeps its arrays in host memory, where this package's layers work. */
    public static boolean isHostBackend(String backendName) {
        return CPU_BACKEND.equals(backendName);
    }

    /** @throws IllegalStateException on a device backend */
    static void requireHostBackend() {
        if (!checked) {
            check(backendName());
            checked = true;
        }
    }

    /** The check itself, on a backend's class name ({@code CpuBackend}, {@code JCublasBackend}, ...). */
    static void check(String backendName) {
        if (!isHostBackend(backendName)) {
            throw new IllegalStateException("This project's CPU layers (fused BatchNorm+ReLU6, depthwise 3x3, 1x1"
                    + " block copies in org.ssdspark.nn) read ND4J's buffers on the host, but the ND4J backend is "
                    + backendName + ", whose arrays live on the device: build or load the network with the stock layer"
                    + " set (DL4J's layers, the default on " + backendName + "; drop -Dssdspark.layers=cpu or pass"
                    + " -Dssdspark.layers=stock), which runs on " + backendName + " directly");
        }
    }
}
