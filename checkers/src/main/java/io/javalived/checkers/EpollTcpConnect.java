package io.javalived.checkers;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoOps;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * TCP_CHECK's attempt as keepalived makes it: a non-blocking socket, connect(), wait for writability on the probe's
 * epoll loop, read SO_ERROR, close. No Netty channel (no pipeline, promise, remote-address lookup or the
 * ClosedChannelException with its stack trace that closing a channel builds), no timer entry: connect_timeout is the
 * probe's deadline slot (see {@link EpollAttempt}). An attempt allocates only the socket's file descriptor object and
 * its epoll registration. Used on the epoll transport for a real server without bindto (bindto goes through the Netty
 * channel, which sets IP_BIND_ADDRESS_NO_PORT).
 */
final class EpollTcpConnect extends EpollAttempt {
    private final InetSocketAddress remote;
    private final boolean ipv6;
    private final long timeoutNanos;
    private final CheckResult success;
    private final String failedLine;
    private final CheckResult timeout;
    private long deadline;

    EpollTcpConnect(IoEventLoop loop, TcpChecker checker) {
        super(loop);
        this.remote = checker.endpoint().connect();
        this.ipv6 = remote.getAddress() instanceof Inet6Address;
        long ms = Math.max(1, checker.connectTimeout().toMillis());
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(ms);
        String target = checker.target();
        this.success = CheckResult.success("TCP connection to " + target + " success.");
        this.failedLine = "TCP connection to " + target + " failed.";
        this.timeout = CheckResult.failed(FailureClass.CONNECT_TIMEOUT, "TCP connection to " + target + " timeout.",
                "connection timed out after " + ms + " ms");
    }

    @Override
    long begin() {
        deadline = clock.nanoTime() + timeoutNanos;
        try {
            if (open(ipv6).connect(remote)) { // loopback may connect at once
                finish(success);
                return NONE;
            }
            want(EpollIoOps.EPOLLOUT);
        } catch (IOException | RuntimeException e) {
            finish(CheckResult.failed(Net.connectFailure(e), failedLine, Net.text(e)));
            return NONE;
        }
        return deadline;
    }

    @Override
    long deadline() {
        return deadline;
    }

    @Override
    CheckResult timedOut() {
        return timeout;
    }

    /** The socket is writable (connected) or has an error. */
    @Override
    public void handle(IoRegistration reg, IoEvent event) {
        if (socket == null) return;
        CheckResult r;
        try {
            r = socket.finishConnect() ? success : null;
            if (r == null) return; // not yet (spurious wake-up)
        } catch (IOException | RuntimeException x) {
            r = CheckResult.failed(Net.connectFailure(x), failedLine, Net.text(x));
        }
        finish(r);
    }
}
