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
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
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
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * Requests are at most {@value #MAX_REQUEST} bytes and must arrive within 2 s of the connection; an answer must be
 * read within 5 s; past either, the connection is closed. One thread serves every connection (a selector), so idle
 * clients hold no thread; the answers are computed on two worker threads. The status answer is never held as one
 * text: a worker takes the snapshot, then the selector thread renders it a real server at a time
 * ({@link StatusJson.Pieces}) into the connection's two {@value #PIECE}-byte buffers as fast as the client reads, so a
 * slow reader holds a snapshot and 32 kB, and delays nobody. At most {@value #MAX_CONNECTIONS}
 * connections are open: a new one is always admitted, by closing the oldest connection whose request is not complete
 * (or, when there is none, the oldest). Only a peer running as root or as the daemon's own user is answered
 * (SO_PEERCRED), on top of the file mode.
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
    /** A status answer is written through buffers of this size (characters, then bytes) per connection. */
    static final int PIECE = 16 * 1024;
    static final long REQUEST_NANOS = TimeUnit.SECONDS.toNanos(2);
    static final long ANSWER_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Open connections at most; a new one closes the oldest incomplete one. */
    static final int MAX_CONNECTIONS = 64;
    /** sun_path is 108 bytes with the terminating NUL. */
    static final int MAX_PATH = 107;

    private final StatusSource source;
    private final Path path;
    private final ServerSocketChannel server;
    private final Object fileKey;
    private final Selector selector;
    private final Thread loop;
    private final ThreadPoolExecutor handlers;
    /** The loop's read buffer. */
    private final ByteBuffer scratch = ByteBuffer.allocate(8192);
    /** Answers computed by the handlers, to be written by the loop. */
    private final ConcurrentLinkedQueue<Runnable> ready = new ConcurrentLinkedQueue<>();
    /** Open connections, oldest first; touched by the loop only. */
    private final LinkedHashSet<Conn> conns = new LinkedHashSet<>();
    private long evictions;
    private long lastEvictionLog;
    private volatile boolean closed;

    private enum State { REQUEST, ANSWERING, WRITING }

    /** One connection: what it sent, what it is sent, until when. */
    private static final class Conn {
        final SocketChannel ch;
        SelectionKey key;
        State state = State.REQUEST;
        final ByteBuffer in = ByteBuffer.allocate(MAX_REQUEST + 1);
        /** What is to be written next (flipped: position..limit). */
        ByteBuffer out;
        /** A status answer: its text, rendered a piece at a time into {@link #text}, then copied into out. */
        StatusJson.Pieces pieces;
        StringBuilder text;
        int textAt;
        long deadline;

        Conn(SocketChannel ch, long deadline) {
            this.ch = ch;
            this.deadline = deadline;
        }
    }

    private ControlServer(StatusSource source, Path path, ServerSocketChannel server, Object fileKey)
            throws IOException {
        this.source = source;
        this.path = path;
        this.server = server;
        this.fileKey = fileKey;
        this.selector = Selector.open();
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        this.handlers = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(2 * MAX_CONNECTIONS), r -> {
                    Thread t = new Thread(r, "javalived-control");
                    t.setDaemon(true);
                    return t;
                });
        this.loop = new Thread(this::loop, "javalived-control-io");
        this.loop.setDaemon(true);
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
            ch.bind(UnixDomainSocketAddress.of(bindAt), MAX_CONNECTIONS);
            Files.setPosixFilePermissions(bindAt, PosixFilePermissions.fromString("rw-------"));
            if (!direct) {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE); // rename(2): replaces a stale socket
            }
            Object key = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
            ControlServer s = new ControlServer(source, target, ch, key);
            s.loop.start();
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

    /** The selector loop: accepts, reads requests, writes answers, closes what is past its deadline. */
    private void loop() {
        try {
            while (!closed) {
                long now = System.nanoTime();
                long next = Long.MAX_VALUE;
                for (Iterator<Conn> it = conns.iterator(); it.hasNext(); ) {
                    Conn c = it.next();
                    if (c.state == State.ANSWERING) {
                        continue; // the daemon is computing: not the client's time
                    }
                    if (now - c.deadline >= 0) {
                        LOG.log(Level.DEBUG, "Status socket " + path + ": closing a connection: its "
                                + (c.state == State.REQUEST ? "request did not arrive" : "answer was not read")
                                + " in time");
                        it.remove();
                        closeQuietly(c.ch);
                    } else {
                        next = Math.min(next, c.deadline);
                    }
                }
                long wait = next == Long.MAX_VALUE ? 0 : Math.max(1, (next - now + 999_999) / 1_000_000);
                selector.select(wait);
                for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (!k.isValid()) {
                        continue;
                    }
                    if (k.channel() == server) {
                        acceptAll();
                    } else if (k.attachment() instanceof Conn c) {
                        try {
                            if (k.isReadable()) {
                                read(c);
                            } else if (k.isWritable()) {
                                write(c);
                            }
                        } catch (IOException | RuntimeException e) {
                            LOG.log(Level.DEBUG, "Status socket " + path + ": request dropped: " + e);
                            drop(c);
                        }
                    }
                }
                Runnable r;
                while ((r = ready.poll()) != null) {
                    r.run();
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closed) {
                LOG.log(Level.ERROR, "Status socket " + path + ": stopped serving: " + e);
            }
        } finally {
            for (Conn c : conns) {
                closeQuietly(c.ch);
            }
            conns.clear();
            try {
                server.close();
                selector.close();
            } catch (IOException ignored) {
                // stopping
            }
        }
    }

    private void acceptAll() {
        for (int i = 0; i < MAX_CONNECTIONS; i++) { // the rest at the next round: deadlines keep running
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "Status socket " + path + ": accept failed: " + e.getMessage());
                    try {
                        Thread.sleep(100); // e.g. EMFILE: do not spin
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                }
                return;
            }
            if (ch == null) {
                return;
            }
            admit(ch);
        }
    }

    private void admit(SocketChannel ch) {
        try {
            ch.configureBlocking(false);
            if (!allowedPeer(ch)) {
                ch.write(ByteBuffer.wrap("error: only root may read the status\n".getBytes(StandardCharsets.UTF_8)));
                closeQuietly(ch);
                return;
            }
            if (conns.size() >= MAX_CONNECTIONS) {
                evictOne();
            }
            Conn c = new Conn(ch, System.nanoTime() + REQUEST_NANOS);
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
            conns.add(c);
        } catch (IOException e) {
            closeQuietly(ch);
        }
    }

    /** At the cap: the oldest connection whose request is incomplete goes; when none is, the oldest. */
    private void evictOne() {
        Conn victim = null;
        for (Conn c : conns) {
            if (c.state == State.REQUEST) {
                victim = c;
                break;
            }
        }
        if (victim == null) {
            victim = conns.iterator().next();
        }
        drop(victim);
        evictions++;
        long now = System.nanoTime();
        if (evictions == 1 || now - lastEvictionLog > TimeUnit.MINUTES.toNanos(1)) {
            lastEvictionLog = now;
            LOG.log(Level.WARNING, "Status socket " + path + ": " + MAX_CONNECTIONS + " connections open (the "
                    + "limit): closed the oldest " + (victim.state == State.REQUEST ? "idle " : "") + "one to admit a "
                    + "new one (" + evictions + " so far) - clients that connect and do not send a request?");
        }
    }

    /**
     * Reads and forgets what the client sent after its request line (a bounded amount): a unix socket closed with
     * unread data resets the peer, whose read of the answer then fails with "Connection reset".
     */
    private void discardInput(Conn c) {
        try {
            for (int i = 0; i < 16; i++) {
                scratch.clear();
                if (c.ch.read(scratch) <= 0) {
                    return;
                }
            }
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void drop(Conn c) {
        conns.remove(c);
        closeQuietly(c.ch);
    }

    private void read(Conn c) throws IOException {
        scratch.clear();
        int n = c.ch.read(scratch); // all that is there (up to 8 kB), so that closing does not reset the peer
        scratch.flip();
        while (scratch.hasRemaining() && c.in.hasRemaining()) {
            c.in.put(scratch.get());
        }
        int nl = -1;
        for (int i = 0; i < c.in.position(); i++) {
            if (c.in.get(i) == '\n') {
                nl = i;
                break;
            }
        }
        if (nl < 0 && n >= 0) {
            if (!c.in.hasRemaining()) {
                throw new IOException("more than " + MAX_REQUEST + " bytes without a newline");
            }
            return;
        }
        int len = nl < 0 ? c.in.position() : nl;
        if (len == 0 && nl < 0) {
            drop(c); // connected and closed without a word
            return;
        }
        String req = new String(c.in.array(), 0, len, StandardCharsets.UTF_8).trim();
        c.state = State.ANSWERING;
        c.key.interestOps(0);
        try {
            handlers.execute(() -> {
                Object a = answerPieces(req);
                ready.add(() -> startWrite(c, a));
                selector.wakeup();
            });
        } catch (RejectedExecutionException e) {
            drop(c); // busy: the client sees the connection closed
        }
    }

    /** {@code answer}: a String, or the status's {@link StatusJson.Pieces}. */
    private void startWrite(Conn c, Object answer) {
        if (!conns.contains(c)) {
            return; // evicted meanwhile
        }
        c.state = State.WRITING;
        if (answer instanceof StatusJson.Pieces p) {
            c.pieces = p;
            c.text = new StringBuilder(PIECE);
            c.out = ByteBuffer.allocate(PIECE).flip();
        } else {
            c.out = ByteBuffer.wrap(((String) answer).getBytes(StandardCharsets.UTF_8));
        }
        c.deadline = System.nanoTime() + ANSWER_NANOS;
        try {
            write(c);
            if (conns.contains(c)) {
                c.key.interestOps(SelectionKey.OP_WRITE);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "Status socket " + path + ": answer dropped: " + e);
            drop(c);
        }
    }

    /**
     * Writes what the socket takes: a status answer is rendered a piece at a time into the connection's buffers
     * ({@value #PIECE} characters, then bytes), so a slow reader holds two small buffers and a snapshot, never the
     * whole text.
     */
    private void write(Conn c) throws IOException {
        while (true) {
            if (!c.out.hasRemaining() && !refill(c)) {
                discardInput(c); // lines sent after the request: unread, closing would reset the peer's read
                drop(c); // one request per connection: the end of the stream ends the answer
                return;
            }
            c.ch.write(c.out);
            if (c.out.hasRemaining()) {
                return; // the socket is full: OP_WRITE brings us back
            }
        }
    }

    /** Fills c.out with the next part of a status answer; false when the answer is complete. */
    private static boolean refill(Conn c) {
        if (c.pieces == null) {
            return false;
        }
        ByteBuffer out = c.out.clear();
        while (out.hasRemaining()) {
            if (c.textAt == c.text.length()) {
                c.text.setLength(0);
                c.textAt = 0;
                if (!c.pieces.next(c.text, PIECE / 2)) {
                    break;
                }
            }
            int n = Math.min(out.remaining(), c.text.length() - c.textAt);
            for (int i = 0; i < n; i++) {
                out.put((byte) c.text.charAt(c.textAt + i)); // ASCII: StatusJson escapes the rest
            }
            c.textAt += n;
        }
        out.flip();
        return out.hasRemaining();
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

    /** The answer to one request line: the status as {@link StatusJson.Pieces}, anything else as text. */
    Object answerPieces(String req) {
        if (req.equals("status")) {
            try {
                return StatusJson.pieces(source.status());
            } catch (Exception e) {
                return "error: " + req + " failed: " + e.getMessage() + "\n";
            }
        }
        return answer(req);
    }

    /** The answer to one request line, as one text. */
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
        selector.wakeup();
        try {
            loop.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (loop.isAlive()) {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing
            }
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
    }
}
