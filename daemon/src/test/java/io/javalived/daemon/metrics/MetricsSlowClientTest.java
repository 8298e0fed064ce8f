package io.javalived.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * /metrics against clients that connect and stall (the issue: two connections sending {@code GET /metrics HTTP/1.1}
 * and nothing more made every scrape time out): while 2 or 100 such clients are connected, each scrape on a new
 * connection is answered within 1 s, and the stalled clients are closed at the request deadline. Also: what is not
 * HTTP/1.x is refused at once, the answer is streamed in chunks identical to the one-string scrape, and a client that
 * does not read its answer is closed at the response deadline without holding up the others.
 */
class MetricsSlowClientTest {
    /** The acceptance bound for one scrape while slow clients are connected. */
    static final long BOUND_MS = 1000;
    static final String SCRAPE = "GET /metrics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";

    @Test
    void twoSlowClientsDoNotHoldScrapes() throws Exception {
        slowClients(2);
    }

    @Test
    void aHundredSlowClientsDoNotHoldScrapes() throws Exception {
        slowClients(100);
    }

    void slowClients(int n) throws Exception {
        try (MetricsServer s = MetricsServer.open(new Fixtures.FakeSource(Fixtures.status(), Fixtures.table()),
                "127.0.0.1:0")) {
            // the first scrape of a JVM loads classes and registers every series: not what is measured here
            RawHttp.Exchange cold = RawHttp.exchange(s.address(), SCRAPE, 10_000);
            assertThat(cold.response().status()).isEqualTo(200);
            System.out.printf("MetricsSlowClientTest: first scrape (cold) %d ms%n", cold.millis());
            slowClients(s, n);
        }
    }

    void slowClients(MetricsServer s, int n) throws Exception {
        MetricsServer.Limits lim = MetricsServer.Limits.DEFAULT;
        try (SlowClients slow = new SlowClients(s.address(), n)) {
            int scrapes = 5;
            long max = 0;
            for (int i = 0; i < scrapes; i++) {
                RawHttp.Exchange x = RawHttp.exchange(s.address(), SCRAPE, 5000);
                RawHttp.Response r = x.response();
                assertThat(r.status()).isEqualTo(200);
                assertThat(ExpositionParser.parse(r.text()).value("keepalived_up")).isEqualTo(1);
                assertThat(x.millis()).as("scrape %d with %d slow clients connected", i, n).isLessThanOrEqualTo(BOUND_MS);
                max = Math.max(max, x.millis());
                Thread.sleep(300);
            }
            assertThat(slow.openAfterScrapes()).as("slow clients still connected during the scrapes")
                    .isGreaterThanOrEqualTo(Math.min(n, lim.maxConnections() - scrapes));
            long[] closedAt = slow.awaitClosed(lim.requestMillis() + 3000);
            int early = 0;
            for (int i = 0; i < n; i++) {
                assertThat(closedAt[i]).as("slow client %d closed by the server", i).isPositive();
                if (closedAt[i] < lim.requestMillis() - 200) {
                    early++; // closed to admit a newer connection
                } else {
                    assertThat(closedAt[i]).as("slow client %d closed at the deadline", i)
                            .isLessThanOrEqualTo(lim.requestMillis() + 1500);
                }
            }
            assertThat(early).isLessThanOrEqualTo(Math.max(0, n + scrapes - lim.maxConnections()));
            System.out.printf("MetricsSlowClientTest: %d slow clients: %d scrapes, slowest %d ms; %d closed to admit "
                    + "newer connections, the rest at %d-%d ms (deadline %d ms)%n", n, scrapes, max, early,
                    Arrays.stream(closedAt).filter(t -> t >= lim.requestMillis() - 200).min().orElse(-1),
                    Arrays.stream(closedAt).max().orElse(-1), lim.requestMillis());
        }
    }

    /**
     * {@code n} connections that each send a request line and then stall: the even ones drip one header byte every
     * 500 ms, the odd ones send nothing more.
     */
    static final class SlowClients implements AutoCloseable {
        final List<Socket> sockets = new ArrayList<>();
        final long[] connectedAt;
        final Thread dripper;
        volatile boolean stop;

        SlowClients(InetSocketAddress to, int n) throws IOException {
            connectedAt = new long[n];
            for (int i = 0; i < n; i++) {
                Socket s = new Socket();
                s.connect(to, 5000);
                connectedAt[i] = System.nanoTime();
                s.getOutputStream().write("GET /metrics HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
                sockets.add(s);
            }
            dripper = new Thread(() -> {
                for (int round = 0; round < 40 && !stop; round++) { // 20 s at most
                    for (int i = 0; i < sockets.size(); i += 2) {
                        try {
                            sockets.get(i).getOutputStream().write('X');
                        } catch (IOException e) {
                            // closed by the server
                        }
                    }
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "dripper");
            dripper.setDaemon(true);
            dripper.start();
        }

        /** How many are not closed yet (no end of stream readable now). */
        int openAfterScrapes() throws IOException {
            int open = 0;
            for (Socket s : sockets) {
                s.setSoTimeout(1);
                try {
                    if (s.getInputStream().read() >= 0) {
                        throw new AssertionError("a slow client got an answer");
                    }
                } catch (SocketTimeoutException e) {
                    open++;
                } catch (SocketException e) {
                    // reset: closed
                }
            }
            return open;
        }

        /** For each, the ms after its connect at which it was seen closed (end of stream or reset), or -1. */
        long[] awaitClosed(long withinMillis) throws IOException {
            long[] at = new long[sockets.size()];
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(withinMillis);
            for (int i = 0; i < sockets.size(); i++) {
                Socket s = sockets.get(i);
                InputStream in = s.getInputStream();
                at[i] = -1;
                while (true) {
                    long left = (end - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        break;
                    }
                    s.setSoTimeout((int) Math.min(left, 50));
                    try {
                        if (in.read() < 0) {
                            at[i] = (System.nanoTime() - connectedAt[i]) / 1_000_000;
                            break;
                        }
                        throw new AssertionError("a slow client got an answer");
                    } catch (SocketTimeoutException e) {
                        // not yet
                    } catch (SocketException e) {
                        at[i] = (System.nanoTime() - connectedAt[i]) / 1_000_000;
                        break;
                    }
                }
            }
            return at;
        }

        @Override
        public void close() throws Exception {
            stop = true;
            dripper.interrupt();
            dripper.join(5000);
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    // --------------------------------------------------------------------------------- HTTP version checks

    @Test
    void whatIsNotHttp1IsRefusedAtOnce() throws Exception {
        try (MetricsServer s = MetricsServer.open(new Fixtures.FakeSource(Fixtures.status(), null), "127.0.0.1:0")) {
            // warm: the first request of a JVM loads Netty's codec
            assertThat(RawHttp.exchange(s.address(), SCRAPE, 20_000).response().status()).isEqualTo(200);
            Object[][] cases = {
                {"HTTP/0.9-style request line", "GET /metrics\r\n\r\n", 400},
                {"HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505},
                {"HTTP/2.0 request line", "GET /metrics HTTP/2.0\r\nHost: t\r\n\r\n", 505},
                {"HTTP/3.0", "GET /metrics HTTP/3.0\r\nHost: t\r\n\r\n", 505},
                {"not HTTP", "GET /metrics FOO/1.1\r\nHost: t\r\n\r\n", 400},
                {"a bad version", "GET /metrics HTTP/x\r\nHost: t\r\n\r\n", 400},
                {"a TLS ClientHello", "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003", 400},
                {"binary garbage", "\u0000\u00ff\u00fe\r\n\r\n", 400},
                {"text garbage", "hello there\r\n\r\n", 400},
                {"a header without a colon", "GET /metrics HTTP/1.1\r\nHost t\r\n\r\n", 400},
                {"a request line too long", "GET /" + "a".repeat(5000) + " HTTP/1.1\r\n\r\n", 414},
                {"headers too large", "GET /metrics HTTP/1.1\r\nX: " + "b".repeat(9000) + "\r\n\r\n", 431},
                {"a body too large", "POST /metrics HTTP/1.1\r\nHost: t\r\nContent-Length: 10000\r\n\r\n", 413},
            };
            for (Object[] c : cases) {
                RawHttp.Exchange x = RawHttp.exchange(s.address(), (String) c[1], 3000);
                assertThat(x.closed()).as(c[0] + ": closed").isTrue();
                assertThat(x.millis()).as(c[0] + ": at once").isLessThan(BOUND_MS);
                RawHttp.Response r = x.response();
                assertThat(r.status()).as(c[0] + ": " + r.statusLine()).isEqualTo(c[2]);
                assertThat(r.headers().get("connection")).as((String) c[0]).isEqualTo("close");
                System.out.printf("MetricsSlowClientTest: %-28s -> %s, closed in %d ms%n", c[0], r.statusLine(),
                        x.millis());
            }
            // the server is still fine
            assertThat(RawHttp.exchange(s.address(), SCRAPE, 3000).response().status()).isEqualTo(200);
        }
    }

    @Test
    void http10Http11KeepAliveAndHead() throws Exception {
        Fixtures.FakeSource src = new Fixtures.FakeSource(Fixtures.status(), Fixtures.table());
        StatusMetrics reference = new StatusMetrics(src);
        try (MetricsServer s = MetricsServer.open(new StatusMetrics(src), new InetSocketAddress("127.0.0.1", 0),
                MetricsServer.Limits.DEFAULT)) {
            String expected = reference.scrape();
            // HTTP/1.0: no chunked encoding, the body ends with the connection
            RawHttp.Exchange x10 = RawHttp.exchange(s.address(), "GET /metrics HTTP/1.0\r\n\r\n", 3000);
            RawHttp.Response r10 = x10.response();
            assertThat(x10.closed()).isTrue();
            assertThat(r10.status()).isEqualTo(200);
            assertThat(r10.headers()).doesNotContainKey("transfer-encoding").containsEntry("connection", "close")
                    .containsEntry("content-type", MetricsServer.CONTENT_TYPE);
            assertThat(r10.text()).isEqualTo(expected);
            // HTTP/1.1 keep-alive, three requests pipelined on one connection: answered in order
            RawHttp.Exchange x11 = RawHttp.exchange(s.address(), "GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "HEAD /metrics HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /nope HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", 3000);
            List<RawHttp.Response> l = x11.responses("GET", "HEAD", "GET");
            assertThat(l).hasSize(3);
            assertThat(l.get(0).status()).isEqualTo(200);
            assertThat(l.get(0).headers()).containsEntry("transfer-encoding", "chunked");
            assertThat(l.get(0).text()).isEqualTo(expected);
            assertThat(l.get(1).status()).isEqualTo(200);
            assertThat(l.get(1).body()).isEmpty();
            assertThat(l.get(1).headers()).containsEntry("content-type", MetricsServer.CONTENT_TYPE);
            assertThat(l.get(2).status()).isEqualTo(404);
            assertThat(l.get(2).text()).isEqualTo("Not found: /nope (metrics are at /metrics)\n");
            assertThat(x11.closed()).isTrue();
            // the query string is not part of the path, as before
            assertThat(RawHttp.exchange(s.address(), "GET /metrics?x=1 HTTP/1.1\r\nHost: t\r\nConnection: close"
                    + "\r\n\r\n", 3000).response().text()).isEqualTo(expected);
        }
    }

    // ------------------------------------------------------------------------------------------ streaming

    @Test
    void theScrapeIsStreamedInChunksIdenticalToTheOneStringScrape() throws Exception {
        Fixtures.FakeSource src = Fixtures.big(2000);
        StatusMetrics reference = new StatusMetrics(src);
        String expected = reference.scrape();
        // the one-string scrape is Micrometer's own exposition, byte for byte
        assertThat(expected).isEqualTo(reference.registry().scrape());
        try (MetricsServer s = MetricsServer.open(new StatusMetrics(src), new InetSocketAddress("127.0.0.1", 0),
                MetricsServer.Limits.DEFAULT)) {
            RawHttp.Exchange first = RawHttp.exchange(s.address(), SCRAPE, 20_000);
            RawHttp.Exchange second = RawHttp.exchange(s.address(), SCRAPE, 20_000);
            assertThat(first.response().text()).isEqualTo(expected);
            RawHttp.Response plain = second.response();
            assertThat(plain.text()).isEqualTo(expected);
            int largestFamily = 0;
            for (String f : expected.split("(?=# HELP )")) {
                largestFamily = Math.max(largestFamily, f.length());
            }
            assertThat(plain.chunks().size()).isGreaterThan(10);
            assertThat(plain.chunks().stream().mapToInt(Integer::intValue).max().orElseThrow())
                    .isLessThanOrEqualTo(MetricsServer.CHUNK + largestFamily);

            RawHttp.Response gz = RawHttp.exchange(s.address(), "GET /metrics HTTP/1.1\r\nHost: t\r\n"
                    + "Accept-Encoding: gzip\r\nConnection: close\r\n\r\n", 10_000).response();
            assertThat(gz.headers()).containsEntry("content-encoding", "gzip");
            String unzipped = new String(new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertThat(unzipped).isEqualTo(expected);
            System.out.printf("MetricsSlowClientTest: 2,000 real servers: scrape %d ms (first %d ms), %,d bytes in "
                    + "%d chunks (largest %,d, largest family %,d); gzip %,d bytes in %d chunks%n", second.millis(),
                    first.millis(), plain.body().length,
                    plain.chunks().size(), plain.chunks().stream().mapToInt(Integer::intValue).max().orElseThrow(),
                    largestFamily, gz.body().length, gz.chunks().size());
        }
    }

    @Test
    void aClientThatDoesNotReadIsClosedAtTheResponseDeadlineAndHoldsNobody() throws Exception {
        // 5 MB: more than the kernel buffers of both ends hold (tcp_wmem max 4 MB, a 4 kB receive buffer)
        Fixtures.FakeSource src = Fixtures.big(2000);
        MetricsServer.Limits lim = new MetricsServer.Limits(64, 5_000, 30_000, 3_000);
        try (MetricsServer s = MetricsServer.open(new StatusMetrics(src), new InetSocketAddress("127.0.0.1", 0), lim);
             Socket lazy = new Socket()) {
            RawHttp.Exchange cold = RawHttp.exchange(s.address(), SCRAPE, 20_000); // registers the series
            assertThat(cold.response().status()).isEqualTo(200);
            int whole = cold.raw().length;
            lazy.setReceiveBufferSize(4096);
            lazy.connect(s.address(), 5000);
            lazy.getOutputStream().write(SCRAPE.getBytes(StandardCharsets.US_ASCII));
            long t0 = System.nanoTime();
            // others are served, completely, while it does not read
            RawHttp.Exchange other = RawHttp.exchange(s.address(), SCRAPE, 20_000);
            assertThat(other.response().status()).isEqualTo(200);
            assertThat(other.raw().length).isEqualTo(whole);
            long otherDone = (System.nanoTime() - t0) / 1_000_000;
            // past the deadline, it finds the connection closed before the whole answer
            Thread.sleep(Math.max(0, lim.responseMillis() + 3000 - otherDone));
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            assertThat(RawHttp.readToEnd(lazy, got, System.nanoTime() + TimeUnit.SECONDS.toNanos(5))).isTrue();
            assertThat(got.size()).isLessThan(whole);
            System.out.printf("MetricsSlowClientTest: a client that does not read: another scrape of %,d bytes "
                    + "answered in %d ms meanwhile; it was closed after %,d bytes (deadline %d ms)%n", whole,
                    other.millis(), got.size(), lim.responseMillis());
        }
    }
}
