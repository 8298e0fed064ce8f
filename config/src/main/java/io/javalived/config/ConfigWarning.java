package io.javalived.config;

import java.nio.file.Path;

/** A problem keepalived reports and then goes on (unknown keyword, ignored value, ...). */
public record ConfigWarning(Path file, int line, String keyword, String message) {
    /** {@code FILE:LINE: warning: MESSAGE} — the form {@code javalived check} prints. */
    @Override
    public String toString() {
        return file + ":" + line + ": warning: " + message;
    }
}
