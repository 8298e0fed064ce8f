package io.javalived.checkers;

import java.time.Duration;
import java.util.Objects;

/**
 * The timing options every keepalived checker shares, plus javalived's rise/fall.
 *
 * @param delayLoop        delay_loop: time between two checks once a verdict is reached
 * @param retry            retry: how many times a failed check is retried before the checker is declared down
 * @param delayBeforeRetry delay_before_retry: time between a failure and its retry
 * @param warmup           warmup: the first check starts at a random time in [0, warmup]; ZERO = spread evenly over
 *                         the first delay_loop (javalived: keepalived would fire them all at once)
 * @param alpha            alpha: the checker starts down (keepalived starts checkers up otherwise)
 * @param logAllFailures   log_all_failures: log every failed attempt, not only state changes
 * @param rise             javalived: consecutive successful checks needed to go up (1 = keepalived)
 * @param fall             javalived: consecutive failed checks (each after its retries) needed to go down (1 = keepalived)
 */
public record CheckTiming(Duration delayLoop, int retry, Duration delayBeforeRetry, Duration warmup, boolean alpha,
                          boolean logAllFailures, int rise, int fall) {
    public CheckTiming {
        Objects.requireNonNull(delayLoop);
        Objects.requireNonNull(delayBeforeRetry);
        warmup = warmup == null ? Duration.ZERO : warmup;
        if (delayLoop.isNegative() || delayLoop.isZero()) throw new IllegalArgumentException("delay_loop must be > 0");
        if (retry < 0) throw new IllegalArgumentException("retry must be >= 0");
        if (rise < 1 || fall < 1) throw new IllegalArgumentException("rise and fall must be >= 1");
    }

    /** keepalived's defaults: delay_loop 60 s, retry 1, delay_before_retry 1 s, no warmup, no alpha. */
    public static CheckTiming defaults() {
        return new CheckTiming(Duration.ofSeconds(60), 1, Duration.ofSeconds(1), Duration.ZERO, false, false, 1, 1);
    }

    public static CheckTiming every(Duration delayLoop) {
        return defaults().withDelayLoop(delayLoop);
    }

    public CheckTiming withDelayLoop(Duration d) {
        return new CheckTiming(d, retry, delayBeforeRetry, warmup, alpha, logAllFailures, rise, fall);
    }

    public CheckTiming withRetry(int n, Duration delay) {
        return new CheckTiming(delayLoop, n, delay, warmup, alpha, logAllFailures, rise, fall);
    }

    public CheckTiming withWarmup(Duration w) {
        return new CheckTiming(delayLoop, retry, delayBeforeRetry, w, alpha, logAllFailures, rise, fall);
    }

    public CheckTiming withAlpha(boolean a) {
        return new CheckTiming(delayLoop, retry, delayBeforeRetry, warmup, a, logAllFailures, rise, fall);
    }

    public CheckTiming withLogAllFailures(boolean l) {
        return new CheckTiming(delayLoop, retry, delayBeforeRetry, warmup, alpha, l, rise, fall);
    }

    public CheckTiming withRiseFall(int r, int f) {
        return new CheckTiming(delayLoop, retry, delayBeforeRetry, warmup, alpha, logAllFailures, r, f);
    }
}
