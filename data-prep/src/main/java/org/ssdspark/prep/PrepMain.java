package org.ssdspark.prep;

import org.apache.spark.sql.SparkSession;
import org.ssdspark.config.EntryPoint;
import org.ssdspark.config.JobArguments;
import org.ssdspark.config.UserInputException;
import org.ssdspark.prep.job.ConversionBenchmark;
import org.ssdspark.prep.job.ConvertJob;
import org.ssdspark.prep.job.InspectJob;
import org.ssdspark.prep.job.PrepOptions;
import org.ssdspark.prep.records.Manifest;
import org.ssdspark.prep.synth.SyntheticVocGenerator;
import org.ssdspark.spark.SparkSessions;

import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The shard conversion utility. {@code convert} (the default), {@code inspect URI}, {@code generate},
 * {@code benchmark} (conversion against a plain copy of the same files).
 * See README.md; every flag is a key of conf/reference.conf.
 */
public final class PrepMain {

    private PrepMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... argv) {
        return EntryPoint.run("prep", () -> dispatch(Arrays.asList(argv)));
    }

    private static int dispatch(List<String> argv) throws Exception {
        String command = !argv.isEmpty() && !argv.get(0).startsWith("--") ? argv.get(0) : "convert";
        List<String> rest = command.equals("convert") && (argv.isEmpty() || argv.get(0).startsWith("--"))
                ? argv : argv.subList(1, argv.size());
        switch (command) {
            case "convert" -> {
                JobArguments.Resolved r = new JobArguments(List.of("prep", "spark"), Map.of()).resolve(rest);
                noPositional(r, "convert");
                PrepOptions options = PrepOptions.from(r.config());
                if (r.printIfDryRun(List.of("prep", "spark"))) {
                    return EntryPoint.OK;
                }
                try (SparkSession spark = SparkSessions.create(r.config())) {
                    ConvertJob.Outcome o = new ConvertJob().run(spark, options);
                    System.out.println(summary(o));
                }
                return EntryPoint.OK;
            }
            case "inspect" -> {
                JobArguments.Resolved r = new JobArguments(List.of("spark"), Map.of()).resolve(rest);
                if (r.positional().size() != 1) {
                    throw new UserInputException("usage: inspect URI (the output root of a conversion)");
                }
                if (r.printIfDryRun(List.of("spark"))) {
                    return EntryPoint.OK;
                }
                try (SparkSession spark = SparkSessions.create(r.config())) {
                    InspectJob.Report report = new InspectJob().run(spark, r.positional().get(0));
                    System.out.println(report.summary().toPrettyString());
                    if (!report.ok()) {
                        System.err.println("inspect: the data set does not match its manifest: " + report.summary().get("problems"));
                        return EntryPoint.BAD_INPUT;
                    }
                }
                return EntryPoint.OK;
            }
            case "benchmark" -> {
                JobArguments.Resolved r = new JobArguments(List.of("prep", "spark"), Map.of()).resolve(rest);
                noPositional(r, "benchmark");
                PrepOptions options = PrepOptions.from(r.config());
                if (r.printIfDryRun(List.of("prep", "spark"))) {
                    return EntryPoint.OK;
                }
                try (SparkSession spark = SparkSessions.create(r.config())) {
                    ConversionBenchmark.Result result = new ConversionBenchmark().run(spark, options);
                    System.out.println(result.table());
                }
                return EntryPoint.OK;
            }
            case "generate" -> {
                JobArguments.Resolved r = new JobArguments(List.of("generate"), Map.of()).resolve(rest);
                noPositional(r, "generate");
                String out = r.config().getString("generate.output");
                if (out.isBlank()) {
                    throw new UserInputException("generate.output is not set: give --output DIR");
                }
                SyntheticVocGenerator.Options o = SyntheticVocGenerator.Options.from(r.config());
                if (r.printIfDryRun(List.of("generate"))) {
                    return EntryPoint.OK;
                }
                new SyntheticVocGenerator().generate(Paths.get(out), o);
                System.out.printf(Locale.ROOT, "Generated %d images (%d classes) in %s%n", o.images(), o.classes(), out);
                return EntryPoint.OK;
            }
            default -> throw new UserInputException("Unknown command '" + command + "': use convert, inspect, generate or benchmark");
        }
    }

    private static void noPositional(JobArguments.Resolved r, String command) {
        if (!r.positional().isEmpty()) {
            throw new UserInputException(command + " takes only --flags, got " + r.positional());
        }
    }

    static String summary(ConvertJob.Outcome o) {
        Manifest m = o.manifest();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Converted %d of %d listed images (%d rejected; %d objects rejected,"
                        + " %d clipped%s) into %s%n", m.imagesConverted, m.imagesListed, m.rejected, m.rejectedObjects,
                m.clippedObjects, m.rejected + m.rejectedObjects + m.clippedObjects > 0
                        ? ": see " + Manifest.REJECTED_FILE_NAME : "", o.output()));
        m.splits.forEach((split, s) -> sb.append(String.format(Locale.ROOT,
                "  %-6s %6d images %7d objects (%d difficult) %s%n", split, s.images, s.objects, s.difficult,
                s.objectsPerClass)));
        sb.append(String.format(Locale.ROOT, "  %d shards; %.1f s, %.1f images/s, %.1f MB/s of JPEG",
                m.shards.size(), o.seconds(), m.imagesListed / o.seconds(), o.inputBytes() / 1e6 / o.seconds()));
        return sb.toString();
    }
}
