package org.ssdspark.device;

import java.io.Serializable;

/**
 * What one task was given and did about it: the executor, the accelerator address Spark's resource scheduling
 * assigned ("" when none), whether ND4J was pinned to it, the ND4J device index used (-1 unpinned) and why.
 */
public record DeviceAssignment(String executorId, String host, String address, boolean pinned, int device,
                               String backend, String note) implements Serializable {

    /** One line for logs and metrics. */
    public String describe() {
        return "executor " + executorId + "@" + host + ": "
                + (address.isEmpty() ? "no accelerator assigned" : "gpu " + address)
                + (pinned ? ", ND4J pinned to device " + device : ", unpinned") + " (" + backend + "; " + note + ")";
    }
}
