package io.javalived.daemon.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javalived.director.status.StatusSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * Prometheus {@code /metrics} over HTTP (the JDK's server): {@code GET /metrics} answers the exposition in text format
 * 0.0.4 (gzip when the scraper accepts it), {@code GET /} a small page linking it, anything else 404. Every scrape
 * reads the daemon once ({@link StatusMetrics}).
 */
public final class MetricsServer implements AutoCloseable {
    /** Where {@code javalived run} listens by default (keepalived_exporter's port). */
    public static final String DEFAULT_ADDRESS = "127.0.0.1:9650";
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final System.Logger LOG = System.getLogger("io.javalived.metrics");

    private final HttpServer server;
    private final ExecutorService executor;
    private final StatusMetrics metrics;

    private MetricsServer(HttpServer server, ExecutorService executor, StatusMetrics metrics) {
        this.server = server;
        this.executor = executor;
        this.metrics = metrics;
    }

    /**
     * Listens on {@code address} and serves {@code source}'s state.
     *
     * @param address {@code ADDR:PORT}, {@code [IPv6]:PORT}, {@code :PORT} (every address); null for the default
     * @throws IllegalArgumentException when the address cannot be parsed
     * @throws IOException              when it cannot listen there (in use, not local...)
     */
    public static AutoCloseable start(StatusSource source, String address) throws IOException {
        return open(source, address);
    }

    /** As {@link #start}, with the concrete type (tests read {@link #port()}). */
    static MetricsServer open(StatusSource source, String address) throws IOException {
        InetSocketAddress bind = parseAddress(address == null ? DEFAULT_ADDRESS : address);
        HttpServer server;
        try {
            server = HttpServer.create(bind, 16);
        } catch (BindException e) {
            throw new IOException("cannot listen on " + show(bind) + ": " + e.getMessage(), e);
        }
        AtomicInteger n = new AtomicInteger();
        // two threads: a client that connects and stalls must not hold up the scraper
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "metrics-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        MetricsServer ms = new MetricsServer(server, executor, new StatusMetrics(source, true));
        server.createContext("/", ms::handle);
        server.setExecutor(executor);
        server.start();
        LOG.log(System.Logger.Level.INFO, "Metrics: serving http://" + show(ms.address()) + "/metrics");
        return ms;
    }

    /** The bound address (the actual port when 0 was asked). */
    InetSocketAddress address() {
        return server.getAddress();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /**
     * Parses {@code ADDR:PORT}, {@code [IPv6]:PORT} or {@code :PORT}. The host may be a name (resolved once).
     *
     * @throws IllegalArgumentException with what is wrong and the accepted forms
     */
    static InetSocketAddress parseAddress(String text) {
        String s = text.trim();
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw bad(text, "an IPv6 address goes in brackets followed by :PORT");
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
            if (host.isEmpty() || host.indexOf(':') < 0) {
                throw bad(text, "'" + host + "' in brackets is not an IPv6 address");
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon < 0) {
                throw bad(text, "the port is missing");
            }
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw bad(text, "put an IPv6 address in brackets");
            }
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw bad(text, "'" + port + "' is not a port number");
        }
        if (p < 0 || p > 65535) {
            throw bad(text, "port " + p + " is out of range 0-65535");
        }
        if (host.isEmpty()) {
            return new InetSocketAddress(p); // every address
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), p);
        } catch (UnknownHostException e) {
            throw bad(text, "'" + host + "' is neither an address nor a known host name");
        }
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("bad metrics address '" + text + "': " + why
                + " (use ADDR:PORT, [IPv6]:PORT or :PORT, e.g. " + DEFAULT_ADDRESS + ")");
    }

    private static String show(InetSocketAddress a) {
        InetAddress ad = a.getAddress();
        String h = ad == null ? a.getHostString() : io.javalived.inet.InetText.ntop(ad);
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + a.getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            boolean head = method.equals("HEAD");
            if (!path.equals("/metrics") && !path.equals("/")) {
                send(ex, 404, "text/plain; charset=utf-8", "Not found: " + path + " (metrics are at /metrics)\n",
                        head, false);
                return;
            }
            if (!method.equals("GET") && !head) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, "text/plain; charset=utf-8", "Method not allowed\n", false, false);
                return;
            }
            if (path.equals("/")) {
                send(ex, 200, "text/html; charset=utf-8", """
                        <!DOCTYPE html>
                        <html><head><title>javalived</title></head>
                        <body><h1>javalived</h1><p><a href="/metrics">Metrics</a></p></body></html>
                        """, head, false);
                return;
            }
            String body;
            try {
                body = metrics.scrape();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "Metrics: scrape failed: " + e);
                send(ex, 500, "text/plain; charset=utf-8", "scrape failed: " + e.getMessage() + "\n", head, false);
                return;
            }
            String enc = ex.getRequestHeaders().getFirst("Accept-Encoding");
            boolean gzip = enc != null && enc.toLowerCase(Locale.ROOT).contains("gzip");
            send(ex, 200, CONTENT_TYPE, body, head, gzip);
        } catch (IOException e) {
            // the client went away
        }
    }

    private static void send(HttpExchange ex, int code, String type, String body, boolean head, boolean gzip)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (gzip) {
            ByteArrayOutputStream bo = new ByteArrayOutputStream(bytes.length / 4 + 64);
            try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
                gz.write(bytes);
            }
            bytes = bo.toByteArray();
            ex.getResponseHeaders().set("Content-Encoding", "gzip");
        }
        ex.getResponseHeaders().set("Content-Type", type);
        if (head) {
            ex.sendResponseHeaders(code, -1);
            return;
        }
        ex.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        metrics.close();
    }
}
