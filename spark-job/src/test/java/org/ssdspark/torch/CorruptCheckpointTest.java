package org.ssdspark.torch;

import org.ssdspark.testing.ReferenceFiles;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Truncated, empty and garbage files give a TorchFormatException naming the file and the problem. */
class CorruptCheckpointTest {
    @TempDir
    Path tmp;

    @Test
    void truncatedZipCheckpoint() throws Exception {
        assertFormatError(prefixOf("mb2-ssd-lite-21.pth", 5_000_000), "not a readable zip archive");
    }

    @Test
    void truncatedLegacyCheckpointInsideTheStorages() throws Exception {
        assertFormatError(prefixOf("mb2-base-net-w025-legacy.pth", 500_000), "truncated: needed");
    }

    @Test
    void truncatedLegacyCheckpointInsideThePickle() throws Exception {
        assertFormatError(prefixOf("mb2-base-net-w025-legacy.pth", 20_000), "truncated: needed 1 bytes at offset 20000");
    }

    @Test
    void emptyFile() throws Exception {
        assertFormatError(write("empty.pth", new byte[0]), "empty file");
    }

    @Test
    void randomGarbage() throws Exception {
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        junk[0] = 0x13;
        assertFormatError(write("junk.pth", junk), "not a PyTorch checkpoint");
        junk[0] = (byte) 0x80; // looks like a pickle, is not one
        assertFormatError(write("junk2.pth", junk), "unsupported pickle protocol");
    }

    @Test
    void zipWithoutDataPkl() throws Exception {
        Path file = tmp.resolve("other.zip");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("hello.txt"));
            zip.write("hi".getBytes());
        }
        assertFormatError(file, "without a data.pkl");
    }

    private Path prefixOf(String reference, int length) throws Exception {
        byte[] all = Files.readAllBytes(ReferenceFiles.checkpoint(reference));
        return write("cut-" + reference, Arrays.copyOf(all, length));
    }

    private Path write(String name, byte[] bytes) throws Exception {
        return Files.write(tmp.resolve(name), bytes);
    }

    private static void assertFormatError(Path file, String expected) {
        TorchFormatException e = assertThrows(TorchFormatException.class,
                () -> TorchCheckpointReader.readStateDict(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
