package io.javalived.checkers;

import java.util.random.RandomGenerator;

/**
 * Where in time a probe's first check goes. Pure.
 *
 * <p>With warmup (keepalived's option): uniformly random in [0, warmup]. Without: javalived spreads probes over the
 * first delay_loop by a low-discrepancy sequence (the golden-ratio sequence on the probe's index), so that probes
 * added one by one, or all at once, never fire in bursts: any window of length w holds about n*w/delay_loop first
 * checks. Later checks follow from each probe's own completion + delay, keeping the phases.
 */
public final class Spread {
    private static final double PHI_FRAC = 0.6180339887498949;

    private Spread() {}

    /** The fraction in [0,1) for the i-th probe. */
    public static double fraction(long index) {
        double x = index * PHI_FRAC;
        return x - Math.floor(x);
    }

    /** The first-check offset in nanos. */
    public static long firstOffsetNanos(long index, long delayLoopNanos, long warmupNanos, RandomGenerator rnd) {
        if (warmupNanos > 0) return (long) (rnd.nextDouble() * warmupNanos);
        return (long) (fraction(index) * delayLoopNanos);
    }
}
