package org.ssdspark.device;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which card a task pins: Spark's assignment first, else the first card of train.device_list; an address that is not
 * one of the cards ND4J sees is an error naming it and where it came from, never a silent fallback to card 0.
 */
class DevicePinnerTest {

    private static final String WHERE = "executor 3 (ND4J JCublasBackend)";

    @Test
    void theDeviceListIsTrimmedAndEmptyEntriesDropped() {
        assertEquals(List.of("2", "0", "1"), DeviceRequest.of("", " 2, 0 ,,1 ,").listed());
        assertEquals(List.of(), DeviceRequest.of("", "").listed());
        assertEquals(List.of(), DeviceRequest.of("", " , ").listed());
        assertEquals(List.of(), DeviceRequest.of("", null).listed());
    }

    @Test
    void sparksAssignmentWinsOverTheDeviceList() {
        DeviceRequest assigned = DeviceRequest.of("1", "3,2");
        assertEquals("1", assigned.wanted());
        assertEquals("assigned by Spark resource scheduling; train.device_list [3, 2] ignored", assigned.note());
        assertEquals(1, assigned.deviceIndex(2, WHERE));

        DeviceRequest listed = DeviceRequest.of("", " 3 ,2");
        assertEquals("3", listed.wanted(), "the first card of the list, as the original's --gpu N");
        assertEquals("no Spark resource assignment; first card of train.device_list", listed.note());
        assertEquals(3, listed.deviceIndex(4, WHERE));

        DeviceRequest none = DeviceRequest.of("", "");
        assertEquals("", none.wanted(), "nothing asked: the task runs unpinned");
        assertEquals("no accelerator assigned (local mode or no resource scheduling)", none.note());
    }

    @Test
    void aNonNumericAddressIsNamedWithItsSource() {
        IllegalStateException listed = assertThrows(IllegalStateException.class,
                () -> DeviceRequest.of("", "gpu0,1").deviceIndex(2, WHERE));
        assertEquals("accelerator address 'gpu0' (the first card of train.device_list [gpu0, 1]) on " + WHERE
                + " is not a device index (0, 1, ...)", listed.getMessage());
        assertInstanceOf(NumberFormatException.class, listed.getCause());

        IllegalStateException assigned = assertThrows(IllegalStateException.class,
                () -> DeviceRequest.of("GPU-5e2d", "").deviceIndex(2, WHERE));
        assertTrue(assigned.getMessage().startsWith("accelerator address 'GPU-5e2d' (assigned by Spark resource"
                + " scheduling)"), assigned.getMessage());
    }

    @Test
    void anAddressBeyondTheVisibleCardsIsRefused() {
        IllegalStateException beyond = assertThrows(IllegalStateException.class,
                () -> DeviceRequest.of("2", "").deviceIndex(2, WHERE));
        assertEquals("accelerator address 2 (assigned by Spark resource scheduling) on " + WHERE
                + ", which sees 2 device(s) (0..1)", beyond.getMessage());

        IllegalStateException negative = assertThrows(IllegalStateException.class,
                () -> DeviceRequest.of("", "-1").deviceIndex(2, WHERE));
        assertTrue(negative.getMessage().startsWith("accelerator address -1 (the first card of train.device_list"),
                negative.getMessage());

        IllegalStateException noCards = assertThrows(IllegalStateException.class,
                () -> DeviceRequest.of("0", "").deviceIndex(0, WHERE));
        assertTrue(noCards.getMessage().endsWith("which sees 0 device(s)"), noCards.getMessage());

        assertEquals(0, DeviceRequest.of("0", "").deviceIndex(1, WHERE), "the last visible card is fine");
    }

    @Test
    void theCpuBackendRecordsTheRequestWithoutPinning() {
        // the test JVM runs ND4J's CPU backend and no Spark task: nothing assigned, the list's card recorded
        DeviceAssignment listed = DevicePinner.pinCurrentTask("1, 0");
        assertFalse(listed.pinned());
        assertEquals(-1, listed.device());
        assertEquals("", listed.address());
        assertEquals("no Spark resource assignment; first card of train.device_list; CPU backend, nothing to pin",
                listed.note());

        DeviceAssignment none = DevicePinner.pinCurrentTask("");
        assertFalse(none.pinned());
        assertEquals("no accelerator assigned (local mode or no resource scheduling)", none.note());
    }
}
