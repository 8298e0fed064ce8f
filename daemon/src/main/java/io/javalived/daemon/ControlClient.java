package io.javalived.daemon;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** One request to a daemon's control socket ({@link ControlServer}'s protocol). */
public final class ControlClient {
    /** The largest answer read (a status of thousands of real servers fits). */
    static final int MAX_ANSWER = 64 * 1024 * 1024;

    private ControlClient() {
    }

    /** Nobody answers on the socket: no file, connection refused, or no permission to connect. */
    public static final class NoDaemonException extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient Path socket;

        NoDaemonException(Path socket, String why) {
            super(why);
            this.socket = socket;
        }

        /** The socket that was tried. */
        public Path socket() {
            return socket;
        }
    }

    /** The daemon answered with {@code error: ...}. */
    public static final class DaemonErrorException extends IOException {
        private static final long serialVersionUID = 1L;

        DaemonErrorException(String message) {
            super(message);
        }
    }

    /**
     * Sends {@code request} and returns the whole answer.
     *
     * @throws NoDaemonException    when nobody answers on the socket (the message says why: no such file,
     *                              connection refused, permission denied)
     * @throws DaemonErrorException when the daemon answered {@code error: ...}
     * @throws IOException          when the daemon does not answer within {@code timeout}
     */
    public static String request(Path socket, String request, Duration timeout) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try (ch) {
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new NoDaemonException(socket, why(socket, e));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            Wire.write(ch, request + "\n", deadline);
            String answer;
            try {
                answer = Wire.readAll(ch, MAX_ANSWER, deadline);
            } catch (java.net.SocketTimeoutException e) {
                throw new IOException("the daemon on " + socket + " did not answer within " + timeout.toSeconds()
                        + " s");
            }
            if (answer.startsWith("error: ")) {
                throw new DaemonErrorException(answer.substring(7).trim());
            }
            if (answer.isEmpty()) {
                throw new IOException("the daemon on " + socket + " closed the connection without an answer");
            }
            return answer;
        }
    }

    private static String why(Path socket, IOException e) {
        if (!Files.exists(socket)) {
            return "no such socket";
        }
        String m = String.valueOf(e.getMessage());
        if (m.contains("ermission") || e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied (the socket is root only: run as root)";
        }
        if (m.contains("efused")) {
            return "connection refused (a socket file left by a stopped daemon)";
        }
        return m;
    }
}
