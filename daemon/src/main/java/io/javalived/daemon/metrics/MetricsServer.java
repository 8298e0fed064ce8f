package io.javalived.daemon.metrics;

import io.javalived.director.status.StatusSource;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * Prometheus {@code /metrics} over HTTP/1.0 and 1.1 (Netty's codec on one event-loop thread): {@code GET /metrics}
 * answers the exposition in text format 0.0.4 (gzip when the scraper accepts it), {@code GET /} a small page linking
 * it, other paths 404, other methods 405. Every scrape reads the daemon once ({@link StatusMetrics}).
 *
 * <p>Slow or idle clients cannot hold it: the request line, headers and any body must all arrive within
 * {@link Limits#requestMillis} of the connection (or of the first byte of a keep-alive connection's next request);
 * an idle keep-alive connection is closed after {@link Limits#idleMillis}; an answer must be read within
 * {@link Limits#responseMillis} of its first byte (the scrape itself is the daemon's time, not the client's). At
 * most {@link Limits#maxConnections} connections are open: a new one is always
 * admitted, by closing the oldest connection that is not being answered (or, when all are, the oldest). A request
 * line that is not {@code HTTP/1.x} is answered 505, a malformed or too long one 400/414/431, then the connection is
 * closed.
 *
 * <p>The scrape is taken on a separate thread, then written family by family in chunks of about {@value #CHUNK}
 * bytes (chunked transfer encoding; HTTP/1.0: until the connection closes), as fast as the client reads: no
 * whole-document String or buffer.
 */
public final class MetricsServer implements AutoCloseable {
    /** Where {@code javalived run} listens by default (keepalived_exporter's port). */
    public static final String DEFAULT_ADDRESS = "127.0.0.1:9650";
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADERS = 8192;
    static final int MAX_BODY = 8192;
    static final int CHUNK = 32 * 1024;
    /** Requests received at most while one is answered (pipelining), before the connection is closed. */
    static final int MAX_PIPELINED = 8;

    /**
     * The connection limits.
     *
     * @param maxConnections open connections at most (a new one closes the oldest not being answered)
     * @param requestMillis  the time for a whole request (line, headers, body)
     * @param idleMillis     how long a keep-alive connection may wait for its next request
     * @param responseMillis the time for the client to read the answer
     */
    record Limits(int maxConnections, long requestMillis, long idleMillis, long responseMillis) {
        static final Limits DEFAULT = new Limits(64, 5_000, 30_000, 30_000);
    }

    private static final System.Logger LOG = System.getLogger("io.javalived.metrics");

    private enum State { REQUEST, ANSWERING, IDLE }

    private final StatusMetrics metrics;
    private final Limits limits;
    private final EventLoopGroup group;
    private final ThreadPoolExecutor scrapes;
    /** Open connections, oldest first; touched on the event loop only. */
    private final LinkedHashSet<Conn> conns = new LinkedHashSet<>();
    private long evictions;
    private long lastEvictionLog;
    private Channel serverChannel;

    private MetricsServer(StatusMetrics metrics, Limits limits) {
        this.metrics = metrics;
        this.limits = limits;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("metrics-http", true),
                NioIoHandler.newFactory());
        this.scrapes = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(2 * limits.maxConnections()), r -> {
                    Thread t = new Thread(r, "metrics-scrape");
                    t.setDaemon(true);
                    return t;
                });
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
        return open(new StatusMetrics(source, true), bind, Limits.DEFAULT);
    }

    /** As {@link #open(StatusSource, String)} with given metrics and limits (tests). */
    static MetricsServer open(StatusMetrics metrics, InetSocketAddress bind, Limits limits) throws IOException {
        MetricsServer ms = new MetricsServer(metrics, limits);
        ChannelFuture f = new ServerBootstrap().group(ms.group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 128)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ms.admit(ch);
                    }
                })
                .bind(bind).awaitUninterruptibly();
        if (!f.isSuccess()) {
            ms.shutdown();
            Throwable c = f.cause();
            throw new IOException("cannot listen on " + show(bind) + ": " + c.getMessage(), c);
        }
        ms.serverChannel = f.channel();
        LOG.log(Level.INFO, "Metrics: serving http://" + show(ms.address()) + "/metrics");
        return ms;
    }

    /** The bound address (the actual port when 0 was asked). */
    InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    int port() {
        return address().getPort();
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
        return ad == null ? a.getHostString() + ":" + a.getPort() : io.javalived.inet.InetText.hostPort(ad, a.getPort());
    }

    /** A new connection (on the event loop): at the cap, the oldest connection not being answered makes room. */
    private void admit(SocketChannel ch) {
        if (conns.size() >= limits.maxConnections()) {
            Conn victim = null;
            for (Conn c : conns) {
                if (c.state != State.ANSWERING) {
                    victim = c;
                    break;
                }
            }
            if (victim == null) {
                victim = conns.iterator().next();
            }
            conns.remove(victim);
            victim.ch.close();
            evictions++;
            long now = System.nanoTime();
            if (evictions == 1 || now - lastEvictionLog > TimeUnit.MINUTES.toNanos(1)) {
                lastEvictionLog = now;
                LOG.log(Level.WARNING, "Metrics: " + limits.maxConnections() + " connections open (the limit): "
                        + "closed the oldest " + (victim.state == State.ANSWERING ? "" : "idle ") + "one, from "
                        + peer(victim.ch) + ", to admit " + peer(ch) + " (" + evictions + " so far) - clients that "
                        + "connect and do not send a request?");
            }
        }
        Conn c = new Conn(ch);
        conns.add(c);
        ch.pipeline()
                .addLast("activity", c.activity)
                .addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADERS, 8192))
                .addLast("aggregate", new HttpObjectAggregator(MAX_BODY) {
                    @Override
                    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
                        // (the aggregator releases the message) 413, then close: no body to skip
                        c.state = State.ANSWERING;
                        ch.config().setAutoRead(false);
                        c.full(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "text/plain; charset=utf-8",
                                "Request body too large (at most " + MAX_BODY + " bytes)\n", false, false, null);
                    }
                })
                .addLast("chunked", new ChunkedWriteHandler())
                .addLast("serve", c);
    }

    /** A token character (RFC 9110): what a method name is made of. */
    static boolean tchar(byte x) {
        return x >= 'a' && x <= 'z' || x >= 'A' && x <= 'Z' || x >= '0' && x <= '9' || x > 0 && "!#$%&'*+-.^_`|~"
                .indexOf(x) >= 0;
    }

    private static String peer(Channel ch) {
        return ch.remoteAddress() instanceof InetSocketAddress a ? show(a) : String.valueOf(ch.remoteAddress());
    }

    /** One connection: its state, its deadline, the requests it sent while one was answered. */
    private final class Conn extends ChannelInboundHandlerAdapter {
        final SocketChannel ch;
        State state = State.REQUEST;
        ScheduledFuture<?> deadline;
        final ArrayDeque<FullHttpRequest> pending = new ArrayDeque<>();
        /** No byte of the next request seen yet (but empty lines). */
        boolean fresh = true;
        /**
         * Sees the raw bytes: the first byte of a keep-alive connection's next request starts its deadline; a
         * request that does not start with a method name (TLS, binary) is refused at once, not at the deadline.
         */
        final ChannelInboundHandlerAdapter activity = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (state == State.IDLE) {
                    state = State.REQUEST;
                    arm(limits.requestMillis(), "its request");
                }
                if (fresh && msg instanceof ByteBuf b) {
                    for (int i = b.readerIndex(); i < b.writerIndex(); i++) {
                        byte x = b.getByte(i);
                        if (x == '\r' || x == '\n') {
                            continue;
                        }
                        fresh = false;
                        if (!tchar(x)) {
                            b.release();
                            state = State.ANSWERING;
                            ch.config().setAutoRead(false);
                            arm(limits.responseMillis(), "reading the answer");
                            byte[] body = "Bad request: not an HTTP/1.x request\n".getBytes(StandardCharsets.UTF_8);
                            ctx.writeAndFlush(Unpooled.wrappedBuffer(("HTTP/1.1 400 Bad Request\r\n"
                                    + "content-type: text/plain; charset=utf-8\r\ncontent-length: " + body.length
                                    + "\r\nconnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII), body))
                                    .addListener(ChannelFutureListener.CLOSE);
                            return;
                        }
                        break;
                    }
                }
                ctx.fireChannelRead(msg);
            }
        };

        Conn(SocketChannel ch) {
            this.ch = ch;
            arm(limits.requestMillis(), "its request");
        }

        void arm(long millis, String what) {
            if (deadline != null) {
                deadline.cancel(false);
            }
            deadline = ch.eventLoop().schedule(() -> {
                LOG.log(Level.DEBUG, "Metrics: closing the connection from " + peer(ch) + ": " + what
                        + " did not complete within " + millis + " ms");
                ch.close();
            }, millis, TimeUnit.MILLISECONDS);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof FullHttpRequest req)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (state == State.ANSWERING) {
                if (pending.size() >= MAX_PIPELINED) {
                    req.release();
                    ch.close();
                    return;
                }
                pending.add(req);
                return;
            }
            serve(req);
        }

        private void serve(FullHttpRequest req) {
            state = State.ANSWERING;
            ch.config().setAutoRead(false);
            if (deadline != null) {
                deadline.cancel(false); // the scrape is the daemon's time; the answer's deadline starts with it
            }
            try {
                answer(req);
            } finally {
                req.release();
            }
        }

        private void answer(FullHttpRequest req) {
            if (req.decoderResult().isFailure()) {
                Throwable c = req.decoderResult().cause();
                HttpResponseStatus st = c instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                        : c instanceof TooLongHttpHeaderException
                        ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE : HttpResponseStatus.BAD_REQUEST;
                String why = c instanceof TooLongFrameException ? "too long" : "not an HTTP/1.x request";
                full(st, "text/plain; charset=utf-8", "Bad request: " + why + "\n", false, false, null);
                return;
            }
            HttpVersion v = req.protocolVersion();
            if (!v.protocolName().equals("HTTP") || v.majorVersion() != 1) {
                full(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "text/plain; charset=utf-8",
                        "HTTP/1.0 and HTTP/1.1 only\n", false, false, null);
                return;
            }
            boolean http11 = v.minorVersion() >= 1;
            boolean keepAlive = http11 && HttpUtil.isKeepAlive(req); // HTTP/1.0: one request per connection
            String method = req.method().name();
            boolean head = method.equals("HEAD");
            String path;
            try {
                path = new URI(req.uri()).getPath();
            } catch (URISyntaxException e) {
                path = null;
            }
            if (path == null) {
                full(HttpResponseStatus.BAD_REQUEST, "text/plain; charset=utf-8", "Bad request: the target is not "
                        + "a path\n", head, false, null);
                return;
            }
            if (!path.equals("/metrics") && !path.equals("/")) {
                full(HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8", "Not found: " + path
                        + " (metrics are at /metrics)\n", head, keepAlive, null);
                return;
            }
            if (!method.equals("GET") && !head) {
                full(HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", "Method not allowed\n",
                        false, keepAlive, "GET, HEAD");
                return;
            }
            if (path.equals("/")) {
                full(HttpResponseStatus.OK, "text/html; charset=utf-8", """
                        <!DOCTYPE html>
                        <html><head><title>javalived</title></head>
                        <body><h1>javalived</h1><p><a href="/metrics">Metrics</a></p></body></html>
                        """, head, keepAlive, null);
                return;
            }
            String enc = req.headers().get(HttpHeaderNames.ACCEPT_ENCODING);
            boolean gzip = enc != null && enc.toLowerCase(Locale.ROOT).contains("gzip");
            try {
                scrapes.execute(() -> {
                    if (!ch.isActive()) {
                        return; // closed while it waited: no scrape for nobody
                    }
                    List<MetricSnapshot> families = null;
                    RuntimeException failure = null;
                    try {
                        families = metrics.snapshot();
                    } catch (RuntimeException e) {
                        failure = e;
                    }
                    List<MetricSnapshot> f = families;
                    RuntimeException x = failure;
                    try {
                        ch.eventLoop().execute(() -> scraped(f, x, head, gzip, http11, keepAlive));
                    } catch (RejectedExecutionException e) {
                        // stopping
                    }
                });
            } catch (RejectedExecutionException e) {
                full(HttpResponseStatus.SERVICE_UNAVAILABLE, "text/plain; charset=utf-8", "Too many scrapes "
                        + "waiting, try again\n", head, false, null);
            }
        }

        /** On the event loop: the scrape is taken, send it. */
        private void scraped(List<MetricSnapshot> families, RuntimeException failure, boolean head, boolean gzip,
                boolean http11, boolean keepAlive) {
            if (!ch.isActive()) {
                return;
            }
            if (failure != null) {
                LOG.log(Level.ERROR, "Metrics: scrape failed: " + failure);
                full(HttpResponseStatus.INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8", "scrape failed: "
                        + failure.getMessage() + "\n", head, keepAlive, null);
                return;
            }
            if (head) {
                FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.EMPTY_BUFFER);
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE);
                if (gzip) {
                    r.headers().set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
                }
                send(r, keepAlive);
                return;
            }
            HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE);
            if (gzip) {
                r.headers().set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
            }
            if (http11) {
                HttpUtil.setTransferEncodingChunked(r, true);
            }
            if (!keepAlive) {
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            arm(limits.responseMillis(), "reading the answer");
            ch.write(r);
            ch.writeAndFlush(new ExpositionInput(families, gzip)).addListener(f -> done(f.isSuccess(), keepAlive));
        }

        /** A small whole answer. */
        private void full(HttpResponseStatus st, String type, String body, boolean head, boolean keepAlive,
                String allow) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, st,
                    head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(b));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
            if (!head) {
                r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, b.length);
            }
            if (allow != null) {
                r.headers().set(HttpHeaderNames.ALLOW, allow);
            }
            send(r, keepAlive);
        }

        private void send(FullHttpResponse r, boolean keepAlive) {
            if (!keepAlive) {
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            arm(limits.responseMillis(), "reading the answer");
            ch.writeAndFlush(r).addListener(f -> done(f.isSuccess(), keepAlive));
        }

        /** The answer is written: close, or wait for the next request. */
        private void done(boolean written, boolean keepAlive) {
            if (!written || !keepAlive || !ch.isActive()) {
                ch.close();
                return;
            }
            state = State.IDLE;
            fresh = true;
            arm(limits.idleMillis(), "the next request");
            FullHttpRequest next = pending.poll();
            if (next != null) {
                serve(next);
                return;
            }
            ch.config().setAutoRead(true);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            conns.remove(this);
            if (deadline != null) {
                deadline.cancel(false);
            }
            FullHttpRequest r;
            while ((r = pending.poll()) != null) {
                r.release();
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.log(Level.DEBUG, "Metrics: connection from " + peer(ch) + ": " + cause);
            ch.close();
        }
    }

    /**
     * The exposition as HTTP content, rendered one family at a time when the channel can take more (Netty's
     * ChunkedWriteHandler pulls): a chunk is about {@value #CHUNK} bytes (a larger family makes a larger chunk),
     * gzipped when asked.
     */
    static final class ExpositionInput implements ChunkedInput<HttpContent> {
        private final List<MetricSnapshot> families;
        private final boolean gzip;
        private final Sink sink = new Sink();
        private GZIPOutputStream gz;
        private int next;
        private boolean ended;
        private long progress;

        /** Where the renderer writes: the current chunk. */
        private static final class Sink extends OutputStream {
            OutputStream target = OutputStream.nullOutputStream();

            @Override
            public void write(int b) throws IOException {
                target.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                target.write(b, off, len);
            }
        }

        ExpositionInput(List<MetricSnapshot> families, boolean gzip) {
            this.families = families;
            this.gzip = gzip;
        }

        @Override
        public boolean isEndOfInput() {
            return ended;
        }

        @Override
        public void close() throws IOException {
            ended = true;
            if (gz != null) {
                sink.target = OutputStream.nullOutputStream();
                gz.close(); // frees the deflater
                gz = null;
            }
        }

        @Deprecated
        @Override
        public HttpContent readChunk(ChannelHandlerContext ctx) throws Exception {
            return readChunk(ctx.alloc());
        }

        @Override
        public HttpContent readChunk(ByteBufAllocator alloc) throws Exception {
            if (ended) {
                return null;
            }
            ByteBuf buf = alloc.buffer(CHUNK);
            boolean ok = false;
            try {
                sink.target = new ByteBufOutputStream(buf);
                if (gzip && gz == null) {
                    gz = new GZIPOutputStream(sink, 8192);
                }
                OutputStream out = gzip ? gz : sink;
                while (buf.readableBytes() < CHUNK && next < families.size()) {
                    StatusMetrics.write(out, families.get(next));
                    families.set(next++, null); // rendered: let it go
                }
                HttpContent c;
                if (next >= families.size()) {
                    if (gz != null) {
                        gz.finish();
                    }
                    ended = true;
                    c = new DefaultLastHttpContent(buf);
                } else {
                    c = new DefaultHttpContent(buf);
                }
                progress += buf.readableBytes();
                sink.target = OutputStream.nullOutputStream();
                ok = true;
                return c;
            } finally {
                if (!ok) {
                    buf.release();
                }
            }
        }

        @Override
        public long length() {
            return -1;
        }

        @Override
        public long progress() {
            return progress;
        }
    }

    private void shutdown() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        scrapes.shutdownNow();
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        shutdown();
        metrics.close();
    }
}
