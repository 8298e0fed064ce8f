package io.javalived.checkers;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * TCP_CHECK's attempt as keepalived makes it: a non-blocking socket, connect(), wait for writability on the probe's
 * epoll loop, read SO_ERROR, close. No Netty channel (no pipeline, promise, remote-address lookup or the
 * ClosedChannelException with its stack trace that closing a channel builds): one object per probe, reused by every
 * attempt; an attempt allocates only the socket's file descriptor, its epoll registration and the timeout's timer
 * entry. Used on the epoll transport for a real server without bindto (bindto goes through the Netty channel, which
 * sets IP_BIND_ADDRESS_NO_PORT).
 */
final class EpollTcpConnect implements Checker.Attempt, EpollIoHandle, Runnable {
    private final IoEventLoop loop;
    private final InetSocketAddress remote;
    private final long timeoutNanos;
    private final CheckResult success;
    private final String failedLine, timeoutLine, timeoutDetail;
    private Consumer<CheckResult> done;
    private LinuxSocket socket;
    private LinuxSocket lastSocket;
    private IoRegistration registration;
    private ScheduledFuture<?> timer;

    EpollTcpConnect(IoEventLoop loop, TcpChecker checker) {
        this.loop = loop;
        this.remote = checker.endpoint().connect();
        long ms = Math.max(1, checker.connectTimeout().toMillis());
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(ms);
        String target = checker.target();
        this.success = CheckResult.success("TCP connection to " + target + " success.");
        this.failedLine = "TCP connection to " + target + " failed.";
        this.timeoutLine = "TCP connection to " + target + " timeout.";
        this.timeoutDetail = "connection timed out after " + ms + " ms";
    }

    /** Whether this loop takes raw epoll registrations (the epoll transport). */
    static boolean fits(io.netty.channel.EventLoop loop) {
        return loop instanceof IoEventLoop l && l.isCompatible(EpollTcpConnect.class);
    }

    @Override
    public void run(Consumer<CheckResult> done) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> run(done));
            return;
        }
        this.done = done;
        try {
            socket = LinuxSocket.newSocketStream(remote.getAddress() instanceof Inet6Address);
            lastSocket = socket;
            if (socket.connect(remote)) { // loopback may connect at once
                finish(success);
                return;
            }
            Future<IoRegistration> f = loop.register(this);
            if (!f.isDone()) { // registers inline on its own loop; anything else is a failure here
                finish(CheckResult.failed(FailureClass.IO_ERROR, failedLine, "epoll registration pending"));
                return;
            }
            if (!f.isSuccess()) {
                finish(CheckResult.failed(FailureClass.IO_ERROR, failedLine, Net.text(f.cause())));
                return;
            }
            registration = f.getNow();
            registration.submit(EpollIoOps.EPOLLOUT);
            timer = loop.schedule(this, timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (IOException | RuntimeException e) {
            finish(CheckResult.failed(Net.connectFailure(e), failedLine, Net.text(e)));
        }
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

    /** connect_timeout passed. */
    @Override
    public void run() {
        timer = null;
        if (socket != null)
            finish(CheckResult.failed(FailureClass.CONNECT_TIMEOUT, timeoutLine, timeoutDetail));
    }

    private void finish(CheckResult r) {
        ScheduledFuture<?> t = timer;
        timer = null;
        if (t != null) t.cancel(false);
        closeSocket();
        Consumer<CheckResult> d = done;
        done = null;
        if (d != null) d.accept(r);
    }

    private void closeSocket() {
        IoRegistration reg = registration;
        registration = null;
        if (reg != null) reg.cancel();
        LinuxSocket s = socket;
        socket = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a connect()ed socket: nothing to do about it
            }
        }
    }

    /** The current attempt's socket (the last one's, closed, between attempts). */
    @Override
    public FileDescriptor fd() {
        return lastSocket;
    }

    /** The loop is shutting down. */
    @Override
    public void close() {
        closeSocket();
    }
}
