package org.ssdspark.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.List;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.ssdspark.nn.WeightDecayedBatchNormalization;

/** The updater, the schedules and the BN subclass survive JSON, Java serialisation and ModelSerializer. */
class OptimiserPersistenceTest {

    private static ComputationGraphConfiguration referenceConf(ReferenceSgd sgd, DataType dataType) {
        ComputationGraphConfiguration conf = TinyGraphs.withBatchNorm(
                sgd.applyTo(TinyGraphs.base(dataType, sgd.updater(), sgd.weightDecay())), true);
        WeightDecayedBatchNormalization.replaceIn(conf);
        return conf;
    }

    @Test
    void configurationJsonRoundTripKeepsUpdaterScheduleAndDecayedBatchNorm() {
        for (ReferenceSgd sgd : List.of(ReferenceSgd.cosine(0.08, 200, 5),
                ReferenceSgd.multiStep(0.01, new int[] {80, 100}, 0))) {
            ComputationGraphConfiguration conf = referenceConf(sgd, DataType.FLOAT);
            String json = conf.toJson();
            assertTrue(json.contains(SgdMomentum.class.getName()), json);
            assertTrue(json.contains(WeightDecayedBatchNormalization.class.getName()));
            ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(json);
            assertEquals(conf, back);
            assertEquals(json, back.toJson());

            LayerVertex vertex = assertInstanceOf(LayerVertex.class, back.getVertices().get("bn"));
            BaseLayer bn = (BaseLayer) vertex.getLayerConf().getLayer();
            assertInstanceOf(WeightDecayedBatchNormalization.class, bn);
            SgdMomentum updater = assertInstanceOf(SgdMomentum.class, bn.getIUpdater());
            assertEquals(sgd.learningRate(), updater.getLearningRateSchedule());
            assertEquals(0.9, updater.getMomentum());
            for (int epoch : new int[] {0, 4, 5, 79, 150}) {
                assertEquals(sgd.learningRate().valueAt(0, epoch), updater.getLearningRate(0, epoch), 0.0);
            }
            ComputationGraph net = TinyGraphs.init(back);
            assertEquals(List.of(), WeightDecayAudit.untreated(net, 5e-4));
        }
    }

    @Test
    void javaSerialisationKeepsUpdater() throws Exception {
        SgdMomentum u = ReferenceSgd.cosine(0.08, 200, 5).updater();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(u);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(u, in.readObject());
        }
        assertEquals(u, u.clone());
    }

    @Test
    void modelSerializerRestoresVelocityAndEpochBitExactlyAndTrainingContinuesIdentically(@TempDir Path dir)
            throws Exception {
        ComputationGraph net = TinyGraphs.init(referenceConf(ReferenceSgd.cosine(0.08, 10, 2), DataType.FLOAT));
        for (int epoch = 0; epoch < 3; epoch++) {
            net.fit(TinyGraphs.batch(500 + epoch, 8, DataType.FLOAT, true));
            net.incrementEpochCount();
        }
        INDArray velocity = net.getUpdater().getStateViewArray().dup();
        assertTrue(velocity.amaxNumber().doubleValue() > 0, "the velocity is not trivially zero");

        File file = dir.resolve("checkpoint.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);

        assertArrayEquals(velocity.data().asFloat(), restored.getUpdater().getStateViewArray().dup().data().asFloat());
        assertArrayEquals(net.params().dup().data().asFloat(), restored.params().dup().data().asFloat());
        assertEquals(3, restored.getEpochCount());
        assertEquals(net.getConfiguration(), restored.getConfiguration());

        DataSet next = TinyGraphs.batch(600, 8, DataType.FLOAT, true);
        net.fit(next);
        restored.fit(next);
        assertArrayEquals(net.params().dup().data().asFloat(), restored.params().dup().data().asFloat());
        assertArrayEquals(net.getUpdater().getStateViewArray().dup().data().asFloat(),
                restored.getUpdater().getStateViewArray().dup().data().asFloat());
    }
}
