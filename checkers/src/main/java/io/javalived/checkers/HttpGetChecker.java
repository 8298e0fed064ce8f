package io.javalived.checkers;

import io.javalived.inet.InetText;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * HTTP_GET and SSL_GET: for each url in turn, connect, send {@code GET path HTTP/1.x}, read the reply to its end,
 * then judge status_code, digest (MD5 of the body, as genhash) and regex. All urls must pass.
 *
 * <p>Where the reply ends, as keepalived 2.2.7 reads it (check_http.c, check_ssl.c):
 * <ul>
 *   <li>HTTP_GET: at TCP EOF. A read error is a failure.</li>
 *   <li>SSL_GET: at the server's close_notify (OpenSSL's SSL_ERROR_ZERO_RETURN; here Netty's
 *       {@link SslCloseCompletionEvent}), at TCP EOF, or at a TLS/socket error after the handshake; the bytes received
 *       so far are judged. A close_notify before a complete header is a failure ("SSL read error from").</li>
 *   <li>Content-Length and a chunked terminal chunk do not end the reply: Content-Length only bounds what the digest
 *       covers and a chunked body is hashed as received. A server that keeps the connection open after its reply
 *       (ignoring HTTP/1.0 or {@code Connection: close}) is read until connect_timeout and fails, as in keepalived.</li>
 *   <li>Timeouts: connect_timeout without a byte fails ("Timeout HTTP read" / "Timeout SSL read"); SSL_GET also
 *       gives the whole reply connect_timeout from its first bytes, as keepalived's SSL reader does.</li>
 * </ul>
 * TLS does not verify the certificate unless {@code verifyTls}: keepalived never does (its SSL block's ca only loads
 * the trust store; no verify mode is set), so the config path always passes false.
 *
 * @param virtualhost the checker's virtualhost (a url's own virtualhost wins); sent as the Host header, default the
 *                    connect address
 * @param enableSni   send SNI (the sniName, else the virtualhost)
 */
public record HttpGetChecker(Endpoint endpoint, Duration connectTimeout, boolean ssl, List<Url> urls,
                             HttpProtocol protocol, String virtualhost, boolean enableSni, String sniName,
                             boolean verifyTls) implements Checker {

    /** http_protocol: 1.0 (default), 1.0C (1.0 + Connection: close), 1.1 (with Connection: close). */
    public enum HttpProtocol {
        HTTP_1_0("1.0", 0, false), HTTP_1_0C("1.0C", 0, true), HTTP_1_1("1.1", 1, true);

        final String keyword;
        final int minor;
        final boolean close;

        HttpProtocol(String k, int minor, boolean close) {
            this.keyword = k;
            this.minor = minor;
            this.close = close;
        }

        public static HttpProtocol parse(String s) {
            for (HttpProtocol p : values()) if (p.keyword.equalsIgnoreCase(s)) return p;
            throw new IllegalArgumentException("invalid HTTP protocol version '" + s + "' (use 1.0, 1.0C or 1.1)");
        }
    }

    /**
     * One url block.
     *
     * @param digest       32 hex digits or null
     * @param statusCodes  accepted codes (default 2xx)
     * @param regex        must be found in the body (or must not, with regexNoMatch), or null
     * @param virtualhost  this url's Host header, or null
     */
    public record Url(String path, String digest, StatusCodes statusCodes, Pattern regex, boolean regexNoMatch,
                      String virtualhost) {
        public Url {
            Objects.requireNonNull(path, "path");
            digest = digest == null ? null : Genhash.normalise(digest);
            statusCodes = statusCodes == null ? StatusCodes.defaultSet() : statusCodes;
        }

        public static Url of(String path) {
            return new Url(path, null, null, null, false, null);
        }

        /** Equal when they send and judge alike (a Pattern compares by its text and flags). */
        @Override
        public boolean equals(Object o) {
            return o instanceof Url u && u.path.equals(path) && Objects.equals(u.digest, digest)
                    && u.statusCodes.equals(statusCodes) && patternKey(u.regex).equals(patternKey(regex))
                    && u.regexNoMatch == regexNoMatch && Objects.equals(u.virtualhost, virtualhost);
        }

        @Override
        public int hashCode() {
            return Objects.hash(path, digest, statusCodes, patternKey(regex), regexNoMatch, virtualhost);
        }

        private static String patternKey(Pattern p) {
            return p == null ? "" : p.flags() + "/" + p.pattern();
        }
    }

    public HttpGetChecker {
        Objects.requireNonNull(endpoint);
        Objects.requireNonNull(connectTimeout);
        if (urls == null || urls.isEmpty()) throw new IllegalArgumentException("HTTP_GET/SSL_GET needs at least one url");
        urls = List.copyOf(urls);
        protocol = protocol == null ? HttpProtocol.HTTP_1_0 : protocol;
    }

    public static HttpGetChecker simple(Endpoint ep, Duration timeout, boolean ssl, Url... urls) {
        return new HttpGetChecker(ep, timeout, ssl, List.of(urls), HttpProtocol.HTTP_1_0, null, false, null, false);
    }

    @Override
    public String keyword() {
        return ssl ? "SSL_GET" : "HTTP_GET";
    }

    @Override
    public String logName() {
        return "HTTP_CHECK";
    }

    @Override
    public String target() {
        return endpoint.trio();
    }


    /** The exact request bytes for a url. */
    public String request(Url u) {
        String host = u.virtualhost != null ? u.virtualhost : virtualhost;
        if (host == null) {
            host = InetText.ip(endpoint.connect().getAddress());
            if (endpoint.connect().getAddress() instanceof Inet6Address) host = "[" + host + "]";
        }
        int port = endpoint.connect().getPort();
        boolean defPort = ssl ? port == 443 : port == 80;
        return "GET " + u.path + " HTTP/1." + protocol.minor + "\r\n"
                + "User-Agent: KeepAliveClient\r\n"
                + "Host: " + host + (defPort ? "" : ":" + port) + "\r\n"
                + (protocol.close ? "Connection: close\r\n" : "")
                + "\r\n";
    }

    @Override
    public CompletableFuture<CheckResult> check(CheckContext ctx) {
        CompletableFuture<CheckResult> out = new CompletableFuture<>();
        prepare(ctx).run(out::complete);
        return out;
    }

    /**
     * Plain HTTP without bindto on the epoll transport: a raw socket on the loop ({@link EpollHttpGet}). Otherwise
     * (SSL_GET, bindto, NIO) a Netty channel per url, with request bytes, success results and the bootstrap built once
     * per probe, not per attempt.
     */
    @Override
    public Attempt prepare(CheckContext ctx) {
        if (!ssl && endpoint.bindAddress() == null && !Boolean.getBoolean("javalived.httpget.channel")
                && EpollAttempt.fits(ctx.loop()))
            return new EpollHttpGet((io.netty.channel.IoEventLoop) ctx.loop(), this);
        Prepared p = new Prepared(ctx);
        return done -> {
            CompletableFuture<CheckResult> out = new CompletableFuture<>();
            out.thenAccept(done);
            p.checkFrom(0, out);
        };
    }

    private final class Prepared {
        final CheckContext ctx;
        final byte[][] requests = new byte[urls.size()][];
        final CheckResult[] successes = new CheckResult[urls.size()];
        final io.netty.bootstrap.Bootstrap bootstrap;

        Prepared(CheckContext ctx) {
            this.ctx = ctx;
            for (int i = 0; i < urls.size(); i++) {
                requests[i] = request(urls.get(i)).getBytes(StandardCharsets.ISO_8859_1);
                successes[i] = success(urls.get(i));
            }
            bootstrap = Net.bootstrapNoDelay(ctx, connectTimeout);
        }

        void checkFrom(int i, CompletableFuture<CheckResult> out) {
            fetch(this, i).whenComplete((r, e) -> {
                if (e != null) r = CheckResult.failed(FailureClass.IO_ERROR, "Error connecting server " + target() + ".", Net.text(e));
                if (!r.ok() || i + 1 == urls.size()) out.complete(r);
                else checkFrom(i + 1, out);
            });
        }
    }

    private String sni(Url u) {
        if (sniName != null && !sniName.isEmpty()) return sniName;
        if (!enableSni) return null;
        return u.virtualhost != null ? u.virtualhost : virtualhost;
    }

    private CompletableFuture<CheckResult> fetch(Prepared prepared, int index) {
        Url u = urls.get(index);
        CompletableFuture<CheckResult> out = new CompletableFuture<>();
        HttpResponseParser parser = new HttpResponseParser(u.regex != null, u.digest != null);
        byte[] req = prepared.requests[index];
        CheckResult success = prepared.successes[index];
        String sni = sni(u);
        SslHandler[] tls = new SslHandler[1];
        ChannelInitializer<Channel> init = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) throws SSLException {
                if (ssl) {
                    SslContext sc = TlsContexts.client(verifyTls);
                    SSLEngine engine = sni != null
                            ? sc.newEngine(ch.alloc(), sni, endpoint.connect().getPort())
                            : sc.newEngine(ch.alloc());
                    if (verifyTls) {
                        SSLParameters p = engine.getSSLParameters();
                        p.setEndpointIdentificationAlgorithm("HTTPS");
                        engine.setSSLParameters(p);
                    }
                    SslHandler h = new SslHandler(engine);
                    h.setHandshakeTimeoutMillis(Math.max(1, connectTimeout.toMillis()));
                    tls[0] = h;
                    h.handshakeFuture().addListener(f -> {
                        if (!f.isSuccess()) tlsFailed(out, u, f.cause());
                    });
                    ch.pipeline().addLast(h);
                }
                ch.pipeline().addLast(new ReadTimeoutHandler(Math.max(1, connectTimeout.toMillis()), TimeUnit.MILLISECONDS));
                ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext c) {
                        c.writeAndFlush(Unpooled.wrappedBuffer(req));
                        c.fireChannelActive();
                    }

                    private boolean reading;

                    @Override
                    public void channelRead(ChannelHandlerContext c, Object msg) {
                        ByteBuf b = (ByteBuf) msg;
                        if (ssl && !reading) {
                            // keepalived's SSL reader gives the whole reply connect_timeout from its first bytes
                            // (its plain reader, like the idle handler above, connect_timeout per read)
                            reading = true;
                            var deadline = c.executor().schedule(() -> {
                                if (!out.isDone()) exceptionCaught(c, ReadTimeoutException.INSTANCE);
                            }, Math.max(1, connectTimeout.toMillis()), TimeUnit.MILLISECONDS);
                            c.channel().closeFuture().addListener(f -> deadline.cancel(false));
                        }
                        try {
                            byte[] a = new byte[b.readableBytes()];
                            b.readBytes(a);
                            if (parser.feed(a, 0, a.length)) finish(c); // only an unusable header stops early
                        } finally {
                            b.release();
                        }
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext c) {
                        finish(c);
                    }

                    @Override
                    public void userEventTriggered(ChannelHandlerContext c, Object evt) {
                        // The server's close_notify ends the reply (keepalived: SSL_ERROR_ZERO_RETURN), whether or
                        // not the server then closes TCP (openssl s_server -www waits for the client to close).
                        if (evt instanceof SslCloseCompletionEvent e && e.isSuccess()) {
                            if (!out.isDone() && tls[0].handshakeFuture().isSuccess() && !parser.headersDone())
                                out.complete(CheckResult.failed(FailureClass.HTTP_PROTOCOL,
                                        "SSL read error from server " + target() + ".",
                                        "url(" + u.path + "), close_notify before a complete HTTP header"));
                            finish(c);
                        }
                        c.fireUserEventTriggered(evt);
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
                        FailureClass why = Net.ioFailure(cause);
                        if (ssl && why != FailureClass.READ_TIMEOUT && tls[0].handshakeFuture().isSuccess()) {
                            // keepalived's SSL reader takes any SSL_read error after the handshake (a TLS alert,
                            // a reset) as the end of the stream and judges what it received.
                            finish(c);
                            return;
                        }
                        if (!out.isDone()) {
                            String line = switch (why) {
                                case READ_TIMEOUT -> (ssl ? "Timeout SSL read server " : "Timeout HTTP read server ") + target() + ".";
                                case TLS_HANDSHAKE -> "SSL handshake/communication error connecting to server " + target() + ".";
                                default -> "Read error with server " + target() + ": " + Net.text(cause);
                            };
                            out.complete(CheckResult.failed(why, line, where(u) + ", " + Net.text(cause)));
                        }
                        c.close();
                    }

                    private void finish(ChannelHandlerContext c) {
                        if (tls[0] != null && !tls[0].handshakeFuture().isSuccess())
                            tlsFailed(out, u, tls[0].handshakeFuture().cause());
                        if (!out.isDone()) out.complete(judge(u, parser, success));
                        c.close();
                    }
                });
            }
        };
        try {
            Net.connect(prepared.bootstrap.handler(init), endpoint).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    FailureClass why = Net.connectFailure(f.cause());
                    String line = (why == FailureClass.CONNECT_TIMEOUT ? "Timeout connecting" : "Error connecting")
                            + " server " + target() + ".";
                    out.complete(CheckResult.failed(why, line, Net.text(f.cause())));
                }
            });
        } catch (RuntimeException e) {
            out.complete(CheckResult.failed(FailureClass.IO_ERROR, "Error connecting server " + target() + ".", Net.text(e)));
        }
        return out;
    }

    private void tlsFailed(CompletableFuture<CheckResult> out, Url u, Throwable cause) {
        if (out.isDone()) return;
        out.complete(CheckResult.failed(FailureClass.TLS_HANDSHAKE,
                "SSL handshake/communication error connecting to server " + target() + ".",
                where(u) + ", " + (cause == null ? "handshake not completed" : Net.text(cause))));
    }

    /** Judges a finished reply against a url, in keepalived's order: data, status, digest, regex. Pure. */
    public CheckResult judge(Url u, HttpResponseParser p) {
        return judge(u, p, success(u));
    }

    /** The result of a url whose checks all pass (keepalived's line names the last kind checked). */
    CheckResult success(Url u) {
        String msg = u.regex != null ? "Regex match" : u.digest != null ? "MD5 digest" : "HTTP status code";
        return CheckResult.success(msg + " success to " + target() + " url(" + u.path + ")");
    }

    CheckResult judge(Url u, HttpResponseParser p, CheckResult success) {
        p.end();
        if (p.error() != null)
            return CheckResult.failed(FailureClass.HTTP_PROTOCOL, "Read, no data received from  server " + target() + ".",
                    where(u) + ", " + p.error());
        if (!p.headersDone())
            return CheckResult.failed(FailureClass.HTTP_PROTOCOL, "Read, no data received from  server " + target() + ".",
                    where(u) + ", no complete HTTP header");
        if (!u.statusCodes.matches(p.statusCode()))
            return CheckResult.failed(FailureClass.HTTP_STATUS, "HTTP status code error to server " + target() + ".",
                    where(u) + ", status_code [" + p.statusCode() + "]");
        if (u.digest != null) {
            String got = p.digest();
            if (!got.equals(u.digest))
                return CheckResult.failed(FailureClass.HTTP_DIGEST, "MD5 digest error to server " + target() + ".",
                        where(u) + ", digest " + got + " expected " + u.digest);
        }
        if (u.regex != null) {
            boolean found = u.regex.matcher(p.bodyText()).find();
            if (found == u.regexNoMatch)
                return CheckResult.failed(FailureClass.HTTP_REGEX, "Regex match failed server " + target() + ".",
                        where(u) + ", regex \"" + u.regex.pattern() + "\" " + (found ? "matched (regex_no_match)" : "not found"));
        }
        return success;
    }

    /** The url in a failure's detail (built only for failures). */
    private static String where(Url u) {
        return "url(" + u.path + ")";
    }

    /** Shared client TLS contexts. */
    static final class TlsContexts {
        private static volatile SslContext insecure, verifying;

        static SslContext client(boolean verify) throws SSLException {
            if (verify) {
                if (verifying == null) verifying = SslContextBuilder.forClient().build();
                return verifying;
            }
            if (insecure == null)
                insecure = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
            return insecure;
        }
    }
}
