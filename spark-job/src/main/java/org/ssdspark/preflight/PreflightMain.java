package org.ssdspark.preflight;

import com.typesafe.config.Config;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ssdspark.config.EntryPoint;
import org.ssdspark.config.JobArguments;
import org.ssdspark.config.UserInputException;
import org.ssdspark.train.TrainMain;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The storage half of {@code submit/doctor.sh}: with the training job's own flags, checks before anything is submitted
 * that the data's manifest is readable, that the checkpoint and evaluation folders take a file (written and deleted
 * again), and that a base net or resume checkpoint given exists. Prints one line per check and, when any failed,
 * exits 2 with what to change; the cluster half (Java, Spark, dynamic allocation, cards, memory) is in the script.
 */
public final class PreflightMain {

    private PreflightMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... argv) {
        return EntryPoint.run("doctor", () -> check(Arrays.asList(argv)));
    }

    private static int check(List<String> argv) throws Exception {
        JobArguments.Resolved r = new JobArguments(List.of("train", "spark"), TrainMain.ALIASES).resolve(argv);
        Config train = r.config().getConfig("train");
        Configuration conf = new Configuration();
        List<String> failures = new ArrayList<>();
        String data = train.getString("data_path");
        if (data.isBlank()) {
            failures.add("train.data_path is not set: give --data_path (the root of converted shards)");
        } else {
            readable(conf, new Path(data, "_manifest.json"), "the data's manifest",
                    "convert the data first (submit/prep.sh) or point --data_path at the shard root", failures);
        }
        String checkpoints = train.getString("checkpoint_folder");
        writable(conf, checkpoints, "checkpoint folder (--checkpoint_folder)", failures);
        String evalDir = train.getString("eval_dir").isBlank() ? checkpoints + "/eval" : train.getString("eval_dir");
        if (train.getBoolean("final_eval")) {
            writable(conf, evalDir, "evaluation folder (--eval_dir)", failures);
        }
        for (String key : List.of("base_net", "resume")) {
            String value = train.getString(key);
            if (!value.isBlank()) {
                exists(conf, new Path(value), "--" + key + " " + value, failures);
            }
        }
        if (failures.isEmpty()) {
            System.out.println("storage: all checks passed");
            return EntryPoint.OK;
        }
        throw new UserInputException("Preflight found " + failures.size() + " problem(s):\n  - "
                + String.join("\n  - ", failures));
    }

    private static void readable(Configuration conf, Path file, String what, String fix, List<String> failures) {
        try (InputStream in = file.getFileSystem(conf).open(file)) {
            in.read();
            System.out.println("ok: " + what + " " + file + " is readable");
        } catch (Exception e) {
            failures.add(what + " " + file + " cannot be read (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "): " + fix);
        }
    }

    private static void exists(Configuration conf, Path path, String what, List<String> failures) {
        try {
            if (path.getFileSystem(conf).exists(path)) {
                System.out.println("ok: " + what + " exists");
                return;
            }
            failures.add(what + " does not exist");
        } catch (Exception e) {
            failures.add(what + " cannot be checked: " + e.getMessage());
        }
    }

    private static void writable(Configuration conf, String folder, String what, List<String> failures) {
        if (folder.isBlank()) {
            failures.add(what + " is not set");
            return;
        }
        Path dir = new Path(folder);
        Path probe = new Path(dir, ".ssd-preflight-" + UUID.randomUUID());
        try {
            FileSystem fs = dir.getFileSystem(conf);
            // the job creates the folder; the probe creates it too and removes what it created, nothing more
            Path created = null;
            for (Path p = fs.makeQualified(dir); p != null && !fs.exists(p); p = p.getParent()) {
                created = p;
            }
            if (created != null && !fs.mkdirs(dir)) {
                throw new java.io.IOException("mkdirs failed");
            }
            try (FSDataOutputStream out = fs.create(probe, false)) {
                out.write(1);
            }
            fs.delete(probe, false);
            if (created != null) {
                fs.delete(created, true);
            }
            System.out.println("ok: " + what + " " + fs.makeQualified(dir) + " is writable");
        } catch (Exception e) {
            failures.add(what + " " + dir + " is not writable (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "): choose a folder this user may write");
        }
    }
}
