package io.javalived.checkers;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.time.Duration;
import javax.net.ssl.SSLException;

/** Shared socket plumbing for the Netty checkers. */
final class Net {
    private Net() {}

    /** A handler that does nothing (TCP_CHECK only connects). */
    static final io.netty.channel.ChannelHandler NOOP = new Noop();

    @io.netty.channel.ChannelHandler.Sharable
    private static final class Noop extends io.netty.channel.ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    static Bootstrap bootstrap(CheckContext ctx, Duration connectTimeout) {
        return new Bootstrap().group(ctx.loop()).channel(ctx.transport().socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, connectTimeout.toMillis()));
    }

    /** For checkers that write requests: small writes go out at once. */
    static Bootstrap bootstrapNoDelay(CheckContext ctx, Duration connectTimeout) {
        return bootstrap(ctx, connectTimeout).option(ChannelOption.TCP_NODELAY, true);
    }

    static ChannelFuture connect(Bootstrap b, Endpoint ep) {
        if (ep.bindAddress() == null) return b.connect(ep.connect());
        // bindto without bind_port: let the kernel pick the port at connect time (per destination), not at bind
        // time, so thousands of checks from one source address do not run out of ports.
        if (ep.bindPort() == 0 && b.config().channelFactory() != null
                && b.config().channelFactory().toString().contains("Epoll"))
            b.option(io.netty.channel.epoll.EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
        return b.connect(ep.connect(), ep.bindAddress());
    }

    /** Classifies a connect-phase error. */
    static FailureClass connectFailure(Throwable t) {
        Throwable c = unwrap(t);
        if (c instanceof ConnectTimeoutException) return FailureClass.CONNECT_TIMEOUT;
        if (c instanceof NoRouteToHostException) return FailureClass.UNREACHABLE;
        String m = String.valueOf(c.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (m.contains("unreachable") || m.contains("no route")) return FailureClass.UNREACHABLE;
        if (c instanceof ConnectException || c instanceof PortUnreachableException || m.contains("refused"))
            return FailureClass.CONNECTION_REFUSED;
        return FailureClass.IO_ERROR;
    }

    /** Classifies an error after the connection was made. */
    static FailureClass ioFailure(Throwable t) {
        Throwable c = unwrap(t);
        if (c instanceof ReadTimeoutException) return FailureClass.READ_TIMEOUT;
        if (c instanceof SSLException || c.getClass().getName().contains("Ssl") || c.getClass().getName().contains("SSL"))
            return FailureClass.TLS_HANDSHAKE;
        return FailureClass.IO_ERROR;
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof io.netty.handler.codec.DecoderException)
                && t.getCause() != null) t = t.getCause();
        return t;
    }

    static String text(Throwable t) {
        Throwable c = unwrap(t);
        String m = c.getMessage();
        if (m == null) return c.getClass().getSimpleName();
        // Netty's connect errors carry the address after ':'; keep the errno part.
        int i = m.indexOf(": /");
        if (i > 0) m = m.substring(0, i);
        int j = m.lastIndexOf("): "); // netty native: "finishConnect(..) failed with error(-111): Connection refused"
        return j > 0 ? m.substring(j + 3) : m;
    }
}
