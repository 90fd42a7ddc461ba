package org.ssdspark.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The layer set follows the ND4J backend unless -Dssdspark.layers (or the former -Dssdspark.stockLayers) says. */
class LayerSetChoiceTest {

    @Test
    void theBackendDecidesByDefault() {
        assertEquals(LayerSet.CPU, LayerSetChoice.choose(null, false, "CpuBackend").set());
        assertEquals(LayerSet.STOCK, LayerSetChoice.choose(null, false, "JCublasBackend").set());
        assertEquals(LayerSet.STOCK, LayerSetChoice.choose("", false, "JCublasBackend").set());
        // this test JVM: ND4J's CPU backend, no property
        assertEquals(LayerSet.CPU, LayerSetChoice.forThisJvm());
    }

    @Test
    void thePropertyOverridesAndTheFormerSwitchStillWorks() {
        LayerSetChoice.Choice stock = LayerSetChoice.choose("STOCK ", false, "CpuBackend");
        assertEquals(LayerSet.STOCK, stock.set());
        assertTrue(stock.reason().contains("-Dssdspark.layers=STOCK"), stock.reason());
        assertEquals(LayerSet.STOCK, LayerSetChoice.choose(null, true, "CpuBackend").set());
        assertEquals(LayerSet.CPU, LayerSetChoice.choose("cpu", true, "CpuBackend").set(), "the new property wins");
    }

    @Test
    void impossibleOrUnknownChoicesAreRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LayerSetChoice.choose("cpu", false, "JCublasBackend"));
        assertTrue(e.getMessage().contains("JCublasBackend"), e.getMessage());
        IllegalArgumentException u = assertThrows(IllegalArgumentException.class,
                () -> LayerSetChoice.choose("gpu", false, "CpuBackend"));
        assertTrue(u.getMessage().contains("cpu or stock"), u.getMessage());
    }
}
