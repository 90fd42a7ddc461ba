package org.ssdspark.torch;

import org.ssdspark.testing.ReferenceFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checkpoints written by PyTorch 1.13.1 in both formats: the full mb2-ssd-lite in the zip format against its recorded
 * statistics, and a width-0.25 backbone in the legacy format, keyed as the original's mb2-imagenet-71_8.pth, against
 * the zip-format model it was cut from.
 */
class TorchCheckpointReaderTest {
    /** Sums are taken in double over the float32 values, as the reference did with numpy; we see ~1e-16. */
    private static final double RELATIVE_TOLERANCE = 1e-9;

    private static LinkedHashMap<String, TorchTensor> full;
    private static LinkedHashMap<String, TorchTensor> small;
    private static LinkedHashMap<String, TorchTensor> baseLegacy;

    @BeforeAll
    static void readAll() throws IOException {
        full = TorchCheckpointReader.readStateDict(ReferenceFiles.checkpoint("mb2-ssd-lite-21.pth"));
        small = TorchCheckpointReader.readStateDict(ReferenceFiles.resolve("trajectory/init.pth"));
        baseLegacy = TorchCheckpointReader.readStateDict(ReferenceFiles.checkpoint("mb2-base-net-w025-legacy.pth"));
    }

    @Test
    void everyTensorMatchesTheReferenceShapeSumAndAbsSum() throws IOException {
        JsonNode ref = new ObjectMapper().readTree(ReferenceFiles.checkpoint("mb2-ssd-lite-21.state_dict.json")
                .toFile());
        List<String> refNames = new ArrayList<>();
        ref.fieldNames().forEachRemaining(refNames::add);
        assertEquals(478, refNames.size());
        assertEquals(refNames, new ArrayList<>(full.keySet()), "names and order");

        double worst = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = ref.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            TorchTensor t = full.get(e.getKey());
            JsonNode r = e.getValue();
            long[] shape = new long[r.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = r.get("shape").get(i).asLong();
            }
            assertArrayEquals(shape, t.shape(), e.getKey());
            assertEquals(r.get("dtype").asText().equals("int64"), t.isIntegral(), e.getKey());
            double sum = 0;
            double abs = 0;
            for (float v : t.data()) {
                sum += v;
                abs += Math.abs(v);
            }
            double refAbs = r.get("abs_sum").asDouble();
            // sum may be near zero, so its error is measured against the abs-sum scale
            double scale = Math.max(refAbs, 1e-30);
            double sumErr = Math.abs(sum - r.get("sum").asDouble()) / scale;
            double absErr = Math.abs(abs - refAbs) / scale;
            assertTrue(sumErr <= RELATIVE_TOLERANCE, e.getKey() + " sum " + sum + " vs " + r.get("sum"));
            assertTrue(absErr <= RELATIVE_TOLERANCE, e.getKey() + " abs_sum " + abs + " vs " + refAbs);
            worst = Math.max(worst, Math.max(sumErr, absErr));
        }
        System.out.println("max relative deviation of sum/abs_sum over 478 tensors: " + worst);
    }

    @Test
    void numBatchesTrackedKeepsItsInt64Value() {
        TorchTensor t = full.get("base_net.0.1.num_batches_tracked");
        assertEquals(0, t.shape().length, "a scalar");
        assertNotNull(t.longData());
        assertEquals(1, t.longData().length);
        assertEquals((float) t.longData()[0], t.data()[0]);
        assertNull(full.get("base_net.0.0.weight").longData());
        assertEquals(74, full.values().stream().filter(TorchTensor::isIntegral).count());
    }

    @Test
    void legacyBaseNetHasTheMobileNetV2FeatureKeysAndEqualsTheZipModelsBackbone() {
        // as the original's mb2-imagenet-71_8.pth (written before PyTorch 0.4.1): no num_batches_tracked entries
        assertEquals(260, baseLegacy.size());
        List<String> keys = new ArrayList<>(baseLegacy.keySet());
        assertEquals("0.0.weight", keys.get(0));
        assertEquals("18.1.running_var", keys.get(259));
        assertTrue(keys.stream().noneMatch(k -> k.endsWith("num_batches_tracked")));
        assertArrayEquals(new long[] {1280, 80, 1, 1}, baseLegacy.get("18.0.weight").shape());

        LinkedHashMap<String, TorchTensor> backbone = new LinkedHashMap<>();
        for (String k : keys) {
            backbone.put(k, small.get("base_net." + k));
        }
        assertBitEqual(backbone, baseLegacy);
    }

    static void assertBitEqual(Map<String, TorchTensor> expected, Map<String, TorchTensor> actual) {
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()));
        for (Map.Entry<String, TorchTensor> e : expected.entrySet()) {
            TorchTensor a = actual.get(e.getKey());
            TorchTensor x = e.getValue();
            assertArrayEquals(x.shape(), a.shape(), e.getKey());
            assertEquals(x.data().length, a.data().length, e.getKey());
            for (int i = 0; i < x.data().length; i++) {
                assertEquals(Float.floatToRawIntBits(x.data()[i]), Float.floatToRawIntBits(a.data()[i]), e.getKey());
            }
            assertArrayEquals(x.longData(), a.longData(), e.getKey());
        }
    }
}
