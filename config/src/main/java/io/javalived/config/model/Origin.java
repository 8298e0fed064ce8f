package io.javalived.config.model;

import java.nio.file.Path;
import java.util.Objects;

/** Where a block or keyword was defined: a file and a 1-based line. */
public record Origin(Path file, int line) {
    public Origin {
        Objects.requireNonNull(file, "file");
    }

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
