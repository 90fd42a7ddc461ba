package org.ssdspark.nn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Host-buffer access is refused on a device backend, with a message that names it and the way out. */
class HostMemoryTest {

    @Test
    void aDeviceBackendIsRefusedWithWhatToRunInstead() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> HostMemory.check("JCublasBackend"));
        assertTrue(e.getMessage().contains("JCublasBackend"), e.getMessage());
        assertTrue(e.getMessage().contains("-Dssdspark.layers=stock"), e.getMessage());
        assertFalse(HostMemory.isHostBackend("JCublasBackend"));
    }

    @Test
    void theCpuBackendReadsItsBuffersOnTheHost() {
        assertDoesNotThrow(() -> HostMemory.check("CpuBackend"));
        assertEquals("CpuBackend", HostMemory.backendName());
        assertTrue(HostMemory.isHostBackend(HostMemory.backendName()));
        assertDoesNotThrow(() -> PlaneIO.floats(Nd4j.ones(DataType.FLOAT, 2, 3)));
    }
}
