package org.ssdspark.nn;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

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
}
