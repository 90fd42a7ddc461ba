package org.ssdspark.train.optim;

import java.util.Collections;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * The state and step of {@link SgdMomentum}. DL4J hands the gradient in (already divided by the minibatch when
 * the network says so, and with L2 regularization already added) and subtracts what this leaves in it from the
 * parameters: so it leaves {@code lr * v}.
 */
public final class SgdMomentumUpdater implements GradientUpdater<SgdMomentum> {

    /** Key of the velocity in {@link #getState()}, as DL4J's momentum updaters name it. */
    public static final String VELOCITY = "V";

    private final SgdMomentum config;
    private INDArray velocity;

    public SgdMomentumUpdater(SgdMomentum config) {
        this.config = config;
    }

    @Override
    public SgdMomentum getConfig() {
        return config;
    }

    @Override
    public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        INDArray v = stateMap == null ? null : stateMap.get(VELOCITY);
        if (v == null || stateMap.size() != 1) {
            throw new IllegalStateException("SgdMomentum state must hold exactly the key " + VELOCITY
                    + ", got " + (stateMap == null ? null : stateMap.keySet()));
        }
        velocity = v;
        if (initialize) {
            velocity.assign(0);
        }
    }

    @Override
    public Map<String, INDArray> getState() {
        return Collections.singletonMap(VELOCITY, velocity);
    }

    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        if (!viewArray.isRowVectorOrScalar() && !viewArray.isVector()) {
            throw new IllegalArgumentException("updater state view must be a vector, got shape "
                    + java.util.Arrays.toString(viewArray.shape()));
        }
        if (initialize) {
            // Zero start makes the first step v = g, as PyTorch's fresh momentum_buffer (clone of d_p).
            viewArray.assign(0);
        }
        velocity = viewArray.reshape(gradientOrder, gradientShape);
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        if (velocity == null) {
            throw new IllegalStateException("SgdMomentum state not set");
        }
        double lr = config.getLearningRate(iteration, epoch);
        velocity.muli(config.getMomentum()).addi(gradient);
        gradient.assign(velocity).muli(lr);
    }

    /** The velocity, a view into the network's updater state. */
    public INDArray getVelocity() {
        return velocity;
    }
}
