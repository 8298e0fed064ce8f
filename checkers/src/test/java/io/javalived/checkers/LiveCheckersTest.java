package io.javalived.checkers;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every checker against real servers on loopback: up, and each way of being down. */
class LiveCheckersTest {
    static final Duration T = Duration.ofSeconds(2); // generous: the CI machine may be busy
    static InetAddress lo;
    static EventLoopGroup group;
    static ExecutorService pool;
    static Pinger pinger;
    static CheckContext ctx;
    @TempDir
    static Path dir;
    static TestServers.Web web, https;
    static Path keystore;

    @BeforeAll
    static void setUp() throws Exception {
        lo = InetAddress.getByName("127.0.0.1");
        Transport t = Transport.best();
        group = t.newGroup(1, "test-check");
        pool = Executors.newFixedThreadPool(2);
        pinger = new Pinger();
        ctx = new CheckContext(group.next(), t, pool, pinger);
        keystore = TestServers.keystore(dir);
        web = new TestServers.Web(lo, null);
        https = new TestServers.Web(lo, keystore);
    }

    @AfterAll
    static void tearDown() {
        if (web != null) web.close();
        if (https != null) https.close();
        pinger.close();
        pool.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** Containers often run without IPv6 on lo: the IPv6 tests then skip. */
    static boolean ipv6Loopback() throws Exception {
        java.net.NetworkInterface lo = java.net.NetworkInterface.getByName("lo");
        return lo != null && lo.inetAddresses().anyMatch(a -> a instanceof java.net.Inet6Address);
    }

    static CheckResult run(Checker c) throws Exception {
        return c.check(ctx).get(10, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- TCP
    @Test
    void tcpUpRefusedTimeout() throws Exception {
        CheckResult up = run(new TcpChecker(Endpoint.of("127.0.0.1", web.port()), T));
        assertThat(up.ok()).isTrue();
        assertThat(up.message()).isEqualTo("TCP connection to [127.0.0.1]:tcp:" + web.port() + " success.");

        int closed = TestServers.closedPort(lo);
        CheckResult ref = run(new TcpChecker(Endpoint.of("127.0.0.1", closed), T));
        assertThat(ref.failure()).isEqualTo(FailureClass.CONNECTION_REFUSED);
        assertThat(ref.message()).isEqualTo("TCP connection to [127.0.0.1]:tcp:" + closed + " failed.");

        InetAddress blockedAddr = InetAddress.getByName("127.0.0.61");
        try (TestServers.Blocked b = new TestServers.Blocked(blockedAddr)) {
            long t0 = System.nanoTime();
            CheckResult to = run(new TcpChecker(Endpoint.of("127.0.0.61", b.port()), Duration.ofMillis(300)));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(to.failure()).isEqualTo(FailureClass.CONNECT_TIMEOUT);
            assertThat(to.message()).endsWith(" timeout.");
            assertThat(ms).isBetween(250L, 3000L);
        }
    }

    @Test
    void ipv6TcpAndHttp() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ipv6Loopback(), "no ::1 on lo");
        try (TestServers.Web w6 = new TestServers.Web(InetAddress.getByName("::1"), null)) {
            CheckResult t = run(new TcpChecker(Endpoint.of("::1", w6.port()), T));
            assertThat(t.ok()).isTrue();
            assertThat(t.message()).isEqualTo("TCP connection to [::1]:tcp:" + w6.port() + " success.");
            CheckResult h = run(HttpGetChecker.simple(Endpoint.of("::1", w6.port()), T, false, url("/", null, null, null)));
            assertThat(h.ok()).as(h.reason()).isTrue();
            assertThat(w6.hostHeaders).contains("[::1]:" + w6.port());
        }
    }

    @Test
    void tcpHonoursBindto() throws Exception {
        try (var ss = new java.net.ServerSocket(0, 5, lo)) {
            var accepted = new java.util.concurrent.CompletableFuture<String>();
            Thread th = new Thread(() -> {
                try (var s = ss.accept()) {
                    accepted.complete(s.getInetAddress().getHostAddress());
                } catch (Exception e) {
                    accepted.completeExceptionally(e);
                }
            });
            th.start();
            Endpoint ep = new Endpoint(new java.net.InetSocketAddress(lo, ss.getLocalPort()),
                    InetAddress.getByName("127.0.0.77"), 0);
            assertThat(run(new TcpChecker(ep, T)).ok()).isTrue();
            assertThat(accepted.get(5, TimeUnit.SECONDS)).isEqualTo("127.0.0.77");
        }
    }

    // ---------------------------------------------------------------- HTTP_GET
    static HttpGetChecker.Url url(String path, String digest, String codes, String regex) {
        return new HttpGetChecker.Url(path, digest, codes == null ? null : StatusCodes.parse(codes),
                regex == null ? null : Pattern.compile(regex), false, null);
    }

    @Test
    void httpUpWithDigestStatusRegexAndVirtualhost() throws Exception {
        String digest = Genhash.of(TestServers.OK_BODY.getBytes());
        HttpGetChecker c = new HttpGetChecker(Endpoint.of("127.0.0.1", web.port()), T, false,
                List.of(url("/ok", digest, "200", "real serv[a-z]+"), url("/other", null, "200-299", null)),
                HttpGetChecker.HttpProtocol.HTTP_1_1, "www.example.test", false, null, false);
        CheckResult r = run(c);
        assertThat(r.ok()).as(r.reason()).isTrue();
        assertThat(web.hostHeaders).contains("www.example.test:" + web.port());
        assertThat(web.requestLines).contains("GET /ok HTTP/1.1", "GET /other HTTP/1.1");
    }

    @Test
    void httpWrongStatusDigestRegex() throws Exception {
        try (TestServers.Web w = new TestServers.Web(lo, null)) {
            Endpoint ep = Endpoint.of("127.0.0.1", w.port());
            w.status.set(503);
            CheckResult st = run(HttpGetChecker.simple(ep, T, false, url("/", null, null, null)));
            assertThat(st.failure()).isEqualTo(FailureClass.HTTP_STATUS);
            assertThat(st.message()).isEqualTo("HTTP status code error to server [127.0.0.1]:tcp:" + w.port() + ".");
            assertThat(st.detail()).isEqualTo("url(/), status_code [503]");
            // ranges: 500-503 accepts it
            assertThat(run(HttpGetChecker.simple(ep, T, false, url("/", null, "200 500-503", null))).ok()).isTrue();
            w.status.set(200);
            CheckResult dg = run(HttpGetChecker.simple(ep, T, false, url("/", Genhash.of("other".getBytes()), null, null)));
            assertThat(dg.failure()).isEqualTo(FailureClass.HTTP_DIGEST);
            assertThat(dg.detail()).contains(Genhash.of(TestServers.OK_BODY.getBytes()));
            CheckResult rx = run(HttpGetChecker.simple(ep, T, false, url("/", null, null, "not there")));
            assertThat(rx.failure()).isEqualTo(FailureClass.HTTP_REGEX);
        }
    }

    @Test
    void httpRefusedConnectTimeoutReadTimeout() throws Exception {
        int closed = TestServers.closedPort(lo);
        CheckResult ref = run(HttpGetChecker.simple(Endpoint.of("127.0.0.1", closed), T, false, url("/", null, null, null)));
        assertThat(ref.failure()).isEqualTo(FailureClass.CONNECTION_REFUSED);
        assertThat(ref.message()).isEqualTo("Error connecting server [127.0.0.1]:tcp:" + closed + ".");
        InetAddress a = InetAddress.getByName("127.0.0.62");
        try (TestServers.Blocked b = new TestServers.Blocked(a)) {
            CheckResult to = run(HttpGetChecker.simple(Endpoint.of("127.0.0.62", b.port()), Duration.ofMillis(300), false,
                    url("/", null, null, null)));
            assertThat(to.failure()).isEqualTo(FailureClass.CONNECT_TIMEOUT);
            assertThat(to.message()).startsWith("Timeout connecting server");
        }
        try (TestServers.Mute m = new TestServers.Mute(lo)) {
            CheckResult rt = run(HttpGetChecker.simple(Endpoint.of("127.0.0.1", m.port()), Duration.ofMillis(300), false,
                    url("/", null, null, null)));
            assertThat(rt.failure()).isEqualTo(FailureClass.READ_TIMEOUT);
        }
        // a slow handler beyond connect_timeout is a read timeout too
        CheckResult slow = run(HttpGetChecker.simple(Endpoint.of("127.0.0.1", web.port()), Duration.ofMillis(300), false,
                url("/slow", null, null, null)));
        assertThat(slow.failure()).isEqualTo(FailureClass.READ_TIMEOUT);
    }

    /** HTTP_GET on the raw epoll socket and on a Netty channel: the same outcome, line and detail in every case. */
    @Test
    void httpRawSocketAndChannelAgree() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(EpollAttempt.fits(ctx.loop()), "epoll transport");
        String digest = Genhash.of(TestServers.OK_BODY.getBytes());
        int closed = TestServers.closedPort(lo);
        Duration shortT = Duration.ofMillis(300);
        try (TestServers.Web w = new TestServers.Web(lo, null); TestServers.Mute m = new TestServers.Mute(lo);
             TestServers.Blocked b = new TestServers.Blocked(InetAddress.getByName("127.0.0.62"))) {
            Endpoint ep = Endpoint.of("127.0.0.1", w.port());
            List<HttpGetChecker> cases = List.of(
                    new HttpGetChecker(ep, T, false, List.of(url("/ok", digest, "200", "real serv[a-z]+"),
                            url("/other", null, "200-299", null)), HttpGetChecker.HttpProtocol.HTTP_1_1,
                            "www.example.test", false, null, false),
                    HttpGetChecker.simple(ep, T, false, url("/", Genhash.of("other".getBytes()), null, null)),
                    HttpGetChecker.simple(ep, T, false, url("/", null, null, "not there")),
                    HttpGetChecker.simple(ep, T, false, url("/", null, "300", null)),
                    HttpGetChecker.simple(Endpoint.of("127.0.0.1", closed), T, false, url("/", null, null, null)),
                    HttpGetChecker.simple(Endpoint.of("127.0.0.1", m.port()), shortT, false, url("/", null, null, null)),
                    HttpGetChecker.simple(Endpoint.of("127.0.0.62", b.port()), shortT, false, url("/", null, null, null)),
                    HttpGetChecker.simple(ep, shortT, false, url("/slow", null, null, null)));
            for (HttpGetChecker c : cases) {
                CheckResult raw = run(c);
                CheckResult channel;
                System.setProperty("javalived.httpget.channel", "true");
                try {
                    channel = run(c);
                } finally {
                    System.clearProperty("javalived.httpget.channel");
                }
                assertThat(raw).as(c.urls() + " " + c.endpoint()).isEqualTo(channel);
            }
        }
    }

    @Test
    void httpProtocols() throws Exception {
        for (String p : new String[] {"1.0", "1.0C", "1.1"}) {
            HttpGetChecker c = new HttpGetChecker(Endpoint.of("127.0.0.1", web.port()), T, false, List.of(url("/p" + p, null, null, null)),
                    HttpGetChecker.HttpProtocol.parse(p), null, false, null, false);
            assertThat(run(c).ok()).isTrue();
        }
        assertThat(web.requestLines).contains("GET /p1.0 HTTP/1.0", "GET /p1.0C HTTP/1.0", "GET /p1.1 HTTP/1.1");
    }

    // ---------------------------------------------------------------- SSL_GET
    @Test
    void sslGetUpWithSniAndDigestWithoutVerification() throws Exception {
        String digest = Genhash.of(TestServers.OK_BODY.getBytes());
        HttpGetChecker c = new HttpGetChecker(Endpoint.of("127.0.0.1", https.port()), T, true, List.of(url("/", digest, null, null)),
                null, "rs.test", true, "sni.rs.test", false);
        CheckResult r = run(c);
        assertThat(r.ok()).as(r.reason()).isTrue();
        assertThat(c.keyword()).isEqualTo("SSL_GET");
        assertThat(https.sniNames).contains("sni.rs.test");
        // enable_sni without sni_name sends the virtualhost; without enable_sni nothing
        run(new HttpGetChecker(Endpoint.of("127.0.0.1", https.port()), T, true, List.of(url("/", null, null, null)),
                null, "vhost.rs.test", true, null, false));
        assertThat(https.sniNames).contains("vhost.rs.test");
        int before = https.sniNames.size();
        run(HttpGetChecker.simple(Endpoint.of("127.0.0.1", https.port()), T, true, url("/", null, null, null)));
        assertThat(https.sniNames.subList(before, https.sniNames.size())).containsOnly("<none>");
    }

    @Test
    void sslGetHandshakeFailures() throws Exception {
        // TLS to a plain HTTP server
        CheckResult plain = run(HttpGetChecker.simple(Endpoint.of("127.0.0.1", web.port()), T, true, url("/", null, null, null)));
        assertThat(plain.failure()).isEqualTo(FailureClass.TLS_HANDSHAKE);
        assertThat(plain.message()).startsWith("SSL handshake/communication error connecting to server [127.0.0.1]:tcp:");
        // verification on: a self-signed certificate is refused
        CheckResult verify = run(new HttpGetChecker(Endpoint.of("127.0.0.1", https.port()), T, true,
                List.of(url("/", null, null, null)), null, "rs.test", true, null, true));
        assertThat(verify.failure()).isEqualTo(FailureClass.TLS_HANDSHAKE);
    }

    // ---------------------------------------------------------------- SMTP
    @Test
    void smtpUpAndErrorReplies() throws Exception {
        try (TestServers.Smtp s = new TestServers.Smtp(lo)) {
            Endpoint ep = Endpoint.of("127.0.0.1", s.port());
            CheckResult up = run(new SmtpChecker(ep, T, "director.test"));
            assertThat(up.ok()).as(up.reason()).isTrue();
            assertThat(up.message()).isEqualTo("Remote SMTP server [127.0.0.1]:tcp:" + s.port() + " succeed on service.");
            assertThat(s.received).containsExactly("HELO director.test", "QUIT");
            s.heloReply = "501 bad helo";
            CheckResult helo = run(new SmtpChecker(ep, T, null));
            assertThat(helo.failure()).isEqualTo(FailureClass.SMTP_REPLY);
            assertThat(helo.detail()).contains("HELO smtpchecker.keepalived.org").contains("501");
            s.banner = "554 no service";
            CheckResult ban = run(new SmtpChecker(ep, T, null));
            assertThat(ban.failure()).isEqualTo(FailureClass.SMTP_REPLY);
            assertThat(ban.detail()).contains("banner").contains("554");
        }
        try (TestServers.Mute m = new TestServers.Mute(lo)) {
            assertThat(run(new SmtpChecker(Endpoint.of("127.0.0.1", m.port()), Duration.ofMillis(300), null)).failure())
                    .isEqualTo(FailureClass.READ_TIMEOUT);
        }
        int closed = TestServers.closedPort(lo);
        CheckResult ref = run(new SmtpChecker(Endpoint.of("127.0.0.1", closed), T, null));
        assertThat(ref.failure()).isEqualTo(FailureClass.CONNECTION_REFUSED);
        assertThat(ref.message()).isEqualTo("SMTP_CHECK Could not connect to server [127.0.0.1]:" + closed);
    }

    // ---------------------------------------------------------------- UDP
    @Test
    void udpReplyNoReplyRefused() throws Exception {
        try (TestServers.UdpEcho u = new TestServers.UdpEcho(lo)) {
            Endpoint ep = Endpoint.of("127.0.0.1", u.port());
            UdpChecker c = new UdpChecker(ep, Duration.ofMillis(400), "hi".getBytes(), true, 4, 20, "pong".getBytes());
            CheckResult up = run(c);
            assertThat(up.ok()).as(up.reason()).isTrue();
            assertThat(up.message()).isEqualTo("UDP connection to [127.0.0.1]:tcp:" + u.port() + " success."); // the VS protocol, as keepalived
            assertThat(run(new UdpChecker(ep, Duration.ofMillis(400), "hi".getBytes(), true, 0, 3, null)).failure())
                    .isEqualTo(FailureClass.UDP_REPLY); // reply longer than max
            u.silent = true;
            CheckResult none = run(c);
            assertThat(none.failure()).isEqualTo(FailureClass.UDP_REPLY);
            assertThat(none.detail()).startsWith("no reply");
            // silence is fine without require_reply
            assertThat(run(new UdpChecker(ep, Duration.ofMillis(200), "hi".getBytes(), false, 0, 0, null)).ok()).isTrue();
        }
        int closed;
        try (var ds = new java.net.DatagramSocket(0, lo)) {
            closed = ds.getLocalPort();
        }
        CheckResult ref = run(new UdpChecker(Endpoint.of("127.0.0.1", closed), Duration.ofMillis(400), "x".getBytes(), false, 0, 0, null));
        assertThat(ref.failure()).isEqualTo(FailureClass.CONNECTION_REFUSED);
    }

    // ---------------------------------------------------------------- DNS
    @Test
    void dnsWithDnsmasq() throws Exception {
        int port = 20000 + (int) (ProcessHandle.current().pid() % 20000);
        try (TestServers.Dnsmasq d = new TestServers.Dnsmasq("127.0.0.53", port, dir)) {
            Endpoint ep = Endpoint.of("127.0.0.53", port);
            CheckResult up = run(new DnsChecker(ep, T, "A", "up.test"));
            assertThat(up.ok()).as(up.reason()).isTrue();
            assertThat(run(new DnsChecker(ep, T, "A", "rec.test")).ok()).isTrue();
            CheckResult nodata = run(new DnsChecker(ep, T, "MX", "up.test"));
            assertThat(nodata.failure()).isEqualTo(FailureClass.DNS_ANSWER);
            CheckResult missing = run(new DnsChecker(ep, T, "A", "missing.test"));
            assertThat(missing.message()).doesNotContain("failed to read socket");
            assertThat(missing.failure()).isEqualTo(FailureClass.DNS_ANSWER);
            assertThat(missing.message()).startsWith("DNS_CHECK ([127.0.0.53]:tcp:" + port + ") ");
        }
        // dnsmasq gone: the port is closed -> refused, in keepalived's words
        CheckResult gone = run(new DnsChecker(Endpoint.of("127.0.0.53", port), T, "A", "up.test"));
        assertThat(gone.failure()).isEqualTo(FailureClass.CONNECTION_REFUSED);
        assertThat(gone.message()).isEqualTo("DNS_CHECK ([127.0.0.53]:tcp:" + port + ") failed to read socket; errno 111 (Connection refused)");
    }

    // ---------------------------------------------------------------- MISC
    @Test
    void miscExitCodesTimeoutAndUser() throws Exception {
        String rsVs = "[127.0.0.1]:tcp:80 VS [10.0.0.1]:tcp:80";
        assertThat(run(new MiscChecker("/bin/true", T, false, null, null, rsVs)).ok()).isTrue();
        CheckResult one = run(new MiscChecker("/bin/sh -c 'exit 1'", T, false, null, null, rsVs, 0));
        assertThat(one.failure()).isEqualTo(FailureClass.SCRIPT_EXIT);
        // keepalived 2.2.7 prints the resolved program and "with retry disabled" for retry 0
        assertThat(one.message()).isEqualTo("Misc check for [" + rsVs + "] by ["
                + java.nio.file.Path.of("/bin/sh").toRealPath() + "] failed with retry disabled (exited with status 1).");
        CheckResult dyn = run(new MiscChecker("/bin/sh -c 'exit 12'", T, true, null, null, rsVs));
        assertThat(dyn.ok()).isTrue();
        assertThat(dyn.weight().getAsInt()).isEqualTo(10);
        long t0 = System.nanoTime();
        CheckResult slow = run(new MiscChecker("sleep 5", Duration.ofMillis(300), false, null, null, rsVs, 0));
        assertThat(slow.failure()).isEqualTo(FailureClass.SCRIPT_TIMEOUT);
        assertThat(slow.message()).endsWith("by [" + java.nio.file.Path.of("/bin/sleep").toRealPath() + "] timed out with retry disabled.");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3000);
        CheckResult missing = run(new MiscChecker("/nonexistent/script", T, false, null, null, rsVs));
        assertThat(missing.failure()).isEqualTo(FailureClass.SCRIPT_ERROR);
        // user: the script sees uid of nobody
        Path shared = Files.createTempDirectory("jvck");
        shared.toFile().setWritable(true, false);
        shared.toFile().setExecutable(true, false);
        Path f = shared.resolve("uid.out");
        CheckResult u = run(new MiscChecker("/bin/sh -c 'id -u > " + f + "'", Duration.ofSeconds(3), false, "nobody", null, rsVs));
        if (new com.sun.security.auth.module.UnixSystem().getUid() == 0) {
            assertThat(u.ok()).as(u.reason()).isTrue();
            assertThat(Files.readString(f).trim()).isEqualTo("65534");
        }
        Files.deleteIfExists(f);
        Files.deleteIfExists(shared);
    }

    // ---------------------------------------------------------------- FILE
    @Test
    void fileCheck() throws Exception {
        Path f = dir.resolve("track");
        FileChecker c = new FileChecker(f, 0, false);
        assertThat(run(c).ok()).isTrue(); // missing = 0
        Files.writeString(f, "1\n");
        assertThat(run(c).failure()).isEqualTo(FailureClass.FILE_DOWN);
        Files.writeString(f, "0\n");
        assertThat(run(c).ok()).isTrue();
    }

    // ---------------------------------------------------------------- PING
    @Test
    void pingLoopbackV4AndV6() throws Exception {
        CheckResult r = run(new PingChecker(lo, T));
        assertThat(r.ok()).as(r.reason()).isTrue();
        assertThat(r.message()).isEqualTo("ICMP connection to 127.0.0.1 success.");
        if (ipv6Loopback()) assertThat(run(new PingChecker(InetAddress.getByName("::1"), T)).ok()).isTrue();
    }
}
