package io.javalived.it.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The seed configurations: Debian's keepalived samples and the project's config-samples/, as
 * (name, path) in a stable order. Names are {@code debian/<file>} and {@code samples/<file>}.
 * With {@link ConfigMutator} this is the corpus of the differential and property tests.
 */
public final class ConfigCorpus {
    public static final Path DEBIAN_SAMPLES = Path.of("/usr/share/doc/keepalived/samples");

    private ConfigCorpus() {
    }

    /** Debian's samples (if installed) then config-samples/, skipping scripts, archives and BIRD configs. */
    public static Map<String, Path> sources() {
        Map<String, Path> m = new LinkedHashMap<>();
        if (Files.isDirectory(DEBIAN_SAMPLES)) {
            list(DEBIAN_SAMPLES).forEach(p -> m.put("debian/" + p.getFileName(), p));
        }
        list(configSamplesDir()).forEach(p -> m.put("samples/" + p.getFileName(), p));
        return m;
    }

    /** The text of every source (ISO-8859-1, so any byte survives a round trip). */
    public static Map<String, String> texts() {
        Map<String, String> m = new LinkedHashMap<>();
        sources().forEach((name, p) -> {
            try {
                m.put(name, Files.readString(p, StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return m;
    }

    /** config-samples/ of this checkout, found from the working directory upwards. */
    public static Path configSamplesDir() {
        Path p = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && p != null; i++, p = p.getParent()) {
            if (Files.isDirectory(p.resolve("config-samples"))) {
                return p.resolve("config-samples");
            }
        }
        throw new IllegalStateException("config-samples/ not found above " + Path.of("").toAbsolutePath());
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> l = new ArrayList<>();
            s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().matches(".*\\.(sh|gz|md|txt)$"))
                    .filter(p -> !p.getFileName().toString().startsWith("bird-")) // routing daemon configs
                    .sorted().forEach(l::add);
            return l;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
