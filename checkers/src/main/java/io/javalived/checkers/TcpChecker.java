package io.javalived.checkers;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

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
        try {
            Net.connect(Net.bootstrap(ctx, connectTimeout).handler(Net.NOOP), endpoint)
                    .addListener((io.netty.channel.ChannelFutureListener) f -> {
                        if (f.isSuccess()) {
                            f.channel().close();
                            out.complete(CheckResult.success("TCP connection to " + target() + " success."));
                        } else {
                            FailureClass why = Net.connectFailure(f.cause());
                            String line = why == FailureClass.CONNECT_TIMEOUT
                                    ? "TCP connection to " + target() + " timeout."
                                    : "TCP connection to " + target() + " failed.";
                            out.complete(CheckResult.failed(why, line, Net.text(f.cause())));
                        }
                    });
        } catch (RuntimeException e) {
            out.complete(CheckResult.failed(FailureClass.IO_ERROR, "TCP connection to " + target() + " failed.", Net.text(e)));
        }
        return out;
    }
}
