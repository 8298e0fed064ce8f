package io.javalived.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The HTTP side on loopback: /metrics, /, 404, 405, gzip; address parsing and errors. */
class MetricsServerTest {
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpResponse<byte[]> get(int port, String path, String method, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void servesMetricsAndAnIndexAndNothingElse() throws Exception {
        Fixtures.FakeSource src = new Fixtures.FakeSource(Fixtures.status(), Fixtures.table());
        try (MetricsServer s = MetricsServer.open(src, "127.0.0.1:0")) {
            HttpResponse<byte[]> r = get(s.port(), "/metrics", "GET");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            String text = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
            ExpositionParser.Exposition e = ExpositionParser.parse(text);
            assertThat(e.value("javalived_real_server_up", "real_server", "10.0.0.2:80")).isEqualTo(1);
            assertThat(src.statusCalls.get()).isEqualTo(1);

            HttpResponse<byte[]> gz = get(s.port(), "/metrics", "GET", "Accept-Encoding", "gzip");
            assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
            String unzipped = new String(new GZIPInputStream(new java.io.ByteArrayInputStream(gz.body()))
                    .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(ExpositionParser.parse(unzipped).value("keepalived_up")).isEqualTo(1);

            HttpResponse<byte[]> index = get(s.port(), "/", "GET");
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(new String(index.body())).contains("<a href=\"/metrics\">");

            assertThat(get(s.port(), "/metrics/x", "GET").statusCode()).isEqualTo(404);
            assertThat(get(s.port(), "/favicon.ico", "GET").statusCode()).isEqualTo(404);
            HttpResponse<byte[]> post = get(s.port(), "/metrics", "POST");
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
            HttpResponse<byte[]> head = get(s.port(), "/metrics", "HEAD");
            assertThat(head.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void closeStopsListening() throws Exception {
        MetricsServer s = MetricsServer.open(new Fixtures.FakeSource(Fixtures.status(), null), "127.0.0.1:0");
        int port = s.port();
        s.close();
        assertThatThrownBy(() -> get(port, "/metrics", "GET")).isInstanceOf(IOException.class);
    }

    @Test
    void aBusyPortIsAnIoExceptionNamingTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            String addr = "127.0.0.1:" + taken.getLocalPort();
            assertThatThrownBy(() -> MetricsServer.start(new Fixtures.FakeSource(null, null), addr))
                    .isInstanceOf(IOException.class).hasMessageContaining(addr);
        }
    }

    @Test
    void addresses() {
        InetSocketAddress a = MetricsServer.parseAddress("127.0.0.1:9650");
        assertThat(a.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(a.getPort()).isEqualTo(9650);
        InetSocketAddress b = MetricsServer.parseAddress("[::1]:9651");
        assertThat(b.getAddress()).isInstanceOf(Inet6Address.class);
        assertThat(b.getAddress().isLoopbackAddress()).isTrue();
        assertThat(b.getPort()).isEqualTo(9651);
        InetSocketAddress c = MetricsServer.parseAddress(":9652");
        assertThat(c.getAddress().isAnyLocalAddress()).isTrue();
        assertThat(MetricsServer.parseAddress(" 10.1.2.3:0 ").getPort()).isZero();
        String[] bad = {"127.0.0.1", "127.0.0.1:", "127.0.0.1:http", "127.0.0.1:65536", "::1:9650", "[::1]9650",
            "[::1]", "[10.0.0.1]:80", "[]:80", "127.0.0.1:-1", "no-such-host.invalid:9650"};
        for (String s : bad) {
            assertThatThrownBy(() -> MetricsServer.parseAddress(s)).as(s)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad metrics address '" + s)
                    .hasMessageContaining("ADDR:PORT");
        }
    }

    @Test
    void ipv6Loopback() throws Exception {
        try (MetricsServer s = MetricsServer.open(new Fixtures.FakeSource(Fixtures.status(), null), "[::1]:0")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://[::1]:" + s.port()
                    + "/metrics")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(ExpositionParser.parse(r.body()).value("keepalived_up")).isEqualTo(1);
        }
    }
}
