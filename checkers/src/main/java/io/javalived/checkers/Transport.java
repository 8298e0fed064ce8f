package io.javalived.checkers;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** Netty transport: native epoll when available, NIO otherwise. */
public record Transport(String name, IoHandlerFactory ioHandler, Class<? extends Channel> socketChannel,
                        Class<? extends Channel> datagramChannel) {
    public static Transport best() {
        if (!Boolean.getBoolean("javalived.nio") && Epoll.isAvailable())
            return new Transport("epoll", EpollIoHandler.newFactory(), EpollSocketChannel.class, EpollDatagramChannel.class);
        return new Transport("nio", NioIoHandler.newFactory(), NioSocketChannel.class, NioDatagramChannel.class);
    }

    /** Loops of this transport, each with its {@link LoopClock}. */
    public EventLoopGroup newGroup(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true),
                LoopClock.clocked(ioHandler));
    }
}
