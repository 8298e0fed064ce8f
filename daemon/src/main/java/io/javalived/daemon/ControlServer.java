package io.javalived.daemon;

import io.javalived.director.status.DaemonStatus;
import io.javalived.director.status.StatusSource;
import io.javalived.ipvs.IpvsClient;
import io.javalived.ipvs.IpvsInfo;
import io.javalived.ipvs.IpvsTable;
import io.javalived.ipvs.IpvsText;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's control socket that {@code javalived status} reads: a unix-domain stream socket, mode 0600 (root
 * only), one request per connection.
 *
 * <p>Protocol: the client sends one line; the server answers and closes the connection.
 * <ul>
 *   <li>{@code status} &rarr; the {@link DaemonStatus} as JSON ({@link StatusJson}; schema in STATUS.md)</li>
 *   <li>{@code ipvs} &rarr; a first line {@code ipvs kernel}, {@code ipvs dry-run} or {@code ipvs off}, then the
 *       IPVS table as {@code ipvsadm -Ln} prints it (for dry-run: the table javalived would program)</li>
 *   <li>{@code drain}, {@code enable}, {@code disable}, {@code weight} &rarr; operator overrides
 *       ({@link ControlRequests})</li>
 *   <li>anything else, or a failure &rarr; one line {@code error: ...}</li>
 * </ul>
 * Requests are at most {@value #MAX_REQUEST} bytes and must arrive within 2 s; an answer must be read within 5 s.
 * Only a peer running as root or as the daemon's own user is answered (SO_PEERCRED), on top of the file mode.
 *
 * <p>Creation: the socket is bound inside a fresh 0700 directory next to the target path, set to 0600, then renamed
 * onto the path, so nobody can connect before the mode is set. A socket file left by a dead daemon (nobody answers:
 * connection refused) is replaced; if a live javalived answers on it, {@link #start} fails with "another javalived is
 * running (pid N) on PATH" - the daemon's "already running" check. {@link #close()} stops the server and deletes the
 * socket file (if it is still this server's).
 */
public final class ControlServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.javalived.cli.status");
    static final int MAX_REQUEST = 256;
    static final long REQUEST_NANOS = TimeUnit.SECONDS.toNanos(2);
    static final long ANSWER_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** sun_path is 108 bytes with the terminating NUL. */
    static final int MAX_PATH = 107;

    private final StatusSource source;
    private final Path path;
    private final ServerSocketChannel server;
    private final Object fileKey;
    private final Thread acceptor;
    private final ThreadPoolExecutor handlers;
    private volatile boolean closed;

    private ControlServer(StatusSource source, Path path, ServerSocketChannel server, Object fileKey) {
        this.source = source;
        this.path = path;
        this.server = server;
        this.fileKey = fileKey;
        this.handlers = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(16), r -> {
            Thread t = new Thread(r, "javalived-control");
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, "javalived-control-accept");
        this.acceptor.setDaemon(true);
    }

    /**
     * Listens on {@code socket} (parent directories created, mode 0600).
     *
     * @return the server; close it to stop and delete the socket file
     * @throws IOException when another javalived answers on the path, the path is not a socket, or it cannot be
     *                     bound (the message says which and what to do)
     */
    public static AutoCloseable start(StatusSource source, Path socket) throws IOException {
        return open(source, socket);
    }

    /** As {@link #start}, typed. */
    public static ControlServer open(StatusSource source, Path socket) throws IOException {
        Objects.requireNonNull(source, "source");
        Path target = socket.toAbsolutePath().normalize();
        if (target.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH) {
            throw new IOException("the socket path " + target + " is longer than " + MAX_PATH + " bytes - give a "
                    + "shorter --control-socket");
        }
        if (ensureNotRunning(target)) {
            LOG.log(Level.INFO, "Status socket " + target + " was left by a daemon that is gone: replacing it");
        }
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path tmpDir = createPrivateDir(parent);
        ServerSocketChannel ch = null;
        try {
            Path tmp = tmpDir.resolve("s");
            boolean direct = tmp.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH;
            Path bindAt = direct ? target : tmp;
            ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            if (direct) {
                // the private directory's path is too long for sun_path: bind in place and set the mode at once
                // (the parent directory is the only protection for that instant)
                Files.deleteIfExists(target);
            }
            ch.bind(UnixDomainSocketAddress.of(bindAt), 16);
            Files.setPosixFilePermissions(bindAt, PosixFilePermissions.fromString("rw-------"));
            if (!direct) {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE); // rename(2): replaces a stale socket
            }
            Object key = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
            ControlServer s = new ControlServer(source, target, ch, key);
            s.acceptor.start();
            LOG.log(Level.INFO, "Status socket listening on " + target + " (mode 0600): 'javalived status"
                    + (target.equals(Path.of("/run/javalived.sock")) ? "" : " -S " + target) + "'");
            return s;
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // failing anyway
                }
            }
            throw e;
        } finally {
            deleteTree(tmpDir);
        }
    }

    /**
     * Throws when a live javalived answers on {@code socket}, or when the path exists and is not a socket; returns
     * whether a stale socket file (nobody listening) is there, false when there is no file.
     */
    public static boolean ensureNotRunning(Path socket) throws IOException {
        Path target = socket.toAbsolutePath().normalize();
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        if (Files.isSymbolicLink(target) || Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)
                || Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) || !isSocket(target)) {
            throw new IOException(target + " exists and is not a socket - remove it or give --control-socket");
        }
        OptionalLong pid = probe(target);
        if (pid.isPresent()) {
            throw new IOException("another javalived is running (pid " + (pid.getAsLong() > 0
                    ? Long.toString(pid.getAsLong()) : "unknown") + ") on " + target
                    + " - stop it or give --control-socket");
        }
        return true;
    }

    /**
     * Whether a daemon answers on {@code socket}: its pid, 0 when it answers but not with a status, empty when
     * nobody listens (no file, connection refused).
     */
    public static OptionalLong probe(Path socket) {
        SocketChannel ch;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        try (ch) {
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                return OptionalLong.empty(); // refused: stale; missing: nobody
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            Wire.write(ch, "status\n", deadline);
            String answer = Wire.readAll(ch, ControlClient.MAX_ANSWER, deadline);
            Object o = StatusJson.parse(answer);
            if (o instanceof Map<?, ?> m && m.get("pid") instanceof java.math.BigDecimal pid) {
                return OptionalLong.of(pid.longValue());
            }
            return OptionalLong.of(0);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.of(0); // something listens, but does not answer as javalived does
        }
    }

    private static boolean isSocket(Path p) {
        try {
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (mode & 0170000) == 0140000;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            try {
                return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
            } catch (IOException x) {
                return false;
            }
        }
    }

    private static Path createPrivateDir(Path parent) throws IOException {
        SecureRandom rnd = new SecureRandom();
        for (int i = 0; ; i++) {
            Path d = parent.resolve(".jvs" + Long.toString(rnd.nextLong() & 0xffffffffffL, 36));
            try {
                return Files.createDirectory(d, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (i > 10) {
                    throw e;
                }
            }
        }
    }

    private static void deleteTree(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve("s"));
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // best effort: an empty hidden directory at most
        }
    }

    /** The socket's path. */
    public Path path() {
        return path;
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                LOG.log(Level.WARNING, "Status socket " + path + ": accept failed: " + e.getMessage());
                try {
                    Thread.sleep(100); // e.g. EMFILE: do not spin
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            try {
                handlers.execute(() -> serve(c));
            } catch (RejectedExecutionException e) {
                closeQuietly(c); // busy: the client sees the connection closed
            }
        }
    }

    private void serve(SocketChannel c) {
        try (c) {
            if (!allowedPeer(c)) {
                Wire.write(c, "error: only root may read the status\n", System.nanoTime() + ANSWER_NANOS);
                return;
            }
            String req = Wire.readLine(c, MAX_REQUEST, System.nanoTime() + REQUEST_NANOS).trim();
            Wire.write(c, answer(req), System.nanoTime() + ANSWER_NANOS);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "Status socket " + path + ": request dropped: " + e);
        }
    }

    private static boolean allowedPeer(SocketChannel c) {
        try {
            var p = c.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED);
            String user = p.user().getName();
            return user.equals("root") || user.equals(System.getProperty("user.name"));
        } catch (IOException | UnsupportedOperationException e) {
            return true; // the file mode still applies
        }
    }

    /** The answer to one request line. */
    String answer(String req) {
        try {
            switch (req) {
                case "status" -> {
                    return StatusJson.write(source.status());
                }
                case "ipvs" -> {
                    DaemonStatus st = source.status();
                    IpvsTable t = source.ipvsTable();
                    if (t == null || "off".equals(st.ipvs())) {
                        return "ipvs off\n";
                    }
                    return "ipvs " + st.ipvs() + "\n"
                            + IpvsText.listing(info(st.ipvs()), t, IpvsText.Format.DEFAULT, false);
                }
                default -> {
                    return ControlRequests.answer(req, source); // drain, enable, disable, weight; else an error
                }
            }
        } catch (Exception e) {
            return "error: " + req + " failed: " + e.getMessage() + "\n";
        }
    }

    /** The kernel's IPVS version line; for a dry run, the one a current kernel reports (1.2.1, size=4096). */
    private static IpvsInfo info(String mode) {
        if ("kernel".equals(mode)) {
            try (IpvsClient c = IpvsClient.open()) {
                return c.info();
            } catch (Exception e) {
                // fall through
            }
        }
        return new IpvsInfo(0x010201, 4096);
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** Stops listening and deletes the socket file if it is still this server's. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        handlers.shutdownNow();
        try {
            Object key = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            if (Objects.equals(key, fileKey)) {
                Files.deleteIfExists(path);
            }
        } catch (IOException ignored) {
            // gone already
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
