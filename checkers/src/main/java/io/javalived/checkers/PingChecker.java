package io.javalived.checkers;

import io.javalived.inet.InetText;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * PING_CHECK: one ICMP (ICMPv6) echo request; a reply within connect_timeout = up.
 *
 * @param service the real server as keepalived names the checker ({@code [10.0.0.2]:tcp:80}), or null
 */
public record PingChecker(InetAddress address, Duration connectTimeout, String service) implements Checker {
    public PingChecker(InetAddress address, Duration connectTimeout) {
        this(address, connectTimeout, null);
    }

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
        return service != null ? service : "[" + InetText.ip(address) + "]";
    }

    /** One probe per address and timeout: {@code service} is only the text of the log lines. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PingChecker p && p.address.equals(address) && p.connectTimeout.equals(connectTimeout);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(address, connectTimeout);
    }

    @Override
    public CompletableFuture<CheckResult> check(CheckContext ctx) {
        CompletableFuture<CheckResult> out = new CompletableFuture<>();
        String a = InetText.ip(address);
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
