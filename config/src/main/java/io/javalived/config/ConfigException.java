package io.javalived.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A keepalived.conf error that stops the configuration from being used: where (file:line), which keyword, why.
 * The only exception {@link KeepalivedConfigReader} throws. Message: {@code FILE:LINE: keyword 'KW': REASON}
 * (without the keyword part when the error is not tied to one).
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final String keyword;
    private final String reason;

    public ConfigException(Path file, int line, String keyword, String reason) {
        super(format(file, line, keyword, reason));
        this.file = Objects.requireNonNull(file, "file");
        this.line = line;
        this.keyword = keyword == null ? "" : keyword;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    static String format(Path file, int line, String keyword, String reason) {
        String where = file + ":" + line + ": ";
        return keyword == null || keyword.isEmpty() ? where + reason : where + "keyword '" + keyword + "': " + reason;
    }

    public Path file() {
        return file;
    }

    /** 1-based line number (0 when the error concerns the file as a whole). */
    public int line() {
        return line;
    }

    /** The keyword concerned, or "" when none. */
    public String keyword() {
        return keyword;
    }

    public String reason() {
        return reason;
    }
}
