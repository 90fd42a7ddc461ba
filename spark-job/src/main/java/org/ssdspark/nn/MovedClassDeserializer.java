package org.ssdspark.nn;

import java.io.IOException;

import org.nd4j.shade.jackson.core.JsonParser;
import org.nd4j.shade.jackson.databind.BeanProperty;
import org.nd4j.shade.jackson.databind.DeserializationContext;
import org.nd4j.shade.jackson.databind.JsonDeserializer;
import org.nd4j.shade.jackson.databind.JsonMappingException;
import org.nd4j.shade.jackson.databind.deser.ContextualDeserializer;
import org.nd4j.shade.jackson.databind.deser.std.StdDeserializer;

/**
 * Reads a configuration that a checkpoint names by a former class name into the class under its current name.
 *
 * <p>DL4J writes the class name of every layer, vertex, updater and schedule into a checkpoint's JSON (Jackson's
 * {@code "@class"}) and resolves it with {@code Class.forName} on loading; DL4J 1.0.0-M2.1 has no alias table for
 * those names (the 1.0.0-beta {@code registerLegacyCustomClassesForJSON} was for an older format and is gone). So a
 * moved class keeps its former name as an empty,
 * final subclass in the old place, annotated {@code @JsonDeserialize(using = MovedClassDeserializer.class)}:
 * Jackson finds the old name, and this deserializer reads the JSON as the old class's superclass, the class under its
 * new name. The old class is never instantiated; a loaded network holds only the current class, and checkpoints
 * written from it carry the current name.
 */
public final class MovedClassDeserializer extends StdDeserializer<Object> implements ContextualDeserializer {

    private static final long serialVersionUID = 1L;

    private final transient JsonDeserializer<?> currentClass;

    /** What Jackson instantiates from the annotation; {@link #createContextual} gives the working one. */
    public MovedClassDeserializer() {
        super(Object.class);
        this.currentClass = null;
    }

    private MovedClassDeserializer(Class<?> current, JsonDeserializer<?> currentClass) {
        super(current);
        this.currentClass = currentClass;
    }

    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property)
            throws JsonMappingException {
        // The contextual type is the former name, the annotated class; its superclass is the class now.
        Class<?> current = ctxt.getContextualType().getRawClass().getSuperclass();
        return new MovedClassDeserializer(current,
                ctxt.findContextualValueDeserializer(ctxt.constructType(current), property));
    }

    @Override
    public Object deserialize(JsonParser parser, DeserializationContext ctxt) throws IOException {
        if (currentClass == null) {
            throw new IllegalStateException("MovedClassDeserializer used without its context");
        }
        return currentClass.deserialize(parser, ctxt);
    }
}
