package io.javalived.config;

import io.javalived.config.model.KeepalivedConfig;
import io.javalived.config.model.Origin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a keepalived.conf (and what it includes) into the typed model, as keepalived 2.2.7 reads it.
 *
 * <p>Unknown keywords and values keepalived corrects become {@link ConfigWarning}s and reading goes on; bad
 * values, broken references and brace mismatches make the whole read fail with a {@link ConfigException} naming
 * file:line, the keyword and the reason (the first error; the others are attached as suppressed exceptions).
 * The only I/O is reading the configuration files.
 */
public final class KeepalivedConfigReader {
    private KeepalivedConfigReader() {}

    /** What reading found beyond the model: used by the config test (interfaces, scripts). */
    public record Detail(ConfigResult result, Map<String, Origin> interfacesNamed, List<ScriptRef> scripts) {}

    /** A global_defs script_user line. */
    public record ScriptUserRef(String user, java.util.Optional<String> group, Origin origin) {}

    /** A script the configuration would run, and where it is configured. */
    public record ScriptRef(io.javalived.config.model.NotifyScript script, Origin origin) {}

    /** Reads FILE; {@code @id} conditional lines compare against the host's config id (see {@link #defaultConfigId}). */
    public static ConfigResult read(Path file) throws ConfigException {
        return read(file, defaultConfigId());
    }

    public static ConfigResult read(Path file, String configId) throws ConfigException {
        return readDetail(file, null, configId).result();
    }

    /** Reads {@code text} as if it were the file {@code virtualName} (its includes resolve against that name). */
    public static ConfigResult read(String text, Path virtualName) throws ConfigException {
        return read(text, virtualName, defaultConfigId());
    }

    public static ConfigResult read(String text, Path virtualName, String configId) throws ConfigException {
        return readDetail(virtualName, text, configId).result();
    }

    /**
     * Full read that does not throw on configuration errors: the (possibly partial) model, every warning and
     * error, and the interfaces and scripts the configuration names. {@code config} is null only when the
     * files could not be read at all. Used by the config test ({@link ConfigCheck}).
     */
    public record Outcome(KeepalivedConfig config, List<ConfigWarning> warnings, List<ConfigException> errors,
                          Map<String, Origin> interfacesNamed, List<ScriptRef> scripts,
                          List<ScriptUserRef> scriptUsers) {
        /** The result, or the first error (the others attached as suppressed). */
        public ConfigResult resultOrThrow() throws ConfigException {
            if (!errors.isEmpty()) {
                ConfigException first = errors.get(0);
                if (first.getSuppressed().length == 0) {
                    for (int i = 1; i < errors.size() && i < 100; i++) {
                        first.addSuppressed(errors.get(i));
                    }
                }
                throw first;
            }
            return new ConfigResult(config, warnings);
        }
    }

    /** Full read: the result plus the interfaces and scripts the configuration names. */
    public static Detail readDetail(Path file, String textOrNull, String configId) throws ConfigException {
        Outcome o = readOutcome(file, textOrNull, configId);
        return new Detail(o.resultOrThrow(), o.interfacesNamed(), o.scripts());
    }

    public static Outcome readOutcome(Path file, String textOrNull, String configId) {
        List<ConfigWarning> warnings = new ArrayList<>();
        List<ConfigException> errors = new ArrayList<>();
        ConfigLexer lexer = new ConfigLexer(configId, warnings, errors);
        try {
            if (textOrNull == null) {
                lexer.readFile(file, null, 0);
            } else {
                lexer.readText(textOrNull, file);
            }
        } catch (ConfigException e) {
            errors.add(e);
            return new Outcome(null, warnings, errors, Map.of(), List.of(), List.of());
        } catch (StackOverflowError e) {
            errors.add(new ConfigException(file, 0, "", "configuration nests too deeply to be read"));
            return new Outcome(null, warnings, errors, Map.of(), List.of(), List.of());
        }
        List<ConfigNode> tree = ConfigNode.parse(lexer.lines(), errors, file);
        ModelBuilder builder = new ModelBuilder(warnings, errors);
        KeepalivedConfig config = null;
        try {
            config = builder.build(tree);
        } catch (RuntimeException | StackOverflowError e) {
            // defensive: the builder reports bad input as ConfigException; anything else is our bug
            errors.add(new ConfigException(file, 0, "", "internal error while reading the configuration: " + e));
        }
        List<ScriptRef> scripts = new ArrayList<>();
        for (ParseContext.ScriptUse u : builder.scriptsUsed()) {
            scripts.add(new ScriptRef(u.script(), u.origin()));
        }
        errors.sort(java.util.Comparator.comparing((ConfigException e) -> e.file().toString())
                .thenComparingInt(ConfigException::line));
        return new Outcome(config, warnings, errors,
                java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(builder.interfacesNamed())),
                List.copyOf(scripts), builder.scriptUsers().stream()
                        .map(u -> new ScriptUserRef(u.user(), u.group(), u.origin())).toList());
    }

    /**
     * keepalived's default config id: the host name up to its first dot ({@code uname -n}).
     */
    public static String defaultConfigId() {
        String name = null;
        try {
            name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
            try {
                name = java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException | RuntimeException e2) {
                name = "";
            }
        }
        int dot = name.indexOf('.');
        return dot >= 0 ? name.substring(0, dot) : name;
    }
}
