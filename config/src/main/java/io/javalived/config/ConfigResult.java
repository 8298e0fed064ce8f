package io.javalived.config;

import io.javalived.config.model.KeepalivedConfig;
import java.util.List;

/** A configuration that was accepted, with the warnings met while reading it (in file order). */
public record ConfigResult(KeepalivedConfig config, List<ConfigWarning> warnings) {
    public ConfigResult {
        warnings = List.copyOf(warnings);
    }
}
