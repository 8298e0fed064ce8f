package io.javalived.checkers;

import io.javalived.inet.InetText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PureLogicTest {
    @Test
    void addressesAsKeepalivedAndStatusWriteThem() throws Exception {
        InetAddress v6 = InetAddress.getByName("fd00:0:0:0:0:0:0:2");
        assertThat(InetText.ip(v6)).isEqualTo("fd00::2");
        assertThat(InetText.trio(v6, "tcp", 80)).isEqualTo("[fd00::2]:tcp:80");
        assertThat(InetText.hostPort(v6, 80)).isEqualTo("[fd00::2]:80");
        assertThat(InetText.hostPort(InetAddress.getByName("10.0.0.2"), 80)).isEqualTo("10.0.0.2:80");
    }

    @Test
    void statusCodesListsRangesAndDefault() {
        StatusCodes d = StatusCodes.parse(List.of());
        assertThat(d.matches(200)).isTrue();
        assertThat(d.matches(299)).isTrue();
        assertThat(d.matches(300)).isFalse();
        assertThat(d.matches(199)).isFalse();
        StatusCodes s = StatusCodes.parse("200", "301-303", "404 500-502");
        assertThat(s.matches(200)).isTrue();
        assertThat(s.matches(201)).isFalse();
        assertThat(s.matches(301)).isTrue();
        assertThat(s.matches(302)).isTrue();
        assertThat(s.matches(303)).isTrue();
        assertThat(s.matches(304)).isFalse();
        assertThat(s.matches(404)).isTrue();
        assertThat(s.matches(501)).isTrue();
        assertThat(s.matches(-1)).isFalse();
        assertThat(s.matches(1000)).isFalse();
        assertThat(s.toString()).isEqualTo("200 301-303 404 500-502");
        for (String bad : new String[] {"99", "1000", "abc", "300-200", "200-"})
            assertThatThrownBy(() -> StatusCodes.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("status code");
    }

    @Test
    void genhashIsMd5OfTheBodyOnly() {
        // md5("hello\n") = b1946ac92492d2347c6235b4d2611184
        assertThat(Genhash.of("hello\n".getBytes())).isEqualTo("b1946ac92492d2347c6235b4d2611184");
        String resp = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nhello\n";
        assertThat(Genhash.ofResponse(resp.getBytes())).isEqualTo("b1946ac92492d2347c6235b4d2611184");
        // Content-Length limits the digest; bare-LF header ends work too
        assertThat(Genhash.ofResponse("HTTP/1.1 200 OK\nContent-Length: 6\n\nhello\nTRAILING".getBytes()))
                .isEqualTo("b1946ac92492d2347c6235b4d2611184");
        // md5("") = d41d8cd98f00b204e9800998ecf8427e
        assertThat(Genhash.ofResponse("HTTP/1.0 204 No Content\r\n\r\n".getBytes()))
                .isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(Genhash.normalise("B1946AC92492D2347C6235B4D2611184")).isEqualTo("b1946ac92492d2347c6235b4d2611184");
        assertThatThrownBy(() -> Genhash.normalise("xyz")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parserByteAtATimeEqualsWhole() {
        byte[] r = "HTTP/1.1 503 Busy\r\nX: y\r\n\r\n<html>down</html>".getBytes(StandardCharsets.ISO_8859_1);
        HttpResponseParser p = new HttpResponseParser(true);
        for (int i = 0; i < r.length; i++) p.feed(r, i, 1);
        p.end();
        assertThat(p.statusCode()).isEqualTo(503);
        assertThat(p.bodyText()).isEqualTo("<html>down</html>");
        assertThat(p.digest()).isEqualTo(Genhash.of("<html>down</html>".getBytes()));
        HttpResponseParser bad = new HttpResponseParser(false);
        bad.feed("SSH-2.0-OpenSSH\r\n\r\n".getBytes(), 0, 19);
        assertThat(bad.error()).contains("not an HTTP response");
    }

    /**
     * The in-place header parser reads what String parsing of the same header reads (the way it was written before:
     * status = the word after the first space, trimmed, Integer.parseInt; Content-Length by name, trimmed and
     * case-insensitive, Long.parseLong or ignored), over fixed odd cases and random headers fed in random pieces.
     */
    @Test
    void headerParsedInPlaceAsStringParsingReadsIt() {
        List<String> heads = new java.util.ArrayList<>(List.of(
                "HTTP/1.0 200 OK\r\n\r\n", "HTTP/1.1 404\r\n\r\n", "HTTP/1.0  200 OK\r\n\r\n",
                "HTTP/1.0\r\n\r\n", "HTTP/1.0 +200 OK\n\n", "HTTP/1.0 -1 x\r\n\r\n", "HTTP/1.0 2147483648 big\r\n\r\n",
                "HTTP/1.0 2147483647 max\r\n\r\n", "HTTP/1.0 \t301\t moved\r\n\r\n", "HTTP/1.0 20x OK\r\n\r\n",
                "http/1.0 200 OK\r\n\r\n", "HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\n",
                "HTTP/1.0 200 OK\r\ncontent-LENGTH:7\n\n", "HTTP/1.0 200 OK\r\n  Content-Length  :  12 \r\n\r\n",
                "HTTP/1.0 200 OK\r\nContent-Length: x\r\n\r\n", "HTTP/1.0 200 OK\r\nContent-Length: -4\r\n\r\n",
                "HTTP/1.0 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
                "HTTP/1.0 200 OK\r\nContent-Length: 123456789012345678\r\n\r\n",
                "HTTP/1.0 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                "HTTP/1.0 200 OK\r\nContent-Lengthx: 1\r\n:\r\nX\r\n\r\n", "HTTP/1.0 200 OK\r\nContent-Length:\r\n\r\n"));
        SplittableRandom rnd = new SplittableRandom(16);
        String[] names = {"Content-Length", "content-length", " CONTENT-length ", "Content-Type", "X", "Content-Lengt"};
        String[] values = {"3", " 42 ", "+5", "-0", "", "1e3", "00017", "9223372036854775807", "9223372036854775808", "9300000000000000000", "\t8"};
        String[] status = {"HTTP/1.0 200 OK", "HTTP/1.1 503 Busy", "HTTP/1.0 200", "HTTP/1.0", "HTTP/1.1 2OO x", "SSH-2.0"};
        for (int i = 0; i < 500; i++) {
            StringBuilder h = new StringBuilder(status[rnd.nextInt(status.length)]).append(rnd.nextBoolean() ? "\r\n" : "\n");
            for (int k = rnd.nextInt(4); k > 0; k--)
                h.append(names[rnd.nextInt(names.length)]).append(':').append(values[rnd.nextInt(values.length)])
                        .append(rnd.nextBoolean() ? "\r\n" : "\n");
            heads.add(h.append(rnd.nextBoolean() ? "\r\n" : "\n").toString());
        }
        for (String head : heads) {
            byte[] b = (head + "body").getBytes(StandardCharsets.ISO_8859_1);
            HttpResponseParser p = new HttpResponseParser(true);
            for (int off = 0; off < b.length; ) { // random pieces
                int n = Math.min(b.length - off, 1 + rnd.nextInt(8));
                p.feed(b, off, n);
                off += n;
            }
            String h = head.substring(0, head.length() - (head.endsWith("\r\n\r\n") ? 2 : 1));
            int eol = h.indexOf('\n');
            String st = stripCr(h, 0, eol < 0 ? h.length() : eol);
            String why = head.replace("\r", "\\r").replace("\n", "\\n");
            if (!st.startsWith("HTTP/")) {
                assertThat(p.error()).as(why).startsWith("not an HTTP response");
                continue;
            }
            Integer code;
            try {
                code = Integer.parseInt(st.split(" ", 3)[1].trim());
            } catch (RuntimeException e) {
                code = null;
            }
            if (code == null) {
                assertThat(p.error()).as(why).startsWith("bad status line");
                continue;
            }
            long length = -1;
            for (int from = eol + 1; eol >= 0 && from < h.length(); from = eol + 1) {
                eol = h.indexOf('\n', from);
                String l = stripCr(h, from, eol < 0 ? h.length() : eol);
                int c = l.indexOf(':');
                if (c > 0 && l.substring(0, c).trim().equalsIgnoreCase("content-length")) {
                    try {
                        length = Long.parseLong(l.substring(c + 1).trim());
                    } catch (NumberFormatException e) {
                        length = -1;
                    }
                }
            }
            assertThat(p.error()).as(why).isNull();
            assertThat(p.statusCode()).as(why).isEqualTo(code);
            assertThat(p.contentLength()).as(why).isEqualTo(length);
        }
    }

    private static String stripCr(String h, int from, int to) {
        if (to < h.length() && to > from && h.charAt(to - 1) == '\r') to--;
        return h.substring(from, to);
    }

    private static HttpGetChecker http(HttpGetChecker.Url u) {
        return HttpGetChecker.simple(Endpoint.of("10.0.0.2", 80), Duration.ofSeconds(1), false, u);
    }

    private static HttpResponseParser parsed(String s) {
        HttpResponseParser p = new HttpResponseParser(true);
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        p.feed(b, 0, b.length);
        return p;
    }

    @Test
    void httpJudgeInKeepalivedOrderWithItsWords() {
        HttpGetChecker.Url url = new HttpGetChecker.Url("/", null, StatusCodes.parse("200"), null, false, null);
        CheckResult r = http(url).judge(url, parsed("HTTP/1.0 503 Service Unavailable\r\n\r\n"));
        assertThat(r.failure()).isEqualTo(FailureClass.HTTP_STATUS);
        assertThat(r.message()).isEqualTo("HTTP status code error to server [10.0.0.2]:tcp:80.");
        assertThat(r.detail()).isEqualTo("url(/), status_code [503]");

        HttpGetChecker.Url dig = new HttpGetChecker.Url("/x", Genhash.of("ok".getBytes()), null, null, false, null);
        assertThat(http(dig).judge(dig, parsed("HTTP/1.0 200 OK\r\n\r\nok")).ok()).isTrue();
        CheckResult d = http(dig).judge(dig, parsed("HTTP/1.0 200 OK\r\n\r\nKO"));
        assertThat(d.failure()).isEqualTo(FailureClass.HTTP_DIGEST);
        assertThat(d.message()).isEqualTo("MD5 digest error to server [10.0.0.2]:tcp:80.");

        HttpGetChecker.Url rx = new HttpGetChecker.Url("/", null, null, Pattern.compile("st[a-z]+us: ok"), false, null);
        assertThat(http(rx).judge(rx, parsed("HTTP/1.0 200 OK\r\n\r\nstatus: ok")).message())
                .isEqualTo("Regex match success to [10.0.0.2]:tcp:80 url(/)");
        assertThat(http(rx).judge(rx, parsed("HTTP/1.0 200 OK\r\n\r\nstatus: bad")).failure())
                .isEqualTo(FailureClass.HTTP_REGEX);
        HttpGetChecker.Url nrx = new HttpGetChecker.Url("/", null, null, Pattern.compile("error"), true, null);
        assertThat(http(nrx).judge(nrx, parsed("HTTP/1.0 200 OK\r\n\r\nerror")).failure()).isEqualTo(FailureClass.HTTP_REGEX);
        assertThat(http(nrx).judge(nrx, parsed("HTTP/1.0 200 OK\r\n\r\nfine")).ok()).isTrue();
        // status wins over digest
        assertThat(http(dig).judge(dig, parsed("HTTP/1.0 500 X\r\n\r\nKO")).failure()).isEqualTo(FailureClass.HTTP_STATUS);
        // nothing received
        assertThat(http(url).judge(url, parsed("")).failure()).isEqualTo(FailureClass.HTTP_PROTOCOL);
    }

    @Test
    void httpRequestPerProtocolAndVirtualhost() {
        HttpGetChecker.Url u = HttpGetChecker.Url.of("/health");
        HttpGetChecker c10 = http(u);
        assertThat(c10.request(u)).isEqualTo("GET /health HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: 10.0.0.2\r\n\r\n");
        HttpGetChecker c11 = new HttpGetChecker(Endpoint.of("10.0.0.2", 8080), Duration.ofSeconds(1), false, List.of(u),
                HttpGetChecker.HttpProtocol.parse("1.1"), "www.example.com", false, null, false);
        assertThat(c11.request(u)).isEqualTo("GET /health HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\n"
                + "Host: www.example.com:8080\r\nConnection: close\r\n\r\n");
        HttpGetChecker c10c = new HttpGetChecker(Endpoint.of("::1", 80), Duration.ofSeconds(1), false, List.of(u),
                HttpGetChecker.HttpProtocol.parse("1.0C"), null, false, null, false);
        assertThat(c10c.request(u)).isEqualTo("GET /health HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\n"
                + "Host: [::1]\r\nConnection: close\r\n\r\n");
        assertThatThrownBy(() -> HttpGetChecker.HttpProtocol.parse("2")).hasMessageContaining("invalid HTTP protocol");
    }

    @Test
    void spreadIsEvenAndWarmupRandomWithinBound() {
        long period = 1_000_000_000L;
        int n = 10_000, buckets = 100;
        int[] hist = new int[buckets];
        for (int i = 0; i < n; i++) {
            long off = Spread.firstOffsetNanos(i, period, 0, 0.37);
            assertThat(off).isBetween(0L, period - 1);
            hist[(int) (off * buckets / period)]++;
        }
        for (int h : hist) assertThat(h).isBetween(n / buckets - 3, n / buckets + 3); // no 10 ms window is a burst
        // any prefix is spread too (probes added one by one)
        int[] small = new int[10];
        for (int i = 0; i < 20; i++) small[(int) (Spread.firstOffsetNanos(i, period, 0, 0.0) * 10 / period)]++;
        for (int h : small) assertThat(h).isBetween(1, 3);
        SplittableRandom r = new SplittableRandom(7);
        int[] w = new int[10];
        double rot = Spread.rotation(r);
        for (int i = 0; i < 1000; i++) {
            long off = Spread.firstOffsetNanos(i, period, 300_000_000L, rot);
            assertThat(off).isBetween(0L, 300_000_000L - 1);
            w[(int) (off / 30_000_000L)]++;
        }
        for (int h : w) assertThat(h).isBetween(97, 103);
    }

    @Test
    void latenessPercentiles() {
        Lateness l = new Lateness();
        assertThat(l.percentileNanos(50)).isZero();
        for (int i = 0; i < 99; i++) l.record(50_000); // 0.05 ms -> first bucket
        l.record(5_000_000_000L);
        assertThat(l.count()).isEqualTo(100);
        assertThat(l.percentileNanos(50)).isEqualTo(100_000);
        assertThat(l.percentileNanos(99)).isEqualTo(100_000);
        assertThat(l.percentileNanos(100)).isEqualTo(5_000_100_000L);
        l.record(-5);
        l.record(Long.MAX_VALUE);
        assertThat(l.count()).isEqualTo(102);
    }

    @Test
    void miscPathSplitAndExitMapping() {
        assertThat(MiscChecker.split("/usr/bin/check -a 'b c' \"d \\\"e\\\"\" f\\ g"))
                .containsExactly("/usr/bin/check", "-a", "b c", "d \"e\"", "f g");
        assertThat(MiscChecker.split("  ")).isEmpty();
        MiscChecker plain = new MiscChecker("/bin/x", Duration.ofSeconds(1), false, null, null, "[10.0.0.2]:tcp:80 VS [10.0.0.1]:tcp:80");
        MiscChecker dyn = new MiscChecker("/bin/x", Duration.ofSeconds(1), true, null, null, "[10.0.0.2]:tcp:80 VS [10.0.0.1]:tcp:80");
        assertThat(plain.judge(0).ok()).isTrue();
        assertThat(plain.judge(1).failure()).isEqualTo(FailureClass.SCRIPT_EXIT);
        assertThat(plain.judge(1).message())
                .isEqualTo("Misc check for [[10.0.0.2]:tcp:80 VS [10.0.0.1]:tcp:80] by [/bin/x] failed (exited with status 1).");
        assertThat(plain.judge(7).ok()).isFalse();
        assertThat(dyn.judge(0).weight()).isEmpty();
        assertThat(dyn.judge(1).ok()).isFalse();
        for (int st = 2; st <= 255; st++) {
            CheckResult r = dyn.judge(st);
            assertThat(r.ok()).isTrue();
            assertThat(r.weight().getAsInt()).isEqualTo(st - 2);
        }
        assertThat(new MiscChecker("/bin/x", Duration.ofSeconds(1), false, "nobody", null, "").command())
                .containsExactly("runuser", "-u", "nobody", "--", "/bin/x");
    }

    @Test
    void fileCheckSemantics() {
        FileChecker w0 = new FileChecker(Path.of("/tmp/x"), 0, false);
        assertThat(w0.judge(null).ok()).isTrue();
        assertThat(w0.judge("0\n").ok()).isTrue();
        assertThat(w0.judge("1").failure()).isEqualTo(FailureClass.FILE_DOWN);
        FileChecker w = new FileChecker(Path.of("/tmp/x"), 10, false);
        assertThat(w.judge("5").weight().getAsInt()).isEqualTo(50);
        assertThat(w.judge("-30").ok()).isFalse(); // -300 <= -254
        assertThat(w.judge("-25").weight().getAsInt()).isEqualTo(-250);
        FileChecker rev = new FileChecker(Path.of("/tmp/x"), 10, true);
        assertThat(rev.judge("30").ok()).isFalse();
    }

    @Test
    void dnsQueryAndReplyJudgement() {
        byte[] q = DnsMessage.query(0x1234, "www.example.com", DnsMessage.type("A"));
        assertThat(q.length).isEqualTo(12 + 17 + 4);
        assertThat(q[2]).isEqualTo((byte) 1);
        // build a reply: copy query, set QR, ANCOUNT=1, add A answer with a compressed name
        byte[] ans = {(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 1};
        byte[] r = new byte[q.length + ans.length];
        System.arraycopy(q, 0, r, 0, q.length);
        System.arraycopy(ans, 0, r, q.length, ans.length);
        r[2] |= (byte) 0x80;
        r[7] = 1;
        assertThat(DnsMessage.problem(r, r.length, 0x1234, 1)).isNull();
        assertThat(DnsMessage.problem(r, r.length, 0x1235, 1)).isEqualTo("ID mismatch");
        assertThat(DnsMessage.problem(r, r.length, 0x1234, 28)).isEqualTo("no answer of the queried type");
        byte[] nx = q.clone();
        nx[2] |= (byte) 0x80;
        nx[3] = 3;
        assertThat(DnsMessage.problem(nx, nx.length, 0x1234, 1)).isEqualTo("RCODE NXDOMAIN");
        byte[] empty = q.clone();
        empty[2] |= (byte) 0x80;
        assertThat(DnsMessage.problem(empty, empty.length, 0x1234, 1)).isEqualTo("no answer");
        assertThat(DnsMessage.problem(r, 5, 0x1234, 1)).startsWith("short");
        assertThat(DnsMessage.query(1, ".", 2).length).isEqualTo(12 + 1 + 4);
        assertThatThrownBy(() -> DnsMessage.type("BOGUS")).hasMessageContaining("Unknown DNS check type");
    }

    @Test
    void udpJudgement() {
        UdpChecker req = new UdpChecker(Endpoint.of("127.0.0.1", 9), Duration.ofMillis(100), "ping".getBytes(), true, 2, 10,
                "po".getBytes());
        assertThat(req.judge(null).failure()).isEqualTo(FailureClass.UDP_REPLY);
        assertThat(req.judge("pong".getBytes()).ok()).isTrue();
        assertThat(req.judge("p".getBytes()).ok()).isFalse();
        assertThat(req.judge("pong-pong-pong".getBytes()).ok()).isFalse();
        assertThat(req.judge("xxxx".getBytes()).message()).contains("reply data mismatch");
        UdpChecker lax = new UdpChecker(Endpoint.of("127.0.0.1", 9), Duration.ofMillis(100), null, false, 0, 0, null);
        assertThat(lax.judge(null).ok()).isTrue();
    }

    @Test
    void keepalivedAddressFormats() throws Exception {
        assertThat(InetText.trio(InetAddress.getByName("10.0.0.2"), "tcp", 80)).isEqualTo("[10.0.0.2]:tcp:80");
        assertThat(InetText.trio(InetAddress.getByName("2001:db8:0:0:0:0:0:1"), "tcp", 443)).isEqualTo("[2001:db8::1]:tcp:443");
        assertThat(InetText.ip(InetAddress.getByName("::1"))).isEqualTo("::1");
        assertThat(InetText.ip(InetAddress.getByName("2001:db8:1:0:0:1:0:0"))).isEqualTo("2001:db8:1::1:0:0");
        assertThat(InetText.pair(InetAddress.getByName("10.0.0.2"), 80)).isEqualTo("[10.0.0.2]:80");
    }

    @Test
    void identitiesDistinguishWhatMatters() {
        TcpChecker a = new TcpChecker(Endpoint.of("10.0.0.2", 80), Duration.ofSeconds(3));
        TcpChecker b = new TcpChecker(Endpoint.of("10.0.0.2", 80), Duration.ofSeconds(3));
        TcpChecker c = new TcpChecker(Endpoint.of("10.0.0.2", 81), Duration.ofSeconds(3));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
        // arrays and patterns compare by content, so equal checkers share one probe
        UdpChecker u1 = new UdpChecker(Endpoint.of("10.0.0.2", 53), Duration.ofSeconds(1), new byte[] {1, 2}, true, 0, 0,
                new byte[] {1}, new byte[] {(byte) 0xf0});
        UdpChecker u2 = new UdpChecker(Endpoint.of("10.0.0.2", 53), Duration.ofSeconds(1), new byte[] {1, 2}, true, 0, 0,
                new byte[] {1}, new byte[] {(byte) 0xf0});
        UdpChecker u3 = new UdpChecker(Endpoint.of("10.0.0.2", 53), Duration.ofSeconds(1), new byte[] {1, 3}, true, 0, 0,
                new byte[] {1}, new byte[] {(byte) 0xf0});
        assertThat(u1).isEqualTo(u2).hasSameHashCodeAs(u2).isNotEqualTo(u3);
        HttpGetChecker.Url r1 = new HttpGetChecker.Url("/", null, null, java.util.regex.Pattern.compile("ok"), false, null);
        HttpGetChecker.Url r2 = new HttpGetChecker.Url("/", null, null, java.util.regex.Pattern.compile("ok"), false, null);
        HttpGetChecker.Url r3 = new HttpGetChecker.Url("/", null, null, java.util.regex.Pattern.compile("ko"), false, null);
        assertThat(r1).isEqualTo(r2).hasSameHashCodeAs(r2).isNotEqualTo(r3);
        CheckTiming t = CheckTiming.defaults();
        assertThat(new CheckScheduler.ProbeKey(a, t)).isEqualTo(new CheckScheduler.ProbeKey(b, t))
                .isNotEqualTo(new CheckScheduler.ProbeKey(a, t.withAlpha(true)));
    }
}
