package org.ssdspark.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What miniBatch(false) means for the loss author: the gradient the updater applies is the gradient of the loss
 * function's summed score over the batch (no 1/B), while {@code score()} reports that score divided by B.
 */
class MiniBatchScalingTest {

    @Test
    void gradientIsOfTheSummedLossAndScoreIsDividedByBatchSize() {
        int batch = 3;
        ComputationGraph graph = DoublePrecision.run(() -> TinySsdLite.build(DataType.DOUBLE, new NoOp()));
        INDArray in = Nd4j.rand(DataType.DOUBLE, batch, 3, 32, 32).subi(0.5);
        INDArray labels = Nd4j.rand(DataType.DOUBLE, batch, MobileNetV2SsdLite.outputWidth(TinySsdLite.CONFIG));
        MultiDataSet mds = new MultiDataSet(in, labels);
        graph.setInputs(in);
        graph.setLabels(labels);
        graph.computeGradientAndScore();
        // the last regression bias: one value, upstream of nothing but the output
        String param = "regression_headers.5_b";
        double analytic = graph.getGradientsViewArray().getDouble(offsetOf(graph, param));
        INDArray p = graph.getParam(param);
        double v = p.getDouble(0);
        double h = 1e-6;
        p.putScalar(0, v + h);
        double plus = graph.score(mds, true);
        p.putScalar(0, v - h);
        double minus = graph.score(mds, true);
        p.putScalar(0, v);
        double numericOfReportedScore = (plus - minus) / (2 * h);
        assertEquals(batch * numericOfReportedScore, analytic, 1e-6 * Math.abs(analytic));
    }

    private static long offsetOf(ComputationGraph graph, String param) {
        long offset = 0;
        for (var e : graph.paramTable().entrySet()) {
            if (e.getKey().equals(param)) {
                return offset;
            }
            offset += e.getValue().length();
        }
        throw new IllegalArgumentException(param);
    }
}
