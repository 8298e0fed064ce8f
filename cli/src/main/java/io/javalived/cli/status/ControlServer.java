package io.javalived.cli.status;

import java.io.IOException;
import java.nio.file.Path;

/** The daemon's root-only unix socket that 'javalived status' reads. (Being written: see issue 7.) */
public final class ControlServer {
    private ControlServer() {
    }

    public static AutoCloseable start(StatusSource source, Path socket) throws IOException {
        throw new IOException("the status socket is not implemented yet");
    }
}
