package org.ssdspark.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ssdspark.prep.job.ConvertJob;
import org.ssdspark.prep.job.PrepOptions;
import org.ssdspark.prep.synth.SyntheticVocGenerator;
import org.ssdspark.testing.TestSpark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an epoch trains, as the reference's DataLoader over its VOCDataset: images whose objects are all difficult are
 * left out (named in the log, counted in metrics.jsonl), and only whole minibatches are trained (drop_last).
 */
class TrainingSetTest {

    @Test
    void imagesWithOnlyDifficultObjectsAreLeftOutAndEveryMinibatchIsFull(@TempDir Path tmp) throws Exception {
        SparkSession spark = TestSpark.local();
        // one shape per image, as the quick start's sample: a truncated shape is sometimes marked difficult
        Path voc = tmp.resolve("voc");
        new SyntheticVocGenerator().generate(voc, new SyntheticVocGenerator.Options(48, 0.25, 64, 64, 1, 1, 0.35, 0.75,
                3, 7, "class", "plain"));
        String shards = tmp.resolve("shards").toString();
        new ConvertJob().run(spark, new PrepOptions(voc.toString(), shards, voc.resolve("labels.txt").toString(), 2, 128,
                false, false, 4));
        List<String> train = Files.readAllLines(voc.resolve("ImageSets/Main/trainval.txt"));
        List<String> onlyDifficult = new ArrayList<>();
        for (String id : train) {
            String xml = Files.readString(voc.resolve("Annotations/" + id + ".xml"));
            if (!xml.contains("<difficult>0</difficult>")) {
                onlyDifficult.add(id);
            }
        }
        assertTrue(!onlyDifficult.isEmpty(), "the sample should hold an image whose objects are all difficult");

        String checkpoints = tmp.resolve("ckpt").toString();
        int batch = 4;
        int frequency = 3;
        new TrainingJob().run(spark, TrainFixtures.options(shards, checkpoints, "--num_workers", "2", "--batch_size",
                String.valueOf(batch), "--averaging_frequency", String.valueOf(frequency), "--num_epochs", "1",
                "--final_eval", "false"));

        int trainable = train.size() - onlyDifficult.size();
        int expectedPerEpoch = trainable - trainable % batch;
        JsonNode run = null;
        JsonNode epoch = null;
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(Path.of(checkpoints, "metrics.jsonl"))) {
            JsonNode n = json.readTree(line);
            if (n.get("type").asText().equals("run")) {
                run = n;
            } else if (n.get("type").asText().equals("epoch")) {
                epoch = n;
            }
        }
        System.out.printf("training set: %d trainval images, %d with only difficult objects, %d trained per epoch%n",
                train.size(), onlyDifficult.size(), expectedPerEpoch);
        assertEquals(onlyDifficult.size(), run.get("images_without_objects").asInt(), run.toString());
        assertEquals(trainable, run.get("train_images").asInt(), run.toString());
        assertEquals("cpu", run.get("layers").asText(), "the layer set of ND4J's CPU backend: " + run);
        assertEquals(expectedPerEpoch, run.get("images_per_epoch").asInt(), run.toString());
        assertEquals(expectedPerEpoch, epoch.get("images").asInt(), epoch.toString());
        assertTrue(trainable % batch != 0, "the sample should leave a partial minibatch (" + trainable + " images)");
        // the iteration counter counts a worker's steps: full rounds of `frequency`, then the last round's longest task
        int minibatches = expectedPerEpoch / batch;
        int perRound = 2 * frequency;
        int expectedIterations = (minibatches / perRound) * frequency + Math.min(frequency, minibatches % perRound);
        assertTrue(minibatches % perRound != 0 && minibatches % perRound < frequency * 2, "the epoch should end short");
        assertEquals(expectedIterations, epoch.get("iteration").asInt(), epoch.toString());
    }
}
