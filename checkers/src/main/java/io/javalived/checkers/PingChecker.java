package io.javalived.checkers;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** PING_CHECK: one ICMP (ICMPv6) echo request; a reply within connect_timeout = up. */
public record PingChecker(InetAddress address, Duration connectTimeout) implements Checker {
    @Override
    public String keyword() {
        return "PING_CHECK";
    }

    @Override
    public String logName() {
        return "ICMP CHECK";
    }

    @Override
    public String target() {
        return "[" + Fmt.ip(address) + "]";
    }

    @Override
    public String identity() {
        return "PING_CHECK|" + address.getHostAddress() + "|" + connectTimeout.toMillis();
    }

    @Override
    public CompletableFuture<CheckResult> check(CheckContext ctx) {
        CompletableFuture<CheckResult> out = new CompletableFuture<>();
        String a = Fmt.ip(address);
        ctx.pinger().ping(address, Math.max(1, connectTimeout.toMillis()), ctx.loop()).whenComplete((ok, e) -> {
            if (e != null)
                out.complete(CheckResult.failed(FailureClass.IO_ERROR, "ICMP connection to " + a + " failed.",
                        Net.text(e)));
            else if (ok)
                out.complete(CheckResult.success("ICMP connection to " + a + " success."));
            else
                out.complete(CheckResult.failed(FailureClass.CONNECT_TIMEOUT,
                        "ICMP connection to address " + a + " timeout.", "no echo reply in " + connectTimeout.toMillis() + " ms"));
        });
        return out;
    }
}
