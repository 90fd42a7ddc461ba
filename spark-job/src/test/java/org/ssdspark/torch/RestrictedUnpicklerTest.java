package org.ssdspark.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crafted pickles: anything but a plain state_dict is refused before it could run. */
class RestrictedUnpicklerTest {
    @TempDir
    Path tmp;

    @Test
    void osSystemInAZipCheckpointIsRefusedAndNeverRuns() throws Exception {
        Path marker = tmp.resolve("pwned-zip");
        Path file = tmp.resolve("evil.pth");
        PickleWriter.writeZip(file, PickleWriter.osSystemPayload(marker), List.of(), List.of());

        TorchFormatException e = assertThrows(TorchFormatException.class,
                () -> TorchCheckpointReader.readStateDict(file));
        assertTrue(e.getMessage().contains("disallowed global 'os.system'"), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("offset 2 of archive/data.pkl"), e.getMessage());
        assertFalse(Files.exists(marker));
    }

    @Test
    void osSystemInALegacyCheckpointIsRefusedAndNeverRuns() throws Exception {
        Path marker = tmp.resolve("pwned-legacy");
        Path file = tmp.resolve("evil-legacy.pth");
        PickleWriter.writeLegacy(file, PickleWriter.osSystemPayload(marker), List.of(), List.of(), 4);

        TorchFormatException e = assertThrows(TorchFormatException.class,
                () -> TorchCheckpointReader.readStateDict(file));
        assertTrue(e.getMessage().contains("disallowed global 'os.system'"), e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertFalse(Files.exists(marker));
    }

    @Test
    void osSystemAsABarePickleIsRefused() throws Exception {
        Path marker = tmp.resolve("pwned-bare");
        Path file = tmp.resolve("bare.pkl");
        Files.write(file, PickleWriter.osSystemPayload(marker));
        TorchFormatException e = assertThrows(TorchFormatException.class,
                () -> TorchCheckpointReader.readStateDict(file));
        // a bare pickle is read as legacy: refused at the GLOBAL, before the magic number is even checked
        assertTrue(e.getMessage().contains("'os.system'"), e.getMessage());
        assertFalse(Files.exists(marker));
    }

    @Test
    void otherDangerousGlobalsAreRefusedWhereverTheyAppear() throws Exception {
        // builtins.eval via protocol-4 STACK_GLOBAL, inside an otherwise valid state_dict
        byte[] eval = new PickleWriter().proto().orderedDict().mark()
                .str("w").tensor("FloatStorage", "0", 1, false, 0, new long[] {1}, new long[] {1})
                .str("x").shortStr("builtins").shortStr("eval").op(0x93)
                .str("__import__('os').system('touch " + tmp.resolve("pwned-eval") + "')").op(0x85, 'R')
                .op('u').stop().bytes();
        assertRefused(eval, "builtins.eval");
        // subprocess.Popen('id')
        byte[] popen = new PickleWriter().proto().global("subprocess", "Popen").str("id").op(0x85, 'R').stop()
                .bytes();
        assertRefused(popen, "subprocess.Popen");
        // a pickled model (torch.save(model)) names its class: refused too
        byte[] module = new PickleWriter().proto().global("vision.ssd.ssd", "SSD").op(')', 'R').stop().bytes();
        assertRefused(module, "vision.ssd.ssd.SSD");
        assertFalse(Files.exists(tmp.resolve("pwned-eval")));
    }

    @Test
    void unknownOpcodeIsNamedWithItsOffset() throws Exception {
        // NEWOBJ (0x81) builds arbitrary objects; the machine does not implement it
        byte[] pkl = new PickleWriter().proto().orderedDict().op(')', 0x81).stop().bytes();
        TorchFormatException e = assertRefused(pkl, "unsupported pickle opcode 0x81 at offset 30");
        assertTrue(e.getMessage().contains("data.pkl"), e.getMessage());
    }

    @Test
    void unsupportedStorageTypeIsReportedAsADtypeProblem() throws Exception {
        byte[] pkl = new PickleWriter().proto().orderedDict().mark()
                .str("mask").tensor("BoolStorage", "0", 1, false, 0, new long[] {1}, new long[] {1})
                .op('u').stop().bytes();
        assertRefused(pkl, "unsupported dtype: storage type 'torch.BoolStorage'");
    }

    @Test
    void allowedGlobalsCannotBeCalledOutsideTheirRole() throws Exception {
        byte[] pkl = new PickleWriter().proto().global("torch", "FloatStorage").integer(3).op(0x85, 'R').stop()
                .bytes();
        assertRefused(pkl, "calling 'torch.FloatStorage' is not supported");
    }

    private TorchFormatException assertRefused(byte[] dataPkl, String expected) throws Exception {
        Path file = Files.createTempFile(tmp, "crafted", ".pth");
        PickleWriter.writeZip(file, dataPkl, List.of("0"), List.of(PickleWriter.floatsLe(1f)));
        TorchFormatException e = assertThrows(TorchFormatException.class,
                () -> TorchCheckpointReader.readStateDict(file));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        return e;
    }

    @Test
    void stridedViewsWithOffsetsAreGatheredRowMajor() throws Exception {
        float[] storage = {0, 1, 2, 3, 4, 5, 6, 7};
        // a transposed 3x2 view of elements 1..6 (stored 2x3 row-major), and a strided 1-d slice
        byte[] pkl = new PickleWriter().proto().orderedDict().mark()
                .str("t").tensor("FloatStorage", "0", 8, false, 1, new long[] {3, 2}, new long[] {1, 3})
                .str("s").tensor("FloatStorage", "0", 8, false, 2, new long[] {3}, new long[] {2})
                .str("b").tensor("FloatStorage", "0", 8, false, 7, new long[] {2, 2}, new long[] {0, 0})
                .op('u').stop().bytes();
        Path file = tmp.resolve("views.pth");
        PickleWriter.writeZip(file, pkl, List.of("0"), List.of(PickleWriter.floatsLe(storage)));
        var sd = TorchCheckpointReader.readStateDict(file);
        assertArrayEquals(new long[] {3, 2}, sd.get("t").shape());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, sd.get("t").data());
        assertArrayEquals(new float[] {2, 4, 6}, sd.get("s").data());
        assertArrayEquals(new float[] {7, 7, 7, 7}, sd.get("b").data(), "stride 0 broadcast");

        // the same view running one element past the storage is refused, not read out of bounds
        byte[] past = new PickleWriter().proto().orderedDict().mark()
                .str("t").tensor("FloatStorage", "0", 8, false, 3, new long[] {3, 2}, new long[] {1, 3})
                .op('u').stop().bytes();
        Path bad = tmp.resolve("past.pth");
        PickleWriter.writeZip(bad, past, List.of("0"), List.of(PickleWriter.floatsLe(storage)));
        TorchFormatException e = assertThrows(TorchFormatException.class,
                () -> TorchCheckpointReader.readStateDict(bad));
        assertTrue(e.getMessage().contains("reaches past its storage"), e.getMessage());
    }

    @Test
    void stateDictNestedUnderAKeyIsFoundInBothFormats() throws Exception {
        byte[] pkl = new PickleWriter().proto().op('}').mark()
                .str("epoch").integer(7)
                .str("state_dict").orderedDict().mark()
                .str("fc.weight").tensor("FloatStorage", "k1", 4, true, 0, new long[] {2, 2}, new long[] {2, 1})
                .str("fc.bias").tensor("FloatStorage", "k0", 2, true, 0, new long[] {2}, new long[] {1})
                .op('u').op('u').stop().bytes();
        Path legacy = tmp.resolve("nested-legacy.pth");
        PickleWriter.writeLegacy(legacy, pkl, List.of("k0", "k1"),
                List.of(PickleWriter.floatsLe(-1, 1), PickleWriter.floatsLe(1, 2, 3, 4)), 4);
        var sd = TorchCheckpointReader.readStateDict(legacy);
        assertEquals(List.of("fc.weight", "fc.bias"), List.copyOf(sd.keySet()));
        assertArrayEquals(new float[] {1, 2, 3, 4}, sd.get("fc.weight").data());
        assertArrayEquals(new float[] {-1, 1}, sd.get("fc.bias").data());
    }
}
