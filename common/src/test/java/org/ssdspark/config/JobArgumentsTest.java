package org.ssdspark.config;

import com.typesafe.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobArgumentsTest {
    private final JobArguments args = new JobArguments(List.of("prep", "spark"), Map.of("out", "prep.output"));

    @Test
    void referenceDefaultsApplyWhenNothingIsGiven() {
        Config c = args.resolve(List.of()).config();
        assertEquals(0, c.getInt("prep.shards"));
        assertFalse(c.getBoolean("prep.strict"));
        assertEquals("local[*]", c.getString("spark.master"));
    }

    @Test
    void flagsOverrideFileWhichOverridesReference(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("job.conf");
        Files.writeString(file, "prep { shards = 5, target_shard_mb = 7 }\n");
        Config c = args.resolve(List.of("--config", file.toString(), "--shards=9", "--data_path", "/in",
                "--strict", "--overwrite", "false", "--out", "/o")).config();
        assertEquals(9, c.getInt("prep.shards"), "flag beats file");
        assertEquals(7, c.getInt("prep.target_shard_mb"), "file beats reference");
        assertEquals("/in", c.getString("prep.data_path"));
        assertTrue(c.getBoolean("prep.strict"), "a boolean flag alone means true");
        assertFalse(c.getBoolean("prep.overwrite"));
        assertEquals("/o", c.getString("prep.output"), "alias");
        assertEquals(3, args.resolve(List.of("--prep.shards", "3")).config().getInt("prep.shards"), "full key path");
    }

    @Test
    void unknownFlagNamesItAndSuggestsTheNearest() {
        UserInputException e = assertThrows(UserInputException.class, () -> args.resolve(List.of("--shard", "3")));
        assertTrue(e.getMessage().contains("--shard"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean --shards"), e.getMessage());
    }

    @Test
    void wrongTypesNameTheKeyAndValue(@TempDir Path dir) throws Exception {
        UserInputException e = assertThrows(UserInputException.class, () -> args.resolve(List.of("--shards", "many")));
        assertTrue(e.getMessage().contains("prep.shards") && e.getMessage().contains("many"), e.getMessage());
        UserInputException b = assertThrows(UserInputException.class, () -> args.resolve(List.of("--strict=yes")));
        assertTrue(b.getMessage().contains("prep.strict") && b.getMessage().contains("yes"), b.getMessage());
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "prep { shards = lots }\n");
        UserInputException f = assertThrows(UserInputException.class,
                () -> args.resolve(List.of("--config", file.toString())));
        assertTrue(f.getMessage().contains("prep.shards") && f.getMessage().contains("lots"), f.getMessage());
    }

    @Test
    void unknownKeyInAConfigFileIsAnError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("typo.conf");
        Files.writeString(file, "prep { shardz = 5 }\n");
        UserInputException e = assertThrows(UserInputException.class,
                () -> args.resolve(List.of("--config", file.toString())));
        assertTrue(e.getMessage().contains("prep.shardz"), e.getMessage());
        assertTrue(e.getMessage().contains("prep.shards"), e.getMessage());
    }

    @Test
    void missingValueAndMissingFileAreErrors() {
        assertThrows(UserInputException.class, () -> args.resolve(List.of("--data_path")));
        assertThrows(UserInputException.class, () -> args.resolve(List.of("--config", "/no/such/file.conf")));
    }
}
