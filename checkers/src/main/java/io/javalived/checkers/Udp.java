package io.javalived.checkers;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.net.PortUnreachableException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** One UDP request / reply exchange on a connected datagram channel (ICMP port unreachable = refused). */
final class Udp {
    private Udp() {}

    record Exchange(byte[] reply, boolean refused, String error) {}

    static CompletableFuture<Exchange> exchange(CheckContext ctx, Endpoint ep, Duration timeout, byte[] payload,
                                                boolean wantReply) {
        CompletableFuture<Exchange> out = new CompletableFuture<>();
        Bootstrap b = new Bootstrap().group(ctx.loop()).channel(ctx.transport().datagramChannel())
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext c, Object msg) {
                        ByteBuf buf = msg instanceof DatagramPacket p ? p.content() : (ByteBuf) msg;
                        try {
                            byte[] a = new byte[buf.readableBytes()];
                            buf.readBytes(a);
                            out.complete(new Exchange(a, false, null));
                        } finally {
                            buf.release();
                        }
                        c.close();
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext c, Throwable t) {
                        Throwable x = Net.unwrap(t);
                        boolean refused = x instanceof PortUnreachableException
                                || String.valueOf(x.getMessage()).toLowerCase().contains("refused");
                        out.complete(new Exchange(null, refused, refused ? null : Net.text(x)));
                        c.close();
                    }
                });
        try {
            var cf = ep.bindAddress() == null ? b.connect(ep.connect()) : b.connect(ep.connect(), ep.bindAddress());
            cf.addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    out.complete(new Exchange(null, false, Net.text(f.cause())));
                    return;
                }
                Channel ch = f.channel();
                ScheduledFuture<?> to = ch.eventLoop().schedule(() -> {
                    out.complete(new Exchange(null, false, null));
                    ch.close();
                }, Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
                out.whenComplete((x, e) -> {
                    to.cancel(false);
                    ch.close();
                });
                ch.writeAndFlush(Unpooled.wrappedBuffer(payload)).addListener((ChannelFutureListener) w -> {
                    if (!w.isSuccess()) {
                        Throwable x = Net.unwrap(w.cause());
                        boolean refused = x instanceof PortUnreachableException
                                || String.valueOf(x.getMessage()).toLowerCase().contains("refused");
                        out.complete(new Exchange(null, refused, refused ? null : Net.text(x)));
                    }
                });
            });
        } catch (RuntimeException e) {
            out.complete(new Exchange(null, false, Net.text(e)));
        }
        return out;
    }
}
