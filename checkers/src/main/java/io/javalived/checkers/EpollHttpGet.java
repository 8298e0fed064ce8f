package io.javalived.checkers;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * HTTP_GET's attempt (plain HTTP, no bindto) on a raw non-blocking socket on the probe's epoll loop: for each url
 * in turn connect, write the request, read to EOF into an {@link HttpResponseParser}, judge. Same outcomes and log
 * lines as the Netty channel path ({@link HttpGetChecker}): connect_timeout for the connect ("Timeout connecting"),
 * then connect_timeout without a byte from the server ("Timeout HTTP read"), a read error ("Read error with"), a
 * failed write judged as a reply with no data. No channel, pipeline, handlers, promises or timers per attempt: the
 * timeout is the probe's deadline slot, moved lazily (a read only stores the new deadline).
 */
final class EpollHttpGet extends EpollAttempt {
    private static final int BUF = 16 * 1024;
    /** One read buffer per loop thread (reads never overlap on a thread). */
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private static final class Buffers {
        final ByteBuffer direct = ByteBuffer.allocateDirect(BUF);
        final byte[] heap = new byte[BUF];
    }

    private enum Phase { CONNECTING, WRITING, READING }

    /**
     * One registration per connection for its whole life, edge-triggered: the connect's completion (OUT), then the
     * reply (IN), with no epoll_ctl(MOD) between; an event the phase does not wait for costs at most one EAGAIN.
     */
    private static final EpollIoOps OPS = EpollIoOps.EPOLLOUT.with(EpollIoOps.EPOLLIN).with(EpollIoOps.EPOLLET);

    private final HttpGetChecker checker;
    private final List<HttpGetChecker.Url> urls;
    private final InetSocketAddress remote;
    private final boolean ipv6;
    private final long timeoutNanos;
    private final String timeoutDetail;
    private final ByteBuffer[] requests;
    private final CheckResult[] successes;
    private final HttpResponseParser[] parsers;
    private int url;
    private Phase phase;
    private int written;
    private HttpResponseParser parser;
    private long deadline;

    EpollHttpGet(IoEventLoop loop, HttpGetChecker checker) {
        super(loop);
        this.checker = checker;
        this.urls = checker.urls();
        this.remote = checker.endpoint().connect();
        this.ipv6 = remote.getAddress() instanceof Inet6Address;
        long ms = Math.max(1, checker.connectTimeout().toMillis());
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(ms);
        this.timeoutDetail = "connection timed out after " + ms + " ms";
        this.requests = new ByteBuffer[urls.size()];
        this.successes = new CheckResult[urls.size()];
        this.parsers = new HttpResponseParser[urls.size()];
        for (int i = 0; i < urls.size(); i++) {
            byte[] b = checker.request(urls.get(i)).getBytes(StandardCharsets.ISO_8859_1);
            requests[i] = ByteBuffer.allocateDirect(b.length).put(b).flip();
            successes[i] = checker.success(urls.get(i));
            parsers[i] = new HttpResponseParser(urls.get(i).regex() != null, urls.get(i).digest() != null);
        }
    }

    @Override
    long begin() {
        url = 0;
        connect();
        return deadline;
    }

    @Override
    long deadline() {
        return deadline;
    }

    private String target() {
        return checker.target();
    }

    /** Connects for the current url. */
    private void connect() {
        parser = parsers[url];
        parser.reset();
        phase = Phase.CONNECTING;
        deadline = clock.nanoTime() + timeoutNanos;
        try {
            if (open(ipv6).connect(remote)) {
                connected();
                return;
            }
            want(OPS);
        } catch (IOException | RuntimeException e) {
            connectFailed(e);
        }
    }

    private void connectFailed(Throwable e) {
        FailureClass why = Net.connectFailure(e);
        finish(CheckResult.failed(why, (why == FailureClass.CONNECT_TIMEOUT ? "Timeout connecting" : "Error connecting")
                + " server " + target() + ".", Net.text(e)));
    }

    /** Connected: the read timeout starts; send the request. */
    private void connected() {
        phase = Phase.WRITING;
        written = 0;
        deadline = clock.nanoTime() + timeoutNanos;
        write();
    }

    private void write() {
        ByteBuffer req = requests[url];
        try {
            while (written < req.limit()) {
                int n = socket.write(req, written, req.limit());
                if (n <= 0) { // socket buffer full (never for a request this small): wait for room
                    if (registration == null) want(OPS);
                    return;
                }
                written += n;
            }
            phase = Phase.READING;
            if (registration == null) want(OPS); // connected at once: not registered yet
        } catch (IOException | RuntimeException e) {
            // the channel path closes on a failed write and judges what was read: nothing
            endOfReply();
        }
    }

    @Override
    public void handle(IoRegistration reg, IoEvent event) {
        if (socket == null) return;
        switch (phase) {
            case CONNECTING -> {
                try {
                    if (!socket.finishConnect()) return; // not yet (spurious wake-up)
                } catch (IOException | RuntimeException e) {
                    connectFailed(e);
                    return;
                }
                connected();
            }
            case WRITING -> write();
            case READING -> read();
        }
    }

    private void read() {
        Buffers b = BUFFERS.get();
        boolean got = false;
        try {
            while (true) {
                int n = socket.read(b.direct, 0, BUF);
                if (n == 0) { // drained (EAGAIN): wait for more, connect_timeout from this read (as keepalived)
                    if (got) deadline = clock.nanoTime() + timeoutNanos;
                    return;
                }
                if (n < 0) {
                    endOfReply();
                    return;
                }
                got = true;
                b.direct.get(0, b.heap, 0, n);
                if (parser.feed(b.heap, 0, n)) { // an unusable header: judge now
                    endOfReply();
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            finish(CheckResult.failed(FailureClass.IO_ERROR, "Read error with server " + target() + ": " + Net.text(e),
                    "url(" + urls.get(url).path() + "), " + Net.text(e)));
        }
    }

    /** The reply ended: judge it; the next url, or the outcome. */
    private void endOfReply() {
        closeSocket();
        CheckResult r = checker.judge(urls.get(url), parser, successes[url]);
        if (!r.ok() || url + 1 == urls.size()) {
            finish(r);
            return;
        }
        url++;
        connect();
    }

    @Override
    CheckResult timedOut() {
        if (phase == Phase.CONNECTING)
            return CheckResult.failed(FailureClass.CONNECT_TIMEOUT, "Timeout connecting server " + target() + ".",
                    timeoutDetail);
        return CheckResult.failed(FailureClass.READ_TIMEOUT, "Timeout HTTP read server " + target() + ".",
                "url(" + urls.get(url).path() + "), " + Net.text(ReadTimeoutException.INSTANCE));
    }
}
