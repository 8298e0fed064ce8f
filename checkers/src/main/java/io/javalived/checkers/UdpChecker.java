package io.javalived.checkers;

import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

/**
 * UDP_CHECK: send payload; an ICMP port unreachable = down. With require_reply a reply must come within
 * connect_timeout, its length within [minReplyLength, maxReplyLength] and, if {@code reply} is set, start with those
 * bytes. Without require_reply, silence is a success (keepalived).
 */
public record UdpChecker(Endpoint endpoint, Duration connectTimeout, byte[] payload, boolean requireReply,
                         int minReplyLength, int maxReplyLength, byte[] reply) implements Checker {
    public UdpChecker {
        payload = payload == null ? new byte[0] : payload.clone();
        reply = reply == null ? null : reply.clone();
        if (maxReplyLength <= 0) maxReplyLength = 65535;
    }

    @Override
    public String keyword() {
        return "UDP_CHECK";
    }

    @Override
    public String target() {
        return endpoint.trio("udp");
    }

    @Override
    public String identity() {
        HexFormat h = HexFormat.of();
        return "UDP_CHECK|" + endpoint + "|" + connectTimeout.toMillis() + "|" + h.formatHex(payload) + "|" + requireReply
                + "|" + minReplyLength + "|" + maxReplyLength + "|" + (reply == null ? "" : h.formatHex(reply));
    }

    /** Judges a reply (null = none came). Pure. */
    public CheckResult judge(byte[] r) {
        String ok = "UDP connection to " + target() + " success.";
        String bad = "UDP connection to " + target() + " failed.";
        if (r == null) {
            if (!requireReply) return CheckResult.success(ok);
            return CheckResult.failed(FailureClass.UDP_REPLY, bad, "no reply within " + connectTimeout.toMillis() + " ms");
        }
        if (r.length < minReplyLength || r.length > maxReplyLength)
            return CheckResult.failed(FailureClass.UDP_REPLY, bad, "reply length " + r.length + " not in ["
                    + minReplyLength + ", " + maxReplyLength + "]");
        if (reply != null && (r.length < reply.length || !Arrays.equals(r, 0, reply.length, reply, 0, reply.length)))
            return CheckResult.failed(FailureClass.UDP_REPLY, "UDP check to " + target() + " reply data mismatch.", null);
        return CheckResult.success(ok);
    }

    @Override
    public CompletableFuture<CheckResult> check(CheckContext ctx) {
        return Udp.exchange(ctx, endpoint, connectTimeout, payload, requireReply).thenApply(x -> {
            if (x.refused())
                return CheckResult.failed(FailureClass.CONNECTION_REFUSED, "UDP connection to " + target() + " failed.",
                        "port unreachable");
            if (x.error() != null)
                return CheckResult.failed(FailureClass.IO_ERROR, "UDP connection to " + target() + " failed.", x.error());
            return judge(x.reply());
        });
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UdpChecker u && u.identity().equals(identity());
    }

    @Override
    public int hashCode() {
        return identity().hashCode();
    }
}
