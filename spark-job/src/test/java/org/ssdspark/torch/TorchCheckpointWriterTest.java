package org.ssdspark.torch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ssdspark.testing.ReferenceFiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A state_dict written by {@link TorchCheckpointWriter} reads back bit for bit, names, order, shapes and int64 values
 * included. (That PyTorch loads it is checked outside the suite, which must not need Python: see the export README.)
 */
class TorchCheckpointWriterTest {
    @TempDir
    Path tmp;

    @Test
    void theFullReferenceCheckpointRoundTripsBitForBit() throws IOException {
        roundTrip(TorchCheckpointReader.readStateDict(ReferenceFiles.checkpoint("mb2-ssd-lite-21.pth")));
    }

    @Test
    void theSmallModelRoundTripsBitForBit() throws IOException {
        roundTrip(TorchCheckpointReader.readStateDict(ReferenceFiles.resolve("trajectory/init.pth")));
    }

    @Test
    void theSameWeightsGiveTheSameBytes() throws IOException {
        Map<String, TorchTensor> sd = TorchCheckpointReader.readStateDict(ReferenceFiles.resolve("trajectory/init.pth"));
        assertArrayEquals(bytes(sd), bytes(sd));
    }

    @Test
    void scalarsLargeIntegersAndEmptyShapesSurvive() throws IOException {
        LinkedHashMap<String, TorchTensor> sd = new LinkedHashMap<>();
        sd.put("bn.num_batches_tracked", new TorchTensor("bn.num_batches_tracked", new long[0], new float[]{5_000_000_000f},
                new long[]{5_000_000_000L}));
        sd.put("w", new TorchTensor("w", new long[]{2, 1, 3}, new float[]{1, -0f, Float.MIN_VALUE, Float.NaN, 3e38f, 7}));
        roundTrip(sd);
    }

    @Test
    void aKeyThatNamesAnotherTensorIsRefused() {
        LinkedHashMap<String, TorchTensor> sd = new LinkedHashMap<>();
        sd.put("a", new TorchTensor("b", new long[]{1}, new float[]{1}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TorchCheckpointWriter.writeStateDict(OutputStream.nullOutputStream(), "m", sd));
        assertEquals("state_dict key 'a' holds tensor 'b'", e.getMessage());
    }

    private void roundTrip(Map<String, TorchTensor> expected) throws IOException {
        Path file = tmp.resolve("exported.pth");
        Files.write(file, bytes(expected));
        LinkedHashMap<String, TorchTensor> actual = TorchCheckpointReader.readStateDict(file);
        assertEquals(expected.size(), actual.size());
        TorchCheckpointReaderTest.assertBitEqual(expected, actual);
    }

    private static byte[] bytes(Map<String, TorchTensor> sd) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TorchCheckpointWriter.writeStateDict(out, "exported", sd);
        return out.toByteArray();
    }
}
