package io.javalived.checkers;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * UDP_CHECK: send payload; an ICMP port unreachable = down. With require_reply a reply must come within
 * connect_timeout, its length within [minReplyLength, maxReplyLength] and, if {@code reply} is set, start with those
 * bytes where {@code replyMask} has bits set (null mask = all bits). Without require_reply, silence is a success
 * (keepalived).
 */
public record UdpChecker(Endpoint endpoint, Duration connectTimeout, byte[] payload, boolean requireReply,
                         int minReplyLength, int maxReplyLength, byte[] reply, byte[] replyMask) implements Checker {
    public UdpChecker {
        payload = payload == null ? new byte[0] : payload.clone();
        reply = reply == null ? null : reply.clone();
        replyMask = replyMask == null ? null : replyMask.clone();
        if (maxReplyLength <= 0) maxReplyLength = 65535;
    }

    public UdpChecker(Endpoint endpoint, Duration connectTimeout, byte[] payload, boolean requireReply,
                      int minReplyLength, int maxReplyLength, byte[] reply) {
        this(endpoint, connectTimeout, payload, requireReply, minReplyLength, maxReplyLength, reply, null);
    }

    @Override
    public String keyword() {
        return "UDP_CHECK";
    }

    @Override
    public String target() {
        return endpoint.trio();
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
        if (reply != null && !matches(r))
            return CheckResult.failed(FailureClass.UDP_REPLY, "UDP check to " + target() + " reply data mismatch.", null);
        return CheckResult.success(ok);
    }

    private boolean matches(byte[] r) {
        if (r.length < reply.length) return false;
        for (int i = 0; i < reply.length; i++) {
            int m = replyMask == null ? 0xff : replyMask[i] & 0xff;
            if (((r[i] ^ reply[i]) & m) != 0) return false;
        }
        return true;
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
        return o instanceof UdpChecker u && u.endpoint.equals(endpoint) && u.connectTimeout.equals(connectTimeout)
                && Arrays.equals(u.payload, payload) && u.requireReply == requireReply
                && u.minReplyLength == minReplyLength && u.maxReplyLength == maxReplyLength
                && Arrays.equals(u.reply, reply) && Arrays.equals(u.replyMask, replyMask);
    }

    @Override
    public int hashCode() {
        return Objects.hash(endpoint, connectTimeout, Arrays.hashCode(payload), requireReply, minReplyLength,
                maxReplyLength, Arrays.hashCode(reply), Arrays.hashCode(replyMask));
    }
}
