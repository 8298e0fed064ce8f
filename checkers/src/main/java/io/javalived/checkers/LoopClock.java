package io.javalived.checkers;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.ThreadAwareExecutor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * A check loop's clock: {@link System#nanoTime()} read at most once per wake-up of the loop, as keepalived reads the
 * time once per pass of its scheduler. The attempts' deadlines and the probes' due times, durations and lateness all
 * take it, so a check costs one clock read per wake-up instead of eight (where the clock is not in the vDSO - a VM
 * whose clocksource is hpet or acpi_pm - each read is a system call). A value is at most one wake-up's work old:
 * {@link #clocked} forgets it whenever the loop goes to wait for I/O and again when the I/O it waited for has been
 * handled, before the loop's tasks and timers run.
 *
 * <p>Loop thread only. A loop that was not made through {@link #clocked} (a test's own group) gets a clock that
 * reads {@link System#nanoTime()} every time.
 */
final class LoopClock {
    private static final Map<Executor, LoopClock> CLOCKS = new ConcurrentHashMap<>();
    private static final LoopClock DIRECT = new LoopClock(true);

    private final boolean direct;
    private boolean valid;
    private long now;

    private LoopClock(boolean direct) {
        this.direct = direct;
    }

    /** The time of this wake-up of the loop (read now if it was not yet). */
    long nanoTime() {
        if (direct) return System.nanoTime();
        if (!valid) {
            now = System.nanoTime();
            valid = true;
        }
        return now;
    }

    /** The loop waits, or waited: the next {@link #nanoTime()} reads the clock. */
    void forget() {
        valid = false;
    }

    /** The clock of {@code loop} (a clock that always reads when the loop has none). */
    static LoopClock of(Executor loop) {
        LoopClock c = CLOCKS.get(loop);
        return c != null ? c : DIRECT;
    }

    /** {@code factory}'s handlers, each with a clock for its loop that it forgets around every wait for I/O. */
    static IoHandlerFactory clocked(IoHandlerFactory factory) {
        return new IoHandlerFactory() {
            @Override
            public IoHandler newHandler(ThreadAwareExecutor loop) {
                LoopClock clock = new LoopClock(false);
                IoHandler h = factory.newHandler(loop);
                CLOCKS.put(loop, clock);
                return new Handler(h, clock, loop);
            }

            @Override
            public boolean isChangingThreadSupported() {
                return factory.isChangingThreadSupported();
            }
        };
    }

    private record Handler(IoHandler delegate, LoopClock clock, Executor loop) implements IoHandler {
        @Override
        public void initialize() {
            delegate.initialize();
        }

        @Override
        public int run(IoHandlerContext context) {
            clock.forget(); // it may wait in there
            try {
                return delegate.run(context);
            } finally {
                clock.forget(); // the tasks and timers run next
            }
        }

        @Override
        public void prepareToDestroy() {
            delegate.prepareToDestroy();
        }

        @Override
        public void destroy() {
            CLOCKS.remove(loop, clock);
            delegate.destroy();
        }

        @Override
        public IoRegistration register(IoHandle handle) throws Exception {
            return delegate.register(handle);
        }

        @Override
        public void wakeup() {
            delegate.wakeup();
        }

        @Override
        public boolean isCompatible(Class<? extends IoHandle> handleType) {
            return delegate.isCompatible(handleType);
        }
    }
}
