package org.ssdspark.nn;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;

/**
 * Configuration of a graph vertex with one input, no parameters and no settings: what DL4J asks of every vertex
 * configuration that such a vertex answers the same way. A subclass gives its output type, its runtime side
 * ({@code instantiate}) and a {@code clone} (a new instance: there is nothing to copy).
 *
 * <p>Holds no fields and no getters: DL4J's JSON of a subclass is its class name alone, the same as before this
 * base existed, so checkpoints naming the subclasses load unchanged.
 */
public abstract class SingleInputVertex extends GraphVertex {

    @Override
    public abstract SingleInputVertex clone();

    /** Without settings, two vertices of the same class are interchangeable. */
    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass();
    }

    @Override
    public int hashCode() {
        return getClass().getName().hashCode();
    }

    @Override
    public long numParams(boolean backprop) {
        return 0;
    }

    @Override
    public int minVertexInputs() {
        return 1;
    }

    @Override
    public int maxVertexInputs() {
        return 1;
    }

    /** Nothing of its own: no parameters, no working memory; the output is an activation like any other. */
    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        return new LayerMemoryReport.Builder(null, getClass(), inputTypes[0], getOutputType(-1, inputTypes))
                .standardMemory(0, 0)
                .workingMemory(0, 0, 0, 0)
                .cacheMemory(0, 0)
                .build();
    }
}
