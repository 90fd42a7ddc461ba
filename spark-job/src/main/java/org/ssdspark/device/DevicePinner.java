package org.ssdspark.device;

import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * Pins ND4J in the current Spark task thread to the accelerator card that Spark's resource scheduling gave the
 * task ({@code spark.executor.resource.gpu.amount=1}, {@code spark.task.resource.gpu.amount=1}, a discovery
 * script). Call it first in a task, before any INDArray exists: ND4J binds a thread to a device on first use.
 * Threads the task starts later (DL4J's prefetch) inherit the device from the creating thread.
 *
 * <p>Without an assignment (local mode, no resource scheduling) the task runs unpinned, or on the first card of
 * {@code deviceList} when one is given (the original's {@code --gpu N} on one machine). With the CPU backend
 * nothing can be pinned: the assignment is still recorded, so the scheduling can be checked without cards.
 */
public final class DevicePinner {

    public static final String GPU = "gpu";
    private static final Logger log = LoggerFactory.getLogger(DevicePinner.class);

    private DevicePinner() {
    }

    public static DeviceAssignment pinCurrentTask(String deviceList) {
        TaskContext task = TaskContext.get();
        String executor = SparkEnv.get() == null ? "?" : SparkEnv.get().executorId();
        String host = hostName();
        String address = "";
        if (task != null) {
            ResourceInformation gpu = task.resources().get(GPU).getOrElse(() -> null);
            if (gpu != null && gpu.addresses().length > 0) {
                address = gpu.addresses()[0];
            }
        }
        DeviceRequest request = DeviceRequest.of(address, deviceList);
        String backend = Nd4j.getBackend().getClass().getSimpleName();
        boolean cpu = backend.toLowerCase(Locale.ROOT).contains("cpu");
        String wanted = request.wanted();
        String note = request.note();
        if (wanted.isEmpty() || cpu) {
            if (cpu && !wanted.isEmpty()) {
                note += "; CPU backend, nothing to pin";
            }
            DeviceAssignment a = new DeviceAssignment(executor, host, address, false, -1, backend, note);
            report(a);
            return a;
        }
        int device = request.deviceIndex(Nd4j.getAffinityManager().getNumberOfDevices(),
                "executor " + executor + " (ND4J " + backend + ")");
        Nd4j.getAffinityManager().unsafeSetDevice(device);
        DeviceAssignment a = new DeviceAssignment(executor, host, address, true, device, backend, note);
        report(a);
        return a;
    }

    /** Every task pins itself; the log says so once per executor JVM and assignment, not once per task. */
    private static final java.util.Set<String> REPORTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static void report(DeviceAssignment a) {
        if (REPORTED.add(a.describe())) {
            log.info("Device: {}", a.describe());
        } else {
            log.debug("Device: {}", a.describe());
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
