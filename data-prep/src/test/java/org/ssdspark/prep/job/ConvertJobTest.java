package org.ssdspark.prep.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ssdspark.config.EntryPoint;
import org.ssdspark.prep.PrepMain;
import org.ssdspark.prep.records.ImageRecord;
import org.ssdspark.prep.records.RecordObject;
import org.ssdspark.prep.records.ShardSchema;
import org.ssdspark.testing.SampleData;
import org.ssdspark.testing.TestSpark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvertJobTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path tmp;

    private static int prep(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--master");
        all.add("local[2]");
        return PrepMain.run(all.toArray(new String[0]));
    }

    @Test
    void everyBadInputIsRejectedWithItsReasonAndNothingIsLost() throws Exception {
        Path voc = SampleData.generate(tmp.resolve("bad-voc"), 16, 3);
        BadInputFixture.addTo(voc, tmp);
        Path out = tmp.resolve("bad-out");
        assertEquals(EntryPoint.OK, prep("--data_path", voc.toString(), "--output", out.toString(),
                "--labels", voc.resolve("labels.txt").toString(), "--shards", "2"));

        JsonNode m = JSON.readTree(out.resolve("_manifest.json").toFile());
        int listed = 12 + BadInputFixture.REJECTED_IMAGES.size() + 1 + 4;
        assertEquals(listed, m.get("images_listed").asInt());
        assertEquals(BadInputFixture.REJECTED_IMAGES.size(), m.get("rejected").asInt());
        assertEquals(listed, m.get("images_converted").asInt() + m.get("rejected").asInt());
        assertEquals(3, m.get("rejected_objects").asInt());
        assertEquals(1, m.get("clipped_objects").asInt());
        assertEquals(List.of("circle", "square", "triangle", "star"),
                JSON.convertValue(m.get("classes"), List.class));

        Map<String, String> reasonById = new HashMap<>();
        List<String> lines = Files.readAllLines(out.resolve("_rejected.jsonl"));
        for (String line : lines) {
            JsonNode n = JSON.readTree(line);
            assertTrue(n.get("file").asText().length() > 0);
            String key = n.get("id").asText() + (n.has("object") ? "#" + n.get("object").asInt() : "");
            reasonById.put(key, n.get("kind").asText() + ": " + n.get("reason").asText());
        }
        assertEquals(BadInputFixture.REJECTED_IMAGES.size() + 4, lines.size());
        assertTrue(reasonById.get("bad_xml").contains("malformed XML"), reasonById.get("bad_xml"));
        assertTrue(reasonById.get("trunc_xml").contains("malformed XML"), reasonById.get("trunc_xml"));
        assertTrue(reasonById.get("no_jpeg").contains("JPEG file is missing"), reasonById.get("no_jpeg"));
        assertTrue(reasonById.get("no_files").contains("annotation file is missing"), reasonById.get("no_files"));
        assertTrue(reasonById.get("corrupt_jpeg").contains("JPEG"), reasonById.get("corrupt_jpeg"));
        assertTrue(reasonById.get("garbage_jpeg").contains("JPEG"), reasonById.get("garbage_jpeg"));
        assertTrue(reasonById.get("size_mismatch").contains("96x80 but the annotation says 100x80"),
                reasonById.get("size_mismatch"));
        assertTrue(reasonById.get("hostile").contains("DOCTYPE"), reasonById.get("hostile"));
        assertTrue(reasonById.get("../../etc/passwd").contains("not a plain file name"));
        assertTrue(reasonById.get("objects#0").startsWith("clipped_object"), reasonById.get("objects#0"));
        assertTrue(reasonById.get("objects#1").contains("outside"), reasonById.get("objects#1"));
        assertTrue(reasonById.get("objects#2").contains("zero area"), reasonById.get("objects#2"));
        assertTrue(reasonById.get("objects#3").contains("unknown class 'dragon'"), reasonById.get("objects#3"));

        // The hostile file's entity target appears nowhere in what was written.
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertFalse(content.contains(BadInputFixture.SECRET), "secret leaked into " + f);
            }
        }

        // Records hold the original bytes unchanged, and the surviving objects as expected.
        List<Row> rows = TestSpark.local().read().schema(ShardSchema.RECORD).parquet(out.resolve("train").toString()).collectAsList();
        assertEquals(m.at("/splits/train/images").asInt(), rows.size());
        for (Row row : rows) {
            ImageRecord r = ImageRecord.fromRow(row);
            assertArrayEquals(Files.readAllBytes(voc.resolve("JPEGImages/" + r.id() + ".jpg")), r.jpeg());
            assertTrue(r.checksumValid());
            if (r.id().equals("objects")) {
                assertEquals(2, r.objects().size());
                RecordObject clipped = r.objects().get(0);
                assertEquals(96.0, clipped.xmax());
                assertEquals(1, clipped.label());
                RecordObject tri = r.objects().get(1);
                assertEquals("triangle", tri.name());
                assertEquals(3, tri.label());
                assertTrue(tri.difficult());
            }
        }
        assertEquals(2, Files.list(out.resolve("train")).filter(p -> p.toString().endsWith(".parquet")).count());
        assertEquals(EntryPoint.OK, prep("inspect", out.toString()));
    }

    @Test
    void strictFailsWithExitCode2AndWritesNothing() throws Exception {
        Path voc = SampleData.generate(tmp.resolve("strict-voc"), 8, 4);
        BadInputFixture.addTo(voc, tmp);
        Path out = tmp.resolve("strict-out");
        assertEquals(EntryPoint.BAD_INPUT, prep("--data_path", voc.toString(), "--output", out.toString(),
                "--labels", voc.resolve("labels.txt").toString(), "--strict"));
        assertFalse(Files.exists(out));
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".strict-out")), "staging left behind");
        }
    }

    @Test
    void existingOutputIsKeptWithoutOverwriteAndReplacedWithIt() throws Exception {
        Path voc = SampleData.generate(tmp.resolve("ow-voc"), 8, 5);
        Path out = tmp.resolve("ow-out");
        String labels = voc.resolve("labels.txt").toString();
        assertEquals(EntryPoint.OK, prep("--data_path", voc.toString(), "--output", out.toString(), "--labels", labels));
        byte[] before = Files.readAllBytes(out.resolve("_manifest.json"));
        assertEquals(EntryPoint.BAD_INPUT, prep("--data_path", voc.toString(), "--output", out.toString(),
                "--labels", labels));
        assertArrayEquals(before, Files.readAllBytes(out.resolve("_manifest.json")));
        assertEquals(EntryPoint.OK, prep("--data_path", voc.toString(), "--output", out.toString(), "--labels",
                labels, "--overwrite", "--shards", "3"));
        JsonNode shards = JSON.readTree(out.resolve("_manifest.json").toFile()).get("shards");
        long trainShards = 0;
        for (JsonNode s : shards) {
            trainShards += s.get("split").asText().equals("train") ? 1 : 0;
        }
        assertEquals(3, trainShards);
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".ow-out")), "old output left behind");
        }
        assertEquals(EntryPoint.OK, prep("inspect", out.toString()));
    }

    @Test
    void inspectCatchesCountAndChecksumMismatches() throws Exception {
        Path voc = SampleData.generate(tmp.resolve("insp-voc"), 8, 6);
        Path out = tmp.resolve("insp-out");
        assertEquals(EntryPoint.OK, prep("--data_path", voc.toString(), "--output", out.toString(),
                "--labels", voc.resolve("labels.txt").toString(), "--shards", "1"));
        Path manifest = out.resolve("_manifest.json");
        String original = Files.readString(manifest);

        Files.writeString(manifest, original.replaceFirst("\"records\" : (\\d+)", "\"records\" : 999"));
        assertEquals(EntryPoint.BAD_INPUT, prep("inspect", out.toString()), "Hadoop's .crc catches the edit");
        Files.delete(out.resolve("._manifest.json.crc"));
        assertEquals(EntryPoint.BAD_INPUT, prep("inspect", out.toString()), "shard count mismatch");
        InspectJob.Report counts = new InspectJob().run(TestSpark.local(), out.toString());
        assertTrue(counts.summary().get("problems").toString().contains("999"), counts.summary().toString());
        Files.writeString(manifest, original);

        // Rewrite the test split with one record's bytes altered but its old checksum kept.
        Path testDir = out.resolve("test");
        Path tampered = tmp.resolve("tampered");
        List<Row> rows = TestSpark.local().read().schema(ShardSchema.RECORD).parquet(testDir.toString()).collectAsList();
        List<Row> changed = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            ImageRecord r = ImageRecord.fromRow(rows.get(i));
            byte[] jpeg = r.jpeg().clone();
            if (i == 0) {
                jpeg[jpeg.length / 2] ^= 0x55;
            }
            changed.add(new ImageRecord(r.id(), r.source(), r.split(), r.width(), r.height(), jpeg, r.jpegSha256(),
                    r.objects()).toRow());
        }
        TestSpark.local().createDataFrame(changed, ShardSchema.RECORD).coalesce(1).write().parquet(tampered.toString());
        Path oldShard = Files.list(testDir).filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
        Path newShard = Files.list(tampered).filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
        Files.copy(newShard, oldShard, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(oldShard.resolveSibling("." + oldShard.getFileName() + ".crc"));
        InspectJob.Report report = new InspectJob().run(TestSpark.local(), out.toString());
        assertFalse(report.ok());
        assertTrue(report.summary().get("problems").toString().contains("fail their checksum"),
                report.summary().toString());
    }

    @Test
    void detectsTheOriginalVoc0712AndVocdevkitLayoutsAndFoldersWithoutImageSets() throws Exception {
        Path voc0712 = tmp.resolve("VOC0712");
        SampleData.generate(voc0712.resolve("VOC2007_trainval"), 6, 10);
        SampleData.generate(voc0712.resolve("VOC2012_trainval"), 6, 11);
        SampleData.generate(voc0712.resolve("VOC2007_test"), 4, 12);
        Files.delete(voc0712.resolve("VOC2007_test/ImageSets/Main/trainval.txt"));
        Files.writeString(voc0712.resolve("VOC2007_test/ImageSets/Main/test.txt"), "000001\n000002\n000003\n000004\n");
        Files.delete(voc0712.resolve("VOC2007_trainval/ImageSets/Main/test.txt"));
        Files.delete(voc0712.resolve("VOC2012_trainval/ImageSets/Main/test.txt"));
        Path out = tmp.resolve("voc0712-out");
        String labels = voc0712.resolve("VOC2007_trainval/labels.txt").toString();
        assertEquals(EntryPoint.OK, prep("--data_path", voc0712.toString(), "--output", out.toString(),
                "--labels", labels));
        JsonNode m = JSON.readTree(out.resolve("_manifest.json").toFile());
        assertTrue(m.get("layout").asText().startsWith("VOC0712"), m.get("layout").asText());
        // trainval: 4 + 4 (the generator keeps 25% of 6 for its test list), from two sources; test: 4 from 2007
        assertEquals(8, m.at("/splits/train/images").asInt());
        assertEquals(4, m.at("/splits/test/images").asInt());
        List<Row> sources = TestSpark.local().read().parquet(out.resolve("train").toString()).select("source").distinct()
                .collectAsList();
        assertEquals(2, sources.size());

        Path devkit = tmp.resolve("devkit-root");
        SampleData.generate(devkit.resolve("VOCdevkit/VOC2007"), 4, 13);
        SampleData.generate(devkit.resolve("VOCdevkit/VOC2012"), 4, 14);
        Path out2 = tmp.resolve("devkit-out");
        assertEquals(EntryPoint.OK, prep("--data_path", devkit.toString(), "--output", out2.toString(),
                "--labels", labels));
        assertEquals("VOCdevkit", JSON.readTree(out2.resolve("_manifest.json").toFile()).get("layout").asText());

        Path flat = SampleData.generate(tmp.resolve("flat"), 5, 15);
        deleteTree(flat.resolve("ImageSets"));
        Path out3 = tmp.resolve("flat-out");
        assertEquals(EntryPoint.OK, prep("--data_path", flat.toString(), "--output", out3.toString(),
                "--labels", labels));
        JsonNode m3 = JSON.readTree(out3.resolve("_manifest.json").toFile());
        assertEquals(5, m3.at("/splits/train/images").asInt());
        assertTrue(m3.get("notes").toString().contains("no ImageSets"), m3.get("notes").toString());
    }

    @Test
    void badArgumentsExitWith2() {
        assertEquals(EntryPoint.BAD_INPUT, prep("--data_path", "/no/such/dir", "--output", tmp.resolve("x").toString()));
        assertEquals(EntryPoint.BAD_INPUT, prep("--output", tmp.resolve("x").toString()));
        assertEquals(EntryPoint.BAD_INPUT, prep("--shardz", "3"));
        assertEquals(EntryPoint.BAD_INPUT, prep("inspect", tmp.resolve("not-converted").toString()));
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
