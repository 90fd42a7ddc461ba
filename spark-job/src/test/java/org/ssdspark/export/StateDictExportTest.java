package org.ssdspark.export;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.ssdspark.model.MobileNetV2SsdLite;
import org.ssdspark.model.SsdLiteConfig;
import org.ssdspark.model.SsdLiteWeightImporter;
import org.ssdspark.testing.ReferenceFiles;
import org.ssdspark.torch.TorchCheckpointReader;
import org.ssdspark.torch.TorchTensor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The original's checkpoint, imported and exported again, is the original's state_dict: names, order, shapes, bits. */
class StateDictExportTest {

    @Test
    void theReferenceCheckpointComesBackAsTheOriginalsStateDict() throws IOException {
        LinkedHashMap<String, TorchTensor> original =
                TorchCheckpointReader.readStateDict(ReferenceFiles.checkpoint("mb2-ssd-lite-21.pth"));
        ComputationGraph graph = MobileNetV2SsdLite.build(SsdLiteConfig.of(21), new LossMSE());
        SsdLiteWeightImporter.importStateDict(graph, original);

        LinkedHashMap<String, TorchTensor> exported = StateDictExport.of(graph, 7);

        List<String> expectedKeys = new ArrayList<>(original.keySet());
        List<String> actualKeys = new ArrayList<>(exported.keySet());
        for (int i = 0; i < Math.min(expectedKeys.size(), actualKeys.size()); i++) {
            assertEquals(expectedKeys.get(i), actualKeys.get(i), "key " + i);
        }
        assertEquals(expectedKeys.size(), actualKeys.size(), "number of entries");
        int counters = 0;
        for (Map.Entry<String, TorchTensor> e : original.entrySet()) {
            TorchTensor expected = e.getValue();
            TorchTensor actual = exported.get(e.getKey());
            assertArrayEquals(expected.shape(), actual.shape(), e.getKey());
            if (expected.isIntegral()) {
                assertArrayEquals(new long[]{7}, actual.longData(), e.getKey());
                counters++;
                continue;
            }
            assertNull(actual.longData(), e.getKey());
            for (int i = 0; i < expected.data().length; i++) {
                assertEquals(Float.floatToRawIntBits(expected.data()[i]), Float.floatToRawIntBits(actual.data()[i]),
                        e.getKey() + "[" + i + "]");
            }
        }
        assertEquals(74, counters, "one num_batches_tracked per BatchNorm");
    }
}
