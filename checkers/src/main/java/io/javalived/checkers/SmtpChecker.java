package io.javalived.checkers;

import io.javalived.inet.InetText;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * SMTP_CHECK: connect, expect a 2xx banner, send {@code HELO helo_name}, expect 2xx, send {@code QUIT}, expect 2xx.
 * Multi-line replies ({@code 250-...}) are read to their last line.
 */
public record SmtpChecker(Endpoint endpoint, Duration connectTimeout, String heloName) implements Checker {
    /** keepalived's default smtp_helo_name. */
    public static final String DEFAULT_HELO = "smtpchecker.keepalived.org";

    public SmtpChecker {
        heloName = heloName == null || heloName.isEmpty() ? DEFAULT_HELO : heloName;
    }

    @Override
    public String keyword() {
        return "SMTP_CHECK";
    }

    @Override
    public String target() {
        return endpoint.trio();
    }


    /** Parses one reply line: returns the code if this is the last line of the reply, -1 if more follow, -2 if bad. */
    static int lastLineCode(String line) {
        if (line.length() < 3) return -2;
        int code;
        try {
            code = Integer.parseInt(line.substring(0, 3));
        } catch (NumberFormatException e) {
            return -2;
        }
        if (line.length() > 3 && line.charAt(3) == '-') return -1;
        return code;
    }

    @Override
    public CompletableFuture<CheckResult> check(CheckContext ctx) {
        CompletableFuture<CheckResult> out = new CompletableFuture<>();
        String[] steps = {"banner", "HELO " + heloName, "QUIT"};
        ChannelInitializer<Channel> init = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new ReadTimeoutHandler(Math.max(1, connectTimeout.toMillis()), TimeUnit.MILLISECONDS));
                ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    final StringBuilder line = new StringBuilder();
                    int step;

                    @Override
                    public void channelRead(ChannelHandlerContext c, Object msg) {
                        ByteBuf b = (ByteBuf) msg;
                        try {
                            while (b.isReadable() && !out.isDone()) {
                                char ch = (char) (b.readByte() & 0xff);
                                if (ch == '\n') {
                                    String l = line.toString().strip();
                                    line.setLength(0);
                                    onLine(c, l);
                                } else if (line.length() < 4096) line.append(ch);
                            }
                        } finally {
                            b.release();
                        }
                    }

                    private void onLine(ChannelHandlerContext c, String l) {
                        int code = lastLineCode(l);
                        if (code == -1) return;
                        if (code < 200 || code > 299) {
                            out.complete(CheckResult.failed(FailureClass.SMTP_REPLY,
                                    "Read failure from server " + target(),
                                    "reply to " + steps[step] + ": " + l));
                            c.close();
                            return;
                        }
                        step++;
                        if (step == steps.length) {
                            out.complete(CheckResult.success("Remote SMTP server " + target() + " succeed on service."));
                            c.close();
                            return;
                        }
                        c.writeAndFlush(Unpooled.copiedBuffer(steps[step] + "\r\n", StandardCharsets.US_ASCII));
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext c) {
                        if (!out.isDone())
                            out.complete(CheckResult.failed(FailureClass.SMTP_REPLY, "Read failure from server " + target(),
                                    "connection closed awaiting reply to " + steps[step]));
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext c, Throwable t) {
                        if (!out.isDone()) {
                            FailureClass why = Net.ioFailure(t);
                            out.complete(CheckResult.failed(why, (why == FailureClass.READ_TIMEOUT
                                    ? "Read timeout from server " : "Read failure from server ") + target(),
                                    "awaiting reply to " + steps[step] + ": " + Net.text(t)));
                        }
                        c.close();
                    }
                });
            }
        };
        try {
            Net.connect(Net.bootstrapNoDelay(ctx, connectTimeout).handler(init), endpoint).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    FailureClass why = Net.connectFailure(f.cause());
                    out.complete(CheckResult.failed(why, why == FailureClass.CONNECT_TIMEOUT
                            ? "Connection timeout to server " + target()
                            : "SMTP_CHECK Could not connect to server " + InetText.pair(endpoint.connect().getAddress(), endpoint.connect().getPort()),
                            Net.text(f.cause())));
                }
            });
        } catch (RuntimeException e) {
            out.complete(CheckResult.failed(FailureClass.IO_ERROR, "Error connecting to server " + target(), Net.text(e)));
        }
        return out;
    }
}
