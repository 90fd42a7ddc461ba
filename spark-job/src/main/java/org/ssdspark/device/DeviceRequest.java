package org.ssdspark.device;

import java.util.Arrays;
import java.util.List;

/**
 * Which card a task asks for, and why: the address Spark's resource scheduling assigned it, else the first card of
 * {@code train.device_list}, else none. Kept apart from {@link DevicePinner} (which needs a task and ND4J) so the
 * choice and its errors can be checked alone.
 *
 * @param assigned the task's Spark resource address ("" when none)
 * @param listed   the cards of {@code train.device_list}, trimmed, empty entries dropped
 */
record DeviceRequest(String assigned, List<String> listed) {

    static DeviceRequest of(String assigned, String deviceList) {
        List<String> listed = deviceList == null || deviceList.isBlank() ? List.of()
                : Arrays.stream(deviceList.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        return new DeviceRequest(assigned == null ? "" : assigned, listed);
    }

    /** The address asked for, "" for none. */
    String wanted() {
        return !assigned.isEmpty() ? assigned : listed.isEmpty() ? "" : listed.get(0);
    }

    /** Where {@link #wanted()} comes from, for the assignment's note and for errors. */
    String note() {
        if (!assigned.isEmpty()) {
            return listed.isEmpty() ? "assigned by Spark resource scheduling"
                    : "assigned by Spark resource scheduling; train.device_list " + listed + " ignored";
        }
        if (!listed.isEmpty()) {
            return "no Spark resource assignment; first card of train.device_list";
        }
        return "no accelerator assigned (local mode or no resource scheduling)";
    }

    /**
     * The ND4J device index of {@link #wanted()}, on a backend that sees {@code visibleDevices} cards; an error names
     * the address, where it came from and {@code where} (executor and backend) when it is not one of them.
     */
    int deviceIndex(int visibleDevices, String where) {
        String wanted = wanted();
        String source = !assigned.isEmpty() ? "assigned by Spark resource scheduling"
                : "the first card of train.device_list " + listed;
        int device;
        try {
            device = Integer.parseInt(wanted);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("accelerator address '" + wanted + "' (" + source + ") on " + where
                    + " is not a device index (0, 1, ...)", e);
        }
        if (device < 0 || device >= visibleDevices) {
            throw new IllegalStateException("accelerator address " + wanted + " (" + source + ") on " + where
                    + ", which sees " + visibleDevices + " device(s)"
                    + (visibleDevices > 0 ? " (0.." + (visibleDevices - 1) + ")" : ""));
        }
        return device;
    }
}
