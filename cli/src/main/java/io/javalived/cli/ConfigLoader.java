package io.javalived.cli;

import io.javalived.config.ConfigException;
import io.javalived.config.ConfigResult;
import io.javalived.config.KeepalivedConfigReader;
import java.nio.file.Path;

/** Reads a keepalived.conf for {@code run}. */
final class ConfigLoader {
    private ConfigLoader() {
    }

    static ConfigResult load(Path file) throws ConfigException {
        return KeepalivedConfigReader.read(file);
    }
}
