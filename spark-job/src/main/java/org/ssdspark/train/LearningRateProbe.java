package org.ssdspark.train;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.learning.config.IUpdater;

import java.io.Serializable;

/**
 * A worker-side listener that records the learning rate the worker's updater actually used and the epoch counter
 * its network carried, so the driver can check them against the schedule (the epoch comes from the configuration
 * the driver broadcasts each round).
 */
public final class LearningRateProbe extends BaseTrainingListener implements Serializable {

    private static final long serialVersionUID = 1L;

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        TaskState task = TaskState.current();
        if (task == null || !(model instanceof ComputationGraph graph)) {
            return;
        }
        int epochCount = graph.getConfiguration().getEpochCount();
        for (Layer layer : graph.getLayers()) {
            if (layer.numParams() == 0) {
                continue;
            }
            String param = layer.paramTable().keySet().iterator().next();
            IUpdater updater = layer.conf().getLayer().getUpdaterByParam(param);
            task.addLearningRate(updater.getLearningRate(graph.getConfiguration().getIterationCount(), epochCount),
                    epochCount);
            return;
        }
    }
}
