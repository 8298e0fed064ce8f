package io.javalived.checkers;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One keepalived checker bound to its target (TCP_CHECK, HTTP_GET, SSL_GET, PING_CHECK, MISC_CHECK, SMTP_CHECK,
 * DNS_CHECK, UDP_CHECK, FILE_CHECK). Immutable; safe to run again and again. Implementations never block the calling
 * thread: the I/O runs on {@link CheckContext#loop()} and the returned future completes (on that loop, or on the
 * script pool) with the outcome — never exceptionally.
 *
 * <p>Implementations are records (or define equals/hashCode over every field that changes what is sent or judged):
 * two virtual servers holding the same real server with equal checkers and equal {@link CheckTiming} share one probe
 * (the scheduler keys probes by that pair).
 */
public interface Checker {
    /** The configuration keyword: {@code TCP_CHECK}, {@code HTTP_GET}... */
    String keyword();

    /** The name keepalived uses in "X on service ... failed after N retries." ({@code TCP_CHECK}, {@code HTTP_CHECK}). */
    default String logName() {
        return keyword();
    }

    /** The target as keepalived prints it: {@code [10.0.0.2]:tcp:80}. */
    String target();

    /** Run one attempt. */
    CompletableFuture<CheckResult> check(CheckContext ctx);

    /**
     * Binds this checker to one probe's context for attempt after attempt (the scheduler calls this once per probe).
     * A checker overrides it to keep what every attempt reuses (bootstrap, result lines, handlers) instead of
     * building it per attempt; the default runs {@link #check} each time.
     */
    default Attempt prepare(CheckContext ctx) {
        return done -> check(ctx).whenComplete((r, e) -> done.accept(e == null ? r
                : CheckResult.failed(FailureClass.IO_ERROR, logName() + " on service " + target() + " failed.",
                        String.valueOf(e))));
    }

    /** A checker bound to one probe: one attempt at a time (the next starts after the previous reported). */
    @FunctionalInterface
    interface Attempt {
        /** Starts an attempt; {@code done} gets its outcome once, on the probe's loop or on the script pool. */
        void run(Consumer<CheckResult> done);
    }

    /**
     * An attempt whose timeouts its caller drives instead of a timer of its own: the scheduler keeps them in the
     * probe's one deadline slot (see CheckScheduler). {@link #run} alone still times out by itself.
     */
    interface TimedAttempt extends Attempt {
        /** "No deadline": the attempt has ended. */
        long NONE = Long.MIN_VALUE;

        /**
         * Starts an attempt on the probe's loop (and from it); {@code done} gets its outcome once, on that loop.
         * Returns its first deadline ({@link System#nanoTime()} based), or {@link #NONE} when it already ended.
         */
        long start(Consumer<CheckResult> done);

        /**
         * A deadline returned before has passed ({@code now} is at or after it): times the attempt out, or returns
         * the later deadline it moved to meanwhile (a reply's bytes restart a read timeout), or {@link #NONE} when it
         * has ended.
         */
        long expire(long now);
    }
}
