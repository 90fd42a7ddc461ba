package org.ssdspark.train;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.ssdspark.device.DeviceAssignment;
import org.ssdspark.device.DevicePinner;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The data side of one worker task: pins the task to its card, then turns the task's records (in slot order) into
 * minibatches lazily, one at a time as DL4J's worker (or its prefetch thread) asks: decode, augment, match. At most
 * {@code prefetch + 1} decoded minibatches exist per executor. When the task ends its {@link TaskReport} goes to the
 * round's accumulator.
 */
final class MinibatchFunction implements FlatMapFunction<Iterator<Tuple2<Integer, TrainingRecord>>, MultiDataSet> {

    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int round;
    private final long seed;
    private final int batchSize;
    private final int imageSize;
    private final boolean enforceIouConstraint;
    private final String deviceList;
    private final TaskReportAccumulator reports;
    private final WorkerFaultHook faultHook;

    MinibatchFunction(int epoch, int round, TrainOptions options, TaskReportAccumulator reports,
                      WorkerFaultHook faultHook) {
        this.epoch = epoch;
        this.round = round;
        this.seed = options.seed();
        this.batchSize = options.batchSize();
        this.imageSize = options.imageSize();
        this.enforceIouConstraint = options.enforceIouConstraint();
        this.deviceList = options.deviceList();
        this.reports = reports;
        this.faultHook = faultHook;
    }

    @Override
    public Iterator<MultiDataSet> call(Iterator<Tuple2<Integer, TrainingRecord>> records) {
        // Before DL4J's worker builds its network in this thread: ND4J binds a thread to a device on first use.
        DeviceAssignment device = DevicePinner.pinCurrentTask(deviceList);
        TaskContext task = TaskContext.get();
        int partition = task.partitionId();
        int attempt = task.attemptNumber();
        TaskState state = TaskState.begin(partition, attempt, device);
        task.addTaskCompletionListener(ctx -> {
            reports.add(state.report());
            TaskState.end();
        });
        SampleEncoder encoder = new SampleEncoder(imageSize, enforceIouConstraint);
        return new Iterator<>() {
            private int batch;

            @Override
            public boolean hasNext() {
                return records.hasNext();
            }

            @Override
            public MultiDataSet next() {
                if (!records.hasNext()) {
                    throw new NoSuchElementException();
                }
                faultHook.beforeBatch(epoch, round, partition, attempt, batch++);
                List<TrainingRecord> chunk = new ArrayList<>(batchSize);
                long[] seeds = new long[batchSize];
                while (records.hasNext() && chunk.size() < batchSize) {
                    Tuple2<Integer, TrainingRecord> next = records.next();
                    seeds[chunk.size()] = SampleSeeds.of(seed, epoch, next._1());
                    chunk.add(next._2());
                }
                // DL4J's prefetch thread calls this inside its cyclic workspace, which learns its size from the first
                // batch; a later batch that allocates more wraps around onto batches still queued or in training.
                // Detached arrays are the garbage collector's to free, and never overwritten.
                try (MemoryWorkspace detached = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                    return encoder.trainBatch(chunk, seeds);
                }
            }
        };
    }
}
