package io.javalived.config;

import java.nio.file.Path;

/**
 * A problem keepalived reports and then goes on (unknown keyword, a value it corrects, an include that matches
 * nothing, ...). {@code failsConfigTest} says whether {@code keepalived -t} counts it as a configuration error
 * (exit 5): an unknown keyword does, an include matching no file does not.
 */
public record ConfigWarning(Path file, int line, String keyword, String message, boolean failsConfigTest) {
    /** A warning keepalived's config test counts as an error. */
    public ConfigWarning(Path file, int line, String keyword, String message) {
        this(file, line, keyword, message, true);
    }

    /** {@code FILE:LINE: warning: MESSAGE} — the form {@code javalived check} prints. */
    @Override
    public String toString() {
        return file + ":" + line + ": warning: " + message;
    }
}
