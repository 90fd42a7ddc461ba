package org.ssdspark.train;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.scheduler.TaskInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Notices a round that does not finish. A round slower than {@code warnMultiple} times the median of the rounds so
 * far (once three are done) logs which tasks are still running, on which executors and for how long, with a thread
 * dump of the driver; past {@code timeoutSeconds} the round's Spark jobs are cancelled and the round fails with a
 * {@link RoundTimeoutException} naming it, before any checkpoint of its epoch is written. A stuck executor or a lost
 * shuffle fetch would otherwise hang a 13,000-round run silently.
 */
final class RoundWatchdog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RoundWatchdog.class);
    private static final String GROUP = "ssd-training-round";

    private final JavaSparkContext jsc;
    private final double warnMultiple;
    private final long timeoutSeconds;
    private final List<Double> durations = new ArrayList<>();
    private final Map<Long, TaskInfo> running = new ConcurrentHashMap<>();
    private final SparkListener listener = new SparkListener() {
        @Override
        public void onTaskStart(SparkListenerTaskStart start) {
            running.put(start.taskInfo().taskId(), start.taskInfo());
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            running.remove(end.taskInfo().taskId());
        }
    };
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ssd-round-watchdog");
        t.setDaemon(true);
        return t;
    });

    RoundWatchdog(JavaSparkContext jsc, double warnMultiple, long timeoutSeconds) {
        this.jsc = jsc;
        this.warnMultiple = warnMultiple;
        this.timeoutSeconds = timeoutSeconds;
        jsc.sc().addSparkListener(listener);
    }

    /** Runs one round's Spark work under watch; its jobs form one cancellable group. */
    void watch(int epoch, int round, Runnable body) {
        long start = System.nanoTime();
        double median = median();
        AtomicBoolean warned = new AtomicBoolean();
        AtomicBoolean timedOut = new AtomicBoolean();
        AtomicReference<String> late = new AtomicReference<>("");
        var check = timer.scheduleAtFixedRate(() -> {
            double seconds = (System.nanoTime() - start) / 1e9;
            if (timeoutSeconds > 0 && seconds > timeoutSeconds && timedOut.compareAndSet(false, true)) {
                late.set(lateTasks());
                LOG.error("epoch {} round {}: no result after {} s (train.round_timeout_seconds): cancelling it; {}",
                        epoch, round, Math.round(seconds), late.get());
                jsc.cancelJobGroup(GROUP);
            } else if (!Double.isNaN(median) && seconds > warnMultiple * median && warned.compareAndSet(false, true)) {
                LOG.warn(String.format(Locale.ROOT, "epoch %d round %d: running for %.1f s, %.1f times the median"
                                + " round (%.1f s; train.round_warn_multiple %s); %s%ndriver threads:%n%s", epoch, round,
                        seconds, seconds / median, median, warnMultiple, lateTasks(), threadDump()));
            }
        }, 1, 1, TimeUnit.SECONDS);
        // no interrupt on cancel: HDFS clients can take an interrupt for a dead datanode (HDFS-1208)
        jsc.setJobGroup(GROUP, "epoch " + epoch + " round " + round, false);
        try {
            body.run();
        } catch (Exception e) { // Spark's SparkException reaches here unchecked, through DL4J
            if (timedOut.get()) {
                throw new RoundTimeoutException(epoch, round, timeoutSeconds, late.get(), e);
            }
            throw e;
        } finally {
            check.cancel(false);
            jsc.clearJobGroup();
        }
        durations.add((System.nanoTime() - start) / 1e9);
    }

    /** The median round so far; NaN before three rounds (the first ones pay for JIT and start-up). */
    private double median() {
        if (durations.size() < 3) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(durations);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    /** The tasks still running: task index, executor, host and seconds since launch. */
    String lateTasks() {
        if (running.isEmpty()) {
            return "no task is running (the driver is waiting on something else: see the thread dump)";
        }
        long now = System.currentTimeMillis();
        List<String> tasks = new ArrayList<>();
        for (TaskInfo t : running.values()) {
            tasks.add(String.format(Locale.ROOT, "task %d (attempt %d) on executor %s@%s for %.0f s", t.index(),
                    t.attemptNumber(), t.executorId(), t.host(), (now - t.launchTime()) / 1000.0));
        }
        tasks.sort(null);
        return "still running: " + String.join("; ", tasks);
    }

    private static String threadDump() {
        StringBuilder out = new StringBuilder();
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
            out.append(info.toString());
        }
        return out.toString();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        jsc.sc().removeSparkListener(listener);
    }
}
