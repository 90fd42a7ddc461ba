package org.ssdspark.nn;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two checks every custom layer of this package passes: in float, the same outputs and gradients as the graph
 * built with DL4J's own layer; in double, DL4J's numerical gradient check. Graphs end in an MSE loss on a 4-d output.
 */
final class CustomLayerChecks {

    private CustomLayerChecks() {
    }

    /**
     * Builds {@code graphOf.apply(true)} (custom) and {@code graphOf.apply(false)} (stock) in float with the same
     * parameters and asserts the output of {@code layer} within {@code outputTolerance} and every gradient within
     * 1e-5 of its largest value.
     */
    static void matchesStock(Function<Boolean, ComputationGraph> graphOf, String layer, long[] inputShape, double outputTolerance) {
        ComputationGraph ours = graphOf.apply(true);
        ComputationGraph stock = graphOf.apply(false);
        stock.params().assign(ours.params());
        Nd4j.getRandom().setSeed(2);
        INDArray x = Nd4j.rand(DataType.FLOAT, inputShape).subi(0.5);
        INDArray a = ours.feedForward(new INDArray[]{x}, true, false).get(layer);
        INDArray b = stock.feedForward(new INDArray[]{x}, true, false).get(layer);
        assertArrayEquals(b.shape(), a.shape());
        double d = a.sub(b).amaxNumber().doubleValue();
        assertTrue(d < outputTolerance, layer + " outputs differ by " + d);

        long[] out = stock.outputSingle(x).shape();
        INDArray y = Nd4j.rand(DataType.FLOAT, out);
        ours.setInputs(x);
        ours.setLabels(y);
        ours.computeGradientAndScore();
        stock.setInputs(x);
        stock.setLabels(y);
        stock.computeGradientAndScore();
        double worst = 0;
        for (Map.Entry<String, INDArray> e : stock.gradient().gradientForVariable().entrySet()) {
            INDArray other = ours.gradient().gradientForVariable().get(e.getKey());
            double scale = Math.max(1e-3, e.getValue().amaxNumber().doubleValue());
            double r = other.sub(e.getValue()).amaxNumber().doubleValue() / scale;
            worst = Math.max(worst, r);
            assertTrue(r < 1e-5, "gradient " + e.getKey() + " differs by " + r);
        }
        System.out.printf("input %s: max |output diff| %.2e, max relative gradient diff %.2e%n",
                java.util.Arrays.toString(inputShape), d, worst);
    }

    /** DL4J's gradient check of {@code graphOf.get()} built in double, on a random input of {@code inputShape}. */
    static void gradientCheck(java.util.function.Supplier<ComputationGraph> graphOf, long[] inputShape) {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            ComputationGraph graph = graphOf.get();
            Nd4j.getRandom().setSeed(4);
            INDArray x = Nd4j.rand(DataType.DOUBLE, inputShape).subi(0.5);
            INDArray y = Nd4j.rand(DataType.DOUBLE, graph.outputSingle(x).shape());
            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(graph)
                    .inputs(new INDArray[]{x}).labels(new INDArray[]{y})
                    .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
            assertTrue(ok, "gradient check failed for input " + java.util.Arrays.toString(inputShape));
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }
}
