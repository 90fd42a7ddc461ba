package org.ssdspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;

import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves a job's configuration: command-line flags override {@code --config FILE}, which overrides the
 * reference file ({@code conf/reference.conf}, bundled as a resource). Every key must exist in the reference,
 * so a misspelt flag or key fails with the nearest known name instead of being ignored.
 *
 * <p>A flag {@code --name} is looked up as an alias first (the original's spellings such as {@code --data_path}),
 * then as {@code <section>.name} for each of the job's sections in order, then as a full key path.
 * Both {@code --key=value} and {@code --key value} work; a boolean key may be given without a value.
 */
public final class JobArguments {
    public static final String REFERENCE_RESOURCE = "ssdlite/reference.conf";

    private final List<String> sections;
    private final Map<String, String> aliases;

    /**
     * @param sections config sections searched for short flag names, in priority order (e.g. "prep", "spark")
     * @param aliases  flag name to full key, for the original project's flag spellings
     */
    public JobArguments(List<String> sections, Map<String, String> aliases) {
        this.sections = List.copyOf(sections);
        this.aliases = Map.copyOf(aliases);
    }

    /** The reference configuration with every key and its default. */
    public static Config reference() {
        Config ref = ConfigFactory.parseResources(JobArguments.class.getClassLoader(), REFERENCE_RESOURCE,
                ConfigParseOptions.defaults().setAllowMissing(false));
        return ref.resolve();
    }

    /** Parses the arguments left after the sub-command; positional arguments are returned in {@link Resolved}. */
    public Resolved resolve(List<String> args) {
        Config reference = reference();
        Map<String, Object> flags = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        Config fileConfig = ConfigFactory.empty();
        boolean dryRun = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                positional.add(arg);
                continue;
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (name.equals("dry-run") || name.equals("dry_run")) {
                dryRun = true;
                continue;
            }
            if (name.equals("config")) {
                if (value == null) {
                    value = requireValue(args, i++, arg);
                }
                fileConfig = loadFile(value).withFallback(fileConfig);
                continue;
            }
            String key = keyFor(name, reference);
            ConfigValueType type = reference.getValue(key).valueType();
            if (value == null) {
                boolean nextIsValue = i + 1 < args.size() && !args.get(i + 1).startsWith("--");
                if (type == ConfigValueType.BOOLEAN && !(nextIsValue && isBooleanWord(args.get(i + 1)))) {
                    value = "true";
                } else {
                    value = requireValue(args, i++, arg);
                }
            }
            flags.put(key, convert(key, value, type));
        }
        checkKnownKeys(fileConfig, reference);
        Config merged = ConfigFactory.parseMap(flags, "command line")
                .withFallback(fileConfig)
                .withFallback(reference)
                .resolve();
        checkTypes(merged, reference);
        return new Resolved(merged, Collections.unmodifiableList(positional), dryRun);
    }

    /** The resolved configuration, the positional arguments, and whether {@code --dry-run} was given. */
    public record Resolved(Config config, List<String> positional, boolean dryRun) {
        /**
         * With {@code --dry-run}, prints the resolved configuration of the given sections (the job's, plus
         * {@code spark}) and returns true: the caller then stops before starting Spark.
         */
        public boolean printIfDryRun(List<String> sections) {
            if (!dryRun) {
                return false;
            }
            com.typesafe.config.ConfigRenderOptions opts = com.typesafe.config.ConfigRenderOptions.defaults()
                    .setOriginComments(false).setComments(false).setJson(false).setFormatted(true);
            StringBuilder sb = new StringBuilder("# resolved configuration (flags > --config file > reference)\n");
            for (String section : sections) {
                if (config.hasPath(section)) {
                    sb.append(section).append(" ").append(config.getConfig(section).root().render(opts));
                }
            }
            System.out.print(sb);
            return true;
        }
    }

    private String keyFor(String flag, Config reference) {
        String alias = aliases.get(flag);
        if (alias != null) {
            return alias;
        }
        for (String section : sections) {
            String candidate = section + "." + flag;
            if (reference.hasPathOrNull(candidate) && isLeaf(reference, candidate)) {
                return candidate;
            }
        }
        if (reference.hasPathOrNull(flag) && isLeaf(reference, flag)) {
            return flag;
        }
        List<String> known = new ArrayList<>(aliases.keySet());
        for (String section : sections) {
            if (reference.hasPath(section)) {
                for (Map.Entry<String, ConfigValue> e : reference.getConfig(section).entrySet()) {
                    known.add(e.getKey());
                }
            }
        }
        known.add("config");
        throw new UserInputException("Unknown flag --" + flag + suggestion(flag, known)
                + " (flags are config keys of sections " + sections + ", see conf/reference.conf)");
    }

    private static boolean isLeaf(Config config, String path) {
        return config.getValue(path).valueType() != ConfigValueType.OBJECT;
    }

    private static String requireValue(List<String> args, int i, String flag) {
        if (i + 1 >= args.size()) {
            throw new UserInputException("Flag " + flag + " needs a value");
        }
        return args.get(i + 1);
    }

    private static boolean isBooleanWord(String s) {
        return s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false");
    }

    private static Object convert(String key, String value, ConfigValueType type) {
        try {
            return switch (type) {
                case BOOLEAN -> {
                    if (!isBooleanWord(value)) {
                        throw new UserInputException("Key " + key + " takes true or false, got '" + value + "'");
                    }
                    yield Boolean.parseBoolean(value);
                }
                case NUMBER -> value.contains(".") || value.contains("e") || value.contains("E")
                        ? (Object) Double.parseDouble(value) : (Object) Long.parseLong(value);
                case LIST -> List.of(value.split(","));
                default -> value;
            };
        } catch (NumberFormatException e) {
            throw new UserInputException("Key " + key + " takes a number, got '" + value + "'");
        }
    }

    private static Config loadFile(String path) {
        File file = new File(path);
        if (!file.isFile()) {
            throw new UserInputException("Config file " + path + " does not exist (given with --config)");
        }
        try {
            return ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw new UserInputException("Config file " + path + " is not valid HOCON: " + e.getMessage(), e);
        }
    }

    /** Every key of a user's file must exist in the reference: a typo would otherwise be ignored silently. */
    static void checkKnownKeys(Config user, Config reference) {
        List<String> knownKeys = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : reference.entrySet()) {
            knownKeys.add(e.getKey());
        }
        for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
            String key = e.getKey();
            if (!reference.hasPathOrNull(key)) {
                throw new UserInputException("Unknown config key " + key + " in " + e.getValue().origin().description()
                        + suggestion(key, knownKeys));
            }
        }
    }

    private static void checkTypes(Config merged, Config reference) {
        for (Map.Entry<String, ConfigValue> e : reference.entrySet()) {
            String key = e.getKey();
            ConfigValueType want = e.getValue().valueType();
            ConfigValue got = merged.getValue(key);
            if (got.valueType() == want || want == ConfigValueType.STRING) {
                continue;
            }
            // HOCON keeps unquoted values from files as strings; accept them when they convert.
            if (got.valueType() == ConfigValueType.STRING) {
                try {
                    if (want == ConfigValueType.NUMBER) {
                        merged.getDouble(key);
                        continue;
                    }
                    if (want == ConfigValueType.BOOLEAN) {
                        merged.getBoolean(key);
                        continue;
                    }
                } catch (ConfigException.WrongType ignored) {
                    // reported below
                }
            }
            throw new UserInputException("Key " + key + " must be a " + want.name().toLowerCase()
                    + ", got " + got.render() + " from " + got.origin().description());
        }
    }

    static String suggestion(String wrong, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            String leaf = k.contains(".") && !wrong.contains(".") ? k.substring(k.lastIndexOf('.') + 1) : k;
            int d = Levenshtein.distance(wrong, leaf);
            if (d < bestDistance) {
                bestDistance = d;
                best = leaf;
            }
        }
        if (best == null || bestDistance > Math.max(3, wrong.length() / 2)) {
            return "";
        }
        return "; did you mean " + (wrong.contains(".") ? best : "--" + best) + "?";
    }

    /** Keeps the set of valid short flag names visible to callers (help output). */
    public Set<String> aliasNames() {
        return aliases.keySet();
    }

    /** Wraps a string value for code that builds configs programmatically. */
    public static ConfigValue value(Object o) {
        return ConfigValueFactory.fromAnyRef(o);
    }
}
