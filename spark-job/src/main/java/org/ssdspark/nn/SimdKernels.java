package org.ssdspark.nn;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the float kernels may use the JDK's incubating Vector API ({@code jdk.incubator.vector}, which a JVM has only
 * when started with {@code --add-modules jdk.incubator.vector}; the submit scripts and the test JVMs are). With it the
 * kernels read and write ND4J's off-heap buffers directly, vector by vector; without it they copy each plane into
 * heap arrays and run the loops C2 vectorises on its own, which is slower but gives the same results to float
 * rounding. The classes that name vector types are only loaded when this says yes.
 */
public final class SimdKernels {

    /** {@code -Dssdspark.simd=false} runs the array kernels even where the module is there (benchmarks, tests). */
    public static final String PROPERTY = "ssdspark.simd";

    private static final Logger LOG = LoggerFactory.getLogger(SimdKernels.class);
    private static final boolean MODULE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    static {
        if (MODULE) {
            LOG.info("BatchNorm and depthwise kernels: Vector API, {}", VectorLanes.describe());
        } else {
            LOG.info("BatchNorm and depthwise kernels: heap arrays (start the JVM with --add-modules "
                    + "jdk.incubator.vector for the faster Vector API kernels)");
        }
    }

    private SimdKernels() {
    }

    /** The module is there and {@value #PROPERTY} is not false. Read each time, so a benchmark can switch per variant. */
    public static boolean enabled() {
        return MODULE && !"false".equalsIgnoreCase(System.getProperty(PROPERTY));
    }

    /** Arrays whose bytes a ByteBuffer can index (the Vector API's off-heap loads take int byte offsets). */
    static boolean addressable(long elements, int bytesPerElement) {
        return elements * bytesPerElement <= Integer.MAX_VALUE;
    }
}
