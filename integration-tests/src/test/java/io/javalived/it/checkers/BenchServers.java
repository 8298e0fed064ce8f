package io.javalived.it.checkers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The real servers of the checker benchmark, in their own JVM so that their CPU is not counted: N listeners on
 * 127.1.x.y:PORT (see {@link #address(int)}); "tcp" mode accepts and closes, "http" mode answers a fixed 200 reply.
 * Prints READY when all listen; exits when stdin closes.
 *
 * <p>Usage: {@code BenchServers N tcp|http PORT}
 */
public final class BenchServers {
    static final byte[] REPLY = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n"
            .getBytes(StandardCharsets.US_ASCII);

    /** The i-th benchmark real server address: 127.1.0.1, 127.1.0.2, ... 127.1.0.250, 127.1.1.1 ... */
    public static String address(int i) {
        return "127.1." + (i / 250) + "." + (i % 250 + 1);
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        boolean http = args[1].equals("http");
        int port = Integer.parseInt(args[2]);
        // One group accepts and serves: an accepted connection is handled (closed) by a loop that is running anyway,
        // so a busy machine cannot pile up accepted sockets (the descriptor limit is often 20,000 = 2 x 10,000).
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
        EventLoopGroup work = boss;
        ServerBootstrap b = new ServerBootstrap().group(boss, work).channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 128).option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelActive(ChannelHandlerContext c) {
                                if (!http) c.close();
                            }

                            @Override
                            public void channelRead(ChannelHandlerContext c, Object msg) {
                                ByteBuf in = (ByteBuf) msg;
                                boolean end = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n') >= 0;
                                ReferenceCountUtil.release(msg);
                                if (http && end && c.channel().attr(SENT).setIfAbsent(Boolean.TRUE) == null)
                                    c.writeAndFlush(Unpooled.wrappedBuffer(REPLY)).addListener(ChannelFutureListener.CLOSE);
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext c, Throwable t) {
                                c.close();
                            }
                        });
                    }
                });
        List<Channel> listeners = new ArrayList<>();
        for (int i = 0; i < n; i++) listeners.add(b.bind(new InetSocketAddress(address(i), port)).sync().channel());
        System.out.println("READY " + n);
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for EOF
        }
        for (Channel c : listeners) c.close();
        boss.shutdownGracefully();
    }

    static final io.netty.util.AttributeKey<Boolean> SENT = io.netty.util.AttributeKey.valueOf("sent");
}
