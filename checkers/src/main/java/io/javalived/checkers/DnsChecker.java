package io.javalived.checkers;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/** DNS_CHECK: a query (type, name; default A and ".") over UDP; an answer of that type within connect_timeout = up. */
public record DnsChecker(Endpoint endpoint, Duration connectTimeout, String type, String name) implements Checker {
    public DnsChecker {
        type = type == null ? "A" : type.toUpperCase(java.util.Locale.ROOT);
        name = name == null || name.isEmpty() ? "." : name;
        DnsMessage.type(type);
    }

    @Override
    public String keyword() {
        return "DNS_CHECK";
    }

    @Override
    public String target() {
        return endpoint.trio();
    }


    @Override
    public CompletableFuture<CheckResult> check(CheckContext ctx) {
        int id = ThreadLocalRandom.current().nextInt(1 << 16);
        byte[] q = DnsMessage.query(id, name, DnsMessage.type(type));
        int qtype = DnsMessage.type(type);
        return Udp.exchange(ctx, endpoint, connectTimeout, q, true).thenApply(x -> {
            String head = "DNS_CHECK (" + target() + ") ";
            if (x.refused()) return CheckResult.failed(FailureClass.CONNECTION_REFUSED,
                    head + "failed to read socket; errno 111 (Connection refused)", "ICMP port unreachable");
            if (x.error() != null) return CheckResult.failed(FailureClass.IO_ERROR, head + "failed", x.error());
            if (x.reply() == null)
                return CheckResult.failed(FailureClass.READ_TIMEOUT, head + "timeout", "no reply to " + type + " " + name);
            String p = DnsMessage.problem(x.reply(), x.reply().length, id, qtype);
            if (p != null) return CheckResult.failed(FailureClass.DNS_ANSWER, head + p, type + " " + name);
            return CheckResult.success(head + "succeed");
        });
    }
}
