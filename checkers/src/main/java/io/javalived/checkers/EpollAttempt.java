package io.javalived.checkers;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An attempt made on a raw non-blocking socket registered with the probe's Netty epoll loop (no channel, pipeline or
 * promise per attempt). One object per probe, reused by every attempt. Its timeout is a deadline that the scheduler
 * keeps in the probe's slot ({@link Checker.TimedAttempt}); {@link #run} alone arms a loop timer for it instead.
 */
abstract class EpollAttempt implements Checker.TimedAttempt, EpollIoHandle {
    final IoEventLoop loop;
    /** The loop's clock: read once per wake-up (see {@link LoopClock}). */
    final LoopClock clock;
    LinuxSocket socket;
    private LinuxSocket lastSocket;
    IoRegistration registration;
    private Consumer<CheckResult> done;
    private ScheduledFuture<?> ownTimer;

    EpollAttempt(IoEventLoop loop) {
        this.loop = loop;
        this.clock = LoopClock.of(loop);
    }

    /** Whether this loop takes raw epoll registrations (the epoll transport). */
    static boolean fits(io.netty.channel.EventLoop loop) {
        return loop instanceof IoEventLoop l && l.isCompatible(EpollAttempt.class);
    }

    /** Begins the attempt (done is set); returns its first deadline or NONE when it finished at once. */
    abstract long begin();

    /** The current deadline passed: finish with the timeout's result. */
    abstract CheckResult timedOut();

    /** The deadline the attempt is at now (it may move later while it runs). */
    abstract long deadline();

    @Override
    public final long start(Consumer<CheckResult> done) {
        this.done = done;
        long d = begin();
        return this.done == null ? NONE : d;
    }

    @Override
    public final long expire(long now) {
        if (done == null) return NONE;
        long d = deadline();
        if (now < d) return d;
        finish(timedOut());
        return NONE;
    }

    /** Outside the scheduler: times out by a loop timer of its own. */
    @Override
    public final void run(Consumer<CheckResult> done) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> run(done));
            return;
        }
        long d = start(done);
        if (d != NONE) arm(d);
    }

    private void arm(long d) {
        ownTimer = loop.schedule(() -> {
            ownTimer = null;
            long n = expire(System.nanoTime());
            if (n != NONE) arm(n);
        }, Math.max(0, d - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** Opens this attempt's socket (non-blocking). */
    final LinuxSocket open(boolean ipv6) throws IOException {
        socket = LinuxSocket.newSocketStream(ipv6);
        lastSocket = socket;
        return socket;
    }

    /** Registers the open socket with the loop for {@code ops} (or changes its ops). */
    final void want(io.netty.channel.IoOps ops) throws IOException {
        if (registration == null) {
            Future<IoRegistration> f = loop.register(this);
            if (!f.isDone()) throw new IOException("epoll registration pending");
            if (!f.isSuccess()) {
                Throwable c = f.cause();
                throw c instanceof IOException io ? io : new IOException(Net.text(c), c);
            }
            registration = f.getNow();
        }
        registration.submit(ops);
    }

    final void finish(CheckResult r) {
        ScheduledFuture<?> t = ownTimer;
        ownTimer = null;
        if (t != null) t.cancel(false);
        closeSocket();
        Consumer<CheckResult> d = done;
        done = null;
        if (d != null) d.accept(r);
    }

    /**
     * Closes the socket, then drops its registration: a closed descriptor has left the epoll set already, so Netty
     * skips its epoll_ctl(DEL) (one syscall less per attempt). Same thread, so the number cannot be reused between.
     */
    final void closeSocket() {
        LinuxSocket s = socket;
        socket = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a connect()ed socket: nothing to do about it
            }
        }
        IoRegistration reg = registration;
        registration = null;
        if (reg != null) reg.cancel();
    }

    /** The current attempt's socket (the last one's, closed, between attempts). */
    @Override
    public final FileDescriptor fd() {
        return lastSocket;
    }

    /** The loop is shutting down. */
    @Override
    public final void close() {
        closeSocket();
    }
}
