package io.javalived.checkers;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The check loops' clock: one reading per wake-up of a real loop, a fresh one after every wait. */
class LoopClockTest {

    @Test
    void oneReadingPerWakeUpAndAFreshOneAfterEachWait() throws Exception {
        EventLoopGroup group = Transport.best().newGroup(1, "clock-test");
        try {
            EventLoop loop = group.next();
            // within one task: the same reading, however long the task runs
            long[] inTask = loop.submit(() -> {
                LoopClock c = LoopClock.of(loop);
                long a = c.nanoTime();
                long spin = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3);
                while (System.nanoTime() < spin) Thread.onSpinWait();
                return new long[] {a, c.nanoTime(), System.nanoTime()};
            }).get(5, TimeUnit.SECONDS);
            assertThat(inTask[1]).isEqualTo(inTask[0]);
            assertThat(inTask[2] - inTask[0]).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(3));

            // a task that runs after the loop waited 20 ms reads the clock again: never older than the wait
            long before = loop.submit(() -> LoopClock.of(loop).nanoTime()).get(5, TimeUnit.SECONDS);
            long scheduledAt = System.nanoTime();
            CompletableFuture<long[]> later = new CompletableFuture<>();
            loop.schedule(() -> later.complete(new long[] {LoopClock.of(loop).nanoTime(), System.nanoTime()}),
                    20, TimeUnit.MILLISECONDS);
            long[] after = later.get(5, TimeUnit.SECONDS);
            assertThat(after[0]).isGreaterThanOrEqualTo(scheduledAt + TimeUnit.MILLISECONDS.toNanos(20));
            assertThat(after[0]).isGreaterThan(before).isLessThanOrEqualTo(after[1]);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        // its loop is gone: no clock kept for it
        Executor gone = group.next();
        Executor other = Runnable::run;
        assertThat(LoopClock.of(gone)).isSameAs(LoopClock.of(other));
    }

    @Test
    void aLoopWithoutAClockReadsEveryTime() {
        Executor other = Runnable::run;
        LoopClock c = LoopClock.of(other);
        long a = c.nanoTime();
        long spin = System.nanoTime() + 1_000_000;
        while (System.nanoTime() < spin) Thread.onSpinWait();
        assertThat(c.nanoTime()).isGreaterThanOrEqualTo(a + 1_000_000);
    }
}
