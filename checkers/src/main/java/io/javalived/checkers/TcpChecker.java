package io.javalived.checkers;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** TCP_CHECK: a non-blocking connect; established = up. */
public record TcpChecker(Endpoint endpoint, Duration connectTimeout) implements Checker {
    @Override
    public String keyword() {
        return "TCP_CHECK";
    }

    @Override
    public String target() {
        return endpoint.trio();
    }

    @Override
    public CompletableFuture<CheckResult> check(CheckContext ctx) {
        CompletableFuture<CheckResult> out = new CompletableFuture<>();
        prepare(ctx).run(out::complete);
        return out;
    }

    /**
     * On the epoll transport without bindto: a raw non-blocking connect on the loop ({@link EpollTcpConnect}).
     * Otherwise a Netty channel per attempt, from one bootstrap per probe.
     */
    @Override
    public Attempt prepare(CheckContext ctx) {
        if (endpoint.bindAddress() == null && !Boolean.getBoolean("javalived.tcpcheck.channel")
                && EpollAttempt.fits(ctx.loop()))
            return new EpollTcpConnect((io.netty.channel.IoEventLoop) ctx.loop(), this);
        return new ChannelConnect(ctx);
    }

    /** A Netty channel per attempt (NIO transport, or bindto). */
    private final class ChannelConnect implements Attempt, ChannelFutureListener {
        private final Bootstrap bootstrap;
        private final CheckResult success = CheckResult.success("TCP connection to " + target() + " success.");
        private Consumer<CheckResult> done;

        ChannelConnect(CheckContext ctx) {
            bootstrap = Net.bootstrap(ctx, connectTimeout).handler(Net.NOOP);
        }

        @Override
        public void run(Consumer<CheckResult> done) {
            this.done = done;
            try {
                Net.connect(bootstrap, endpoint).addListener(this);
            } catch (RuntimeException e) {
                finish(CheckResult.failed(FailureClass.IO_ERROR, "TCP connection to " + target() + " failed.",
                        Net.text(e)));
            }
        }

        @Override
        public void operationComplete(ChannelFuture f) {
            if (f.isSuccess()) {
                f.channel().close();
                finish(success);
            } else {
                FailureClass why = Net.connectFailure(f.cause());
                String line = why == FailureClass.CONNECT_TIMEOUT
                        ? "TCP connection to " + target() + " timeout."
                        : "TCP connection to " + target() + " failed.";
                finish(CheckResult.failed(why, line, Net.text(f.cause())));
            }
        }

        private void finish(CheckResult r) {
            Consumer<CheckResult> d = done;
            done = null;
            if (d != null) d.accept(r);
        }
    }
}
