package io.javalived.checkers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Real TLS servers for {@link TlsMatrixTest}: OpenSSL's {@code s_server} processes and a Netty server whose ending is exact. */
final class TlsServers {
    private TlsServers() {}

    /** A key and a self-signed certificate made by openssl (EC P-256: quick on a busy machine). */
    record Pem(Path cert, Path key, String cn) {
        static Pem selfSigned(Path dir, String cn, String san) throws Exception {
            Path cert = dir.resolve(cn + ".crt"), key = dir.resolve(cn + ".key");
            run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=" + cn,
                    "-addext", "subjectAltName=" + san);
            return new Pem(cert, key, cn);
        }
    }

    static String run(Path dir, String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", argv) + ": did not finish in 60 s");
        }
        if (p.exitValue() != 0) throw new IllegalStateException(String.join(" ", argv) + ": exit " + p.exitValue() + ": " + out);
        return out;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * {@code openssl s_server} on 127.0.0.1 in a web mode ({@code -www}, {@code -WWW} or {@code -HTTP}; files are served
     * from {@code dir}), forced to one TLS version. In these modes it answers, sends close_notify and then waits for
     * the client to close. Stopped by its PID.
     */
    static final class OpenSsl implements AutoCloseable {
        final Process p;
        final int port;
        final Path log;

        OpenSsl(Path dir, Pem pem, String mode, String tlsVersion) throws Exception {
            String flag = switch (tlsVersion) {
                case "TLSv1.2" -> "-tls1_2";
                case "TLSv1.3" -> "-tls1_3";
                default -> throw new IllegalArgumentException(tlsVersion);
            };
            IllegalStateException last = null;
            for (int attempt = 0; attempt < 5; attempt++) { // a free port may be taken between probe and bind
                int port = freePort();
                Path log = dir.resolve("s_server-" + mode.substring(1) + flag + "-" + port + ".log");
                Process p = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + port,
                        "-cert", pem.cert().toString(), "-key", pem.key().toString(), mode, flag)
                        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (p.isAlive() && !Files.readString(log).contains("ACCEPT") && System.nanoTime() < deadline)
                    Thread.sleep(20);
                if (p.isAlive() && Files.readString(log).contains("ACCEPT")) {
                    this.p = p;
                    this.port = port;
                    this.log = log;
                    return;
                }
                stop(p);
                last = new IllegalStateException("openssl s_server " + mode + " " + flag + " on 127.0.0.1:" + port
                        + " did not start: " + Files.readString(log));
            }
            throw last;
        }

        @Override
        public void close() throws InterruptedException {
            stop(p);
        }

        static void stop(Process p) throws InterruptedException {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** How the Netty server ends its reply. */
    enum Ending {
        /** (a) Content-Length reply, then TCP FIN without close_notify. */
        CLOSE_TCP,
        /** (b) reply without Content-Length, close_notify, then wait for the client (openssl s_server -www). */
        NOTIFY_WAIT,
        /** (c) reply without Content-Length, close_notify, then TCP FIN. */
        NOTIFY_CLOSE,
        /** (d) Content-Length reply, connection kept open (keep-alive, ignoring HTTP/1.0 and Connection: close). */
        KEEP_ALIVE_LENGTH,
        /** (e) chunked reply with its terminal chunk, connection kept open. */
        CHUNKED_KEEP_ALIVE,
        /** (e) chunked reply with its terminal chunk, then close_notify and TCP FIN. */
        CHUNKED_NOTIFY_CLOSE,
        /** Content-Length reply, then a TCP RST (SO_LINGER 0) without close_notify. */
        RESET_AFTER_REPLY,
        /** No reply at all: close_notify, then wait. */
        NOTIFY_NO_REPLY,
        /** Headers, then the body one byte every 200 ms, then close_notify and FIN: never idle, but slow. */
        TRICKLE
    }

    /** The chunked encoding of {@link #body} as the Netty server sends it: the bytes keepalived's digest covers. */
    static byte[] chunked(String body) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        byte[] b = body.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < b.length; i += 6) {
            int n = Math.min(6, b.length - i);
            o.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            o.write(b, i, n);
            o.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        o.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return o.toByteArray();
    }

    /**
     * A Netty server (TLS or plain) whose reply and ending are exact. {@code GET /status/NNN} answers NNN, anything else
     * 200. Headers and body go out as separate TLS records.
     */
    static final class NettyWeb implements AutoCloseable {
        final Channel listener;
        final Ending ending;
        final String body;
        final List<String> requestLines = new CopyOnWriteArrayList<>();
        final List<String> protocols = new CopyOnWriteArrayList<>();
        /** One per accepted connection: completes when the connection is gone (the client closed it, or we did). */
        final List<CompletableFuture<Void>> closed = new CopyOnWriteArrayList<>();
        final List<Channel> open = new CopyOnWriteArrayList<>();

        NettyWeb(EventLoopGroup group, Pem pem, String tlsVersion, Ending ending, String body) throws Exception {
            this.ending = ending;
            this.body = body;
            SslContext sc = pem == null ? null
                    : SslContextBuilder.forServer(pem.cert().toFile(), pem.key().toFile()).protocols(tlsVersion).build();
            ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            CompletableFuture<Void> gone = new CompletableFuture<>();
                            closed.add(gone);
                            open.add(ch);
                            ch.closeFuture().addListener(f -> gone.complete(null));
                            // "raw" sits below TLS: closing from its context sends a FIN without close_notify.
                            ch.pipeline().addLast("raw", new ChannelDuplexHandler());
                            if (sc != null) {
                                SslHandler h = sc.newHandler(ch.alloc());
                                h.handshakeFuture().addListener(f -> {
                                    if (f.isSuccess()) protocols.add(h.engine().getSession().getProtocol());
                                });
                                ch.pipeline().addLast("tls", h);
                            }
                            ch.pipeline().addLast("app", new Responder());
                        }
                    });
            listener = b.bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        }

        int port() {
            return ((InetSocketAddress) listener.localAddress()).getPort();
        }

        private final class Responder extends ChannelInboundHandlerAdapter {
            private final StringBuilder request = new StringBuilder();
            private boolean answered;

            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                ByteBuf b = (ByteBuf) msg;
                try {
                    request.append(b.toString(StandardCharsets.ISO_8859_1));
                } finally {
                    b.release();
                }
                if (answered || request.indexOf("\r\n\r\n") < 0) return;
                answered = true;
                String line = request.substring(0, request.indexOf("\r\n"));
                requestLines.add(line);
                String path = line.split(" ")[1];
                int status = path.startsWith("/status/") ? Integer.parseInt(path.substring(8)) : 200;
                answer(c, status);
            }

            private void answer(ChannelHandlerContext c, int status) {
                SslHandler tls = c.pipeline().get(SslHandler.class);
                if (ending == Ending.NOTIFY_NO_REPLY) {
                    tls.closeOutbound();
                    return;
                }
                byte[] content = body.getBytes(StandardCharsets.ISO_8859_1);
                boolean isChunked = ending == Ending.CHUNKED_KEEP_ALIVE || ending == Ending.CHUNKED_NOTIFY_CLOSE;
                boolean length = ending == Ending.CLOSE_TCP || ending == Ending.KEEP_ALIVE_LENGTH
                        || ending == Ending.RESET_AFTER_REPLY || ending == Ending.TRICKLE;
                String head = "HTTP/1.1 " + status + " " + (status == 200 ? "OK" : "Status") + "\r\n"
                        + "Content-Type: text/plain\r\n"
                        + (isChunked ? "Transfer-Encoding: chunked\r\n" : "")
                        + (length ? "Content-Length: " + content.length + "\r\n" : "")
                        + (ending == Ending.KEEP_ALIVE_LENGTH || ending == Ending.CHUNKED_KEEP_ALIVE
                                ? "Connection: keep-alive\r\n" : "Connection: close\r\n")
                        + "\r\n";
                c.writeAndFlush(Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1));
                if (ending == Ending.TRICKLE) {
                    trickle(c, content, 0);
                    return;
                }
                var done = c.writeAndFlush(Unpooled.wrappedBuffer(isChunked ? chunked(body) : content));
                switch (ending) {
                    case CLOSE_TCP -> done.addListener(f -> c.pipeline().context("raw").close());
                    case NOTIFY_WAIT -> done.addListener(f -> {
                        if (tls != null) tls.closeOutbound();
                    });
                    case NOTIFY_CLOSE, CHUNKED_NOTIFY_CLOSE -> done.addListener(ChannelFutureListener.CLOSE);
                    case RESET_AFTER_REPLY -> done.addListener(f -> {
                        c.channel().config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
                        c.pipeline().context("raw").close();
                    });
                    case KEEP_ALIVE_LENGTH, CHUNKED_KEEP_ALIVE, NOTIFY_NO_REPLY -> {
                        // keep the connection: the client decides
                    }
                }
            }

            private void trickle(ChannelHandlerContext c, byte[] content, int i) {
                if (!c.channel().isActive()) return;
                if (i == content.length) {
                    c.close();
                    return;
                }
                c.writeAndFlush(Unpooled.wrappedBuffer(content, i, 1));
                c.executor().schedule(() -> trickle(c, content, i + 1), 200, TimeUnit.MILLISECONDS);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext c, Throwable t) {
                c.close();
            }
        }

        @Override
        public void close() throws InterruptedException {
            listener.close().sync();
            for (Channel c : open) c.close().await(5, TimeUnit.SECONDS);
        }
    }

    /**
     * keepalived's own reader, as {@code genhash} (keepalived 2.2.7 in genhash mode, the same check_http.c/check_ssl.c
     * code as SSL_GET): the digest it prints, or its failure line. Null when genhash is not installed.
     */
    static String genhash(boolean ssl, int port, String path, int timeoutSeconds) throws Exception {
        Path bin = Path.of("/usr/bin/genhash");
        if (!Files.isExecutable(bin)) return null;
        List<String> argv = new java.util.ArrayList<>(List.of(bin.toString()));
        if (ssl) argv.add("-S");
        argv.addAll(List.of("-s", "127.0.0.1", "-p", String.valueOf(port), "-u", path, "-t", String.valueOf(timeoutSeconds)));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getOutputStream().close();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        if (!p.waitFor(timeoutSeconds + 30L, TimeUnit.SECONDS)) {
            OpenSsl.stop(p);
            throw new IllegalStateException("genhash did not finish: " + argv);
        }
        return new String(out.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8).trim();
    }
}
