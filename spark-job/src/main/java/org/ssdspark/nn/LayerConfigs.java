package org.ssdspark.nn;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;

/** Helpers for DL4J layer configurations that this project subclasses. */
public final class LayerConfigs {
    private LayerConfigs() {
    }

    /**
     * Copies every instance field declared by {@code upTo} and its superclasses from {@code from} to {@code to}:
     * a subclass instance that carries a configured DL4J layer's settings unchanged, whatever builder made it.
     */
    public static <T> void copyFields(Class<T> upTo, T from, T to) {
        for (Class<?> c = upTo; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    f.set(to, f.get(from));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot copy " + upTo.getSimpleName() + " field " + f, e);
                }
            }
        }
    }

    /** What every layer configuration's {@code instantiate} does to its new runtime layer: listeners, index, params. */
    public static <L extends Layer> L wire(L layer, NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                           int layerIndex, INDArray paramsView, boolean initializeParams,
                                           ParamInitializer initializer) {
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(initializer.init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }
}
