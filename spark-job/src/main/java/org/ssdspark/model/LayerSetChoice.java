package org.ssdspark.model;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ssdspark.nn.HostMemory;

/**
 * Which {@link LayerSet} this JVM builds and loads networks with, decided once (on first use) and logged then: the
 * CPU set on ND4J's CPU backend, the stock set on any other (CUDA's), whose arrays live on the device where the CPU
 * set cannot work. {@code -Dssdspark.layers=cpu|stock} overrides; {@code -Dssdspark.stockLayers=true}, the former
 * benchmark switch, is read as {@code -Dssdspark.layers=stock}. The backend cannot change in a running JVM and every
 * network of a run must use one set, hence once.
 */
public final class LayerSetChoice {

    public static final String PROPERTY = "ssdspark.layers";
    /** Former name of {@code -Dssdspark.layers=stock}. */
    public static final String STOCK_ALIAS_PROPERTY = "ssdspark.stockLayers";

    private static final Logger log = LoggerFactory.getLogger(LayerSetChoice.class);
    private static volatile Choice decided;

    private LayerSetChoice() {
    }

    /** A set and why it was chosen (for the log). */
    record Choice(LayerSet set, String reason) {
    }

    /** The set of this JVM. */
    public static LayerSet forThisJvm() {
        Choice c = decided;
        if (c == null) {
            synchronized (LayerSetChoice.class) {
                if (decided == null) {
                    decided = choose(System.getProperty(PROPERTY), Boolean.getBoolean(STOCK_ALIAS_PROPERTY),
                            HostMemory.backendName());
                    log.info("Layer set: {} ({}; -D{}=cpu|stock overrides)", decided.set(), decided.reason(), PROPERTY);
                }
                c = decided;
            }
        }
        return c.set();
    }

    /**
     * The decision itself: {@code property} (the value of {@code -Dssdspark.layers}, or null), then the alias, then the
     * backend (by {@link HostMemory#backendName}).
     *
     * @throws IllegalArgumentException for an unknown set name
     * @throws IllegalStateException    for the CPU set on a device backend, which it cannot run on
     */
    static Choice choose(String property, boolean stockAlias, String backend) {
        Choice c;
        if (property != null && !property.isBlank()) {
            c = new Choice(LayerSet.parse(property), "-D" + PROPERTY + "=" + property.trim());
        } else if (stockAlias) {
            c = new Choice(LayerSet.STOCK, "-D" + STOCK_ALIAS_PROPERTY + "=true");
        } else if (HostMemory.isHostBackend(backend)) {
            c = new Choice(LayerSet.CPU, "ND4J backend " + backend + ": arrays in host memory");
        } else {
            c = new Choice(LayerSet.STOCK, "ND4J backend " + backend + ": arrays on the device");
        }
        if (c.set() == LayerSet.CPU && !HostMemory.isHostBackend(backend)) {
            throw new IllegalStateException("-D" + PROPERTY + "=cpu: the CPU layer set works on host memory only, but"
                    + " the ND4J backend is " + backend + "; use the stock set (the default there)");
        }
        return c;
    }
}
