package io.javalived.checkers;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.checkers.TlsServers.Ending;
import io.javalived.checkers.TlsServers.NettyWeb;
import io.javalived.checkers.TlsServers.OpenSsl;
import io.javalived.checkers.TlsServers.Pem;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SSL_GET (the real {@link HttpGetChecker}) against real TLS 1.2 and TLS 1.3 servers on 127.0.0.1: OpenSSL's
 * {@code s_server} in its web modes and a Netty server whose way of ending the reply is exact. Each case asserts the
 * verdict, the digest or status code where it matters, and that a reply which ends is judged without waiting for
 * connect_timeout (a loose sanity bound, not a speed target). Where keepalived 2.2.7 itself reads until its timeout
 * (a connection kept open after the reply) the checker does too, and the case says so; keepalived's own reader
 * ({@code genhash}, the same check_http.c/check_ssl.c code) is run on every Netty case and must agree.
 */
class TlsMatrixTest {
    /** connect_timeout of the cases whose reply ends: far above what they take, so a wait for it cannot pass. */
    static final Duration T = Duration.ofSeconds(10);
    /** Sanity bound for those cases: half of connect_timeout, generous for a loaded 2-core machine. */
    static final long FAST_MS = T.toMillis() / 2;
    /** connect_timeout of the cases keepalived reads until its timeout. */
    static final Duration SHORT = Duration.ofMillis(1500);
    static final String BODY = "hello over TLS from a real server\n";

    @TempDir
    static Path dir;
    static EventLoopGroup clients, servers;
    static ExecutorService pool;
    static Pinger pinger;
    static CheckContext ctx;
    static Pem good, wrongCn;

    @BeforeAll
    static void setUp() throws Exception {
        Transport t = Transport.best();
        clients = t.newGroup(1, "tls-check");
        servers = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        pool = Executors.newFixedThreadPool(1);
        pinger = new Pinger();
        ctx = new CheckContext(clients.next(), t, pool, pinger);
        good = Pem.selfSigned(dir, "rs.test", "DNS:rs.test,IP:127.0.0.1");
        wrongCn = Pem.selfSigned(dir, "wrong.test", "DNS:wrong.test");
        // s_server -WWW sends a file after its own header; -HTTP sends a file that is the whole reply
        Files.writeString(dir.resolve("page.txt"), BODY, StandardCharsets.ISO_8859_1);
        Files.writeString(dir.resolve("ok.http"), "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                + BODY.length() + "\r\n\r\n" + BODY, StandardCharsets.ISO_8859_1);
        Files.write(dir.resolve("chunked.http"), concat("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1), TlsServers.chunked(BODY)));
        Files.writeString(dir.resolve("unavailable.http"), "HTTP/1.0 503 Service Unavailable\r\nContent-Length: 5\r\n\r\nbusy\n",
                StandardCharsets.ISO_8859_1);
    }

    @AfterAll
    static void tearDown() {
        if (pinger != null) pinger.close();
        if (pool != null) pool.shutdownNow();
        if (clients != null) clients.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        if (servers != null) servers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    static HttpGetChecker.Url url(String path, String digest, String codes) {
        return new HttpGetChecker.Url(path, digest, codes == null ? null : StatusCodes.parse(codes), null, false, null);
    }

    static HttpGetChecker sslGet(int port, Duration timeout, boolean verify, HttpGetChecker.Url u) {
        return new HttpGetChecker(Endpoint.of("127.0.0.1", port), timeout, true, List.of(u), null, "rs.test", true,
                null, verify);
    }

    record Timed(CheckResult r, long ms) {}

    static Timed run(Checker c) throws Exception {
        long t0 = System.nanoTime();
        CheckResult r = c.check(ctx).get(60, TimeUnit.SECONDS);
        return new Timed(r, (System.nanoTime() - t0) / 1_000_000);
    }

    /** A reply that ends: judged up, in keepalived's words, well before connect_timeout. */
    static Timed assertUpFast(Checker c, String what) throws Exception {
        Timed t = run(c);
        assertThat(t.r().ok()).as(what + ": " + t.r().reason()).isTrue();
        assertThat(t.ms()).as(what + ": judged without waiting for connect_timeout").isLessThan(FAST_MS);
        return t;
    }

    static Timed assertDownFast(Checker c, FailureClass why, String what) throws Exception {
        Timed t = run(c);
        assertThat(t.r().failure()).as(what + ": " + t.r().reason()).isEqualTo(why);
        assertThat(t.ms()).as(what + ": judged without waiting for connect_timeout").isLessThan(FAST_MS);
        return t;
    }

    // ------------------------------------------------------------------------------------------- openssl s_server

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void opensslWebModesSendCloseNotifyAndWait(String tls) throws Exception {
        String digest = Genhash.of(BODY.getBytes(StandardCharsets.ISO_8859_1));
        try (OpenSsl www = new OpenSsl(dir, good, "-www", tls);
             OpenSsl files = new OpenSsl(dir, good, "-WWW", tls);
             OpenSsl http = new OpenSsl(dir, good, "-HTTP", tls)) {
            // -www: its status page (different each time: no digest), close_notify, then it waits for us
            Timed st = assertUpFast(sslGet(www.port, T, false, url("/", null, null)), "s_server -www " + tls);
            assertThat(st.r().message()).isEqualTo("HTTP status code success to [127.0.0.1]:tcp:" + www.port + " url(/)");
            // -WWW: its own 200 header, then the file
            Timed wf = assertUpFast(sslGet(files.port, T, false, url("/page.txt", digest, null)), "s_server -WWW " + tls);
            assertThat(wf.r().message()).isEqualTo("MD5 digest success to [127.0.0.1]:tcp:" + files.port + " url(/page.txt)");
            assertDownFast(sslGet(files.port, T, false, url("/page.txt", Genhash.of("other".getBytes()), null)),
                    FailureClass.HTTP_DIGEST, "s_server -WWW, wrong digest " + tls);
            // -HTTP: the file is the whole reply (Content-Length, chunked, 503)
            assertUpFast(sslGet(http.port, T, false, url("/ok.http", digest, null)), "s_server -HTTP Content-Length " + tls);
            String chunkedDigest = Genhash.of(TlsServers.chunked(BODY)); // keepalived hashes the chunked body as received
            assertUpFast(sslGet(http.port, T, false, url("/chunked.http", chunkedDigest, null)), "s_server -HTTP chunked " + tls);
            Timed busy = assertDownFast(sslGet(http.port, T, false, url("/unavailable.http", null, null)),
                    FailureClass.HTTP_STATUS, "s_server -HTTP 503 " + tls);
            assertThat(busy.r().message()).isEqualTo("HTTP status code error to server [127.0.0.1]:tcp:" + http.port + ".");
            assertThat(busy.r().detail()).contains("status_code [503]");
            assertUpFast(sslGet(http.port, T, false, url("/unavailable.http", null, "503")), "s_server -HTTP 503 accepted " + tls);

            // keepalived's reader agrees on the digests, and also ends at close_notify
            String g = TlsServers.genhash(true, files.port, "/page.txt", 10);
            if (g != null) assertThat(g).endsWith(digest);
            g = TlsServers.genhash(true, http.port, "/chunked.http", 10);
            if (g != null) assertThat(g).endsWith(chunkedDigest);
        }
    }

    /** (f) keepalived never verifies the server certificate: a self-signed one with another name is accepted. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void opensslWrongCertificate(String tls) throws Exception {
        try (OpenSsl wrong = new OpenSsl(dir, wrongCn, "-www", tls);
             OpenSsl selfSigned = new OpenSsl(dir, good, "-www", tls)) {
            assertUpFast(sslGet(wrong.port, T, false, url("/", null, null)), "wrong CN, no verification " + tls);
            Timed v = assertDownFast(sslGet(wrong.port, T, true, url("/", null, null)), FailureClass.TLS_HANDSHAKE,
                    "wrong CN, verification " + tls);
            assertThat(v.r().message())
                    .isEqualTo("SSL handshake/communication error connecting to server [127.0.0.1]:tcp:" + wrong.port + ".");
            assertDownFast(sslGet(selfSigned.port, T, true, url("/", null, null)), FailureClass.TLS_HANDSHAKE,
                    "self-signed, verification " + tls);
            String g = TlsServers.genhash(true, wrong.port, "/", 10);
            if (g != null) assertThat(g).matches("(?s).*[0-9a-f]{32}"); // keepalived: a digest, no certificate check

            // From keepalived.conf (even with a global SSL { ca } block) the director builds SSL_GET without
            // verification, as keepalived 2.2.7: director CheckerFactoryTest.sslGetFromConfigNeverVerifies.
        }
    }

    // ------------------------------------------------------------------------------------------- Netty, exact endings

    static Stream<Arguments> endings() {
        List<Arguments> a = new ArrayList<>();
        for (String tls : List.of("TLSv1.2", "TLSv1.3"))
            for (Ending e : Ending.values()) a.add(Arguments.of(tls, e));
        return a.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("endings")
    void nettyEnding(String tls, Ending ending) throws Exception {
        boolean chunked = ending == Ending.CHUNKED_KEEP_ALIVE || ending == Ending.CHUNKED_NOTIFY_CLOSE;
        String digest = Genhash.of(chunked ? TlsServers.chunked(BODY) : BODY.getBytes(StandardCharsets.ISO_8859_1));
        try (NettyWeb s = new NettyWeb(servers, good, tls, ending, BODY)) {
            String what = tls + " " + ending;
            boolean keptOpen = ending == Ending.KEEP_ALIVE_LENGTH || ending == Ending.CHUNKED_KEEP_ALIVE;
            boolean slow = keptOpen || ending == Ending.TRICKLE;
            String keepalived = TlsServers.genhash(true, s.port(), "/", slow ? 1 : 10);
            if (ending == Ending.NOTIFY_NO_REPLY) {
                // keepalived: SSL_ERROR_ZERO_RETURN before a complete header is "SSL read error from"
                Timed t = assertDownFast(sslGet(s.port(), T, false, url("/", null, null)), FailureClass.HTTP_PROTOCOL, what);
                assertThat(t.r().message()).isEqualTo("SSL read error from server [127.0.0.1]:tcp:" + s.port() + ".");
                if (keepalived != null) assertThat(keepalived).as("genhash " + what).contains("SSL read error from");
            } else if (slow) {
                // keepalived reads to the end of the stream, not to Content-Length or the last chunk: it waits for
                // its timeout and marks the server down. So does the checker. Its SSL reader also gives the whole
                // reply connect_timeout (not per read): a reply slower than that fails though never idle.
                Timed t = run(sslGet(s.port(), SHORT, false, url("/", digest, null)));
                assertThat(t.r().failure()).as(what + ": " + t.r().reason()).isEqualTo(FailureClass.READ_TIMEOUT);
                assertThat(t.r().message()).isEqualTo("Timeout SSL read server [127.0.0.1]:tcp:" + s.port() + ".");
                assertThat(t.ms()).as(what + ": waited for connect_timeout").isGreaterThanOrEqualTo(SHORT.toMillis() - 100);
                if (keepalived != null) assertThat(keepalived).as("genhash " + what).contains("Timeout SSL read");
            } else {
                // every other ending ends the reply; for keepalived's SSL reader a reset after the reply is an end of
                // stream like a FIN (SSL_ERROR_SYSCALL): what was received is judged
                Timed t = assertUpFast(sslGet(s.port(), T, false, url("/", digest, null)), what);
                assertThat(t.r().message()).isEqualTo("MD5 digest success to [127.0.0.1]:tcp:" + s.port() + " url(/)");
                if (keepalived != null) assertThat(keepalived).as("genhash " + what).endsWith(digest);
                // a failing status is judged as fast
                Timed st = assertDownFast(sslGet(s.port(), T, false, url("/status/503", null, null)),
                        FailureClass.HTTP_STATUS, what + " 503");
                assertThat(st.r().detail()).contains("status_code [503]");
            }
            assertThat(s.protocols).isNotEmpty().containsOnly(tls);
            assertThat(s.requestLines).contains("GET / HTTP/1.0");
            // the checker leaves no connection behind, whoever was meant to close it
            for (var gone : s.closed) gone.get(10, TimeUnit.SECONDS);
        }
    }

    /** (f) with the Netty server: a certificate for another name, self-signed. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void nettyWrongCertificate(String tls) throws Exception {
        try (NettyWeb s = new NettyWeb(servers, wrongCn, tls, Ending.NOTIFY_CLOSE, BODY)) {
            assertUpFast(sslGet(s.port(), T, false, url("/", Genhash.of(BODY.getBytes()), null)), "wrong CN " + tls);
            assertDownFast(sslGet(s.port(), T, true, url("/", null, null)), FailureClass.TLS_HANDSHAKE,
                    "wrong CN, verification " + tls);
        }
    }

    /** Plain HTTP_GET ends the same way as keepalived's http_read_thread: at TCP EOF only. */
    @Test
    void plainHttpReadsToEndOfStreamAsKeepalived() throws Exception {
        String digest = Genhash.of(BODY.getBytes(StandardCharsets.ISO_8859_1));
        try (NettyWeb closing = new NettyWeb(servers, null, null, Ending.CLOSE_TCP, BODY);
             NettyWeb keeping = new NettyWeb(servers, null, null, Ending.KEEP_ALIVE_LENGTH, BODY)) {
            assertUpFast(HttpGetChecker.simple(Endpoint.of("127.0.0.1", closing.port()), T, false, url("/", digest, null)),
                    "HTTP, Content-Length then FIN");
            Timed t = run(HttpGetChecker.simple(Endpoint.of("127.0.0.1", keeping.port()), SHORT, false, url("/", digest, null)));
            assertThat(t.r().failure()).as(t.r().reason()).isEqualTo(FailureClass.READ_TIMEOUT);
            assertThat(t.r().message()).isEqualTo("Timeout HTTP read server [127.0.0.1]:tcp:" + keeping.port() + ".");
            assertThat(t.ms()).isGreaterThanOrEqualTo(SHORT.toMillis() - 100);
            String g = TlsServers.genhash(false, keeping.port(), "/", 1);
            if (g != null) assertThat(g).contains("Timeout HTTP read");
            g = TlsServers.genhash(false, closing.port(), "/", 10);
            if (g != null) assertThat(g).endsWith(digest);
        }
    }
}
