package io.javalived.checkers;

import java.util.random.RandomGenerator;

/**
 * Where in time a probe's first check goes. Pure.
 *
 * <p>With warmup (keepalived's option, which picks a random time in [0, warmup]): a random point of a low-discrepancy
 * sequence in [0, warmup] — random (a random rotation per scheduler) yet without the clumps of independent random
 * draws. Without warmup (keepalived would start all checks at once): spread over the first delay_loop the same way.
 * The sequence is the golden-ratio (Weyl) sequence on the probe's index, so probes added one by one, or all at
 * once, never fire in bursts: any window of length w holds about n*w/period first checks. Later checks follow from
 * each probe's own completion + delay, keeping the phases.
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
    public static long firstOffsetNanos(long index, long delayLoopNanos, long warmupNanos, double rotation) {
        long period = warmupNanos > 0 ? warmupNanos : delayLoopNanos;
        double f = fraction(index) + rotation;
        return (long) ((f - Math.floor(f)) * period);
    }

    /** A random rotation for a scheduler instance. */
    public static double rotation(RandomGenerator rnd) {
        return rnd.nextDouble();
    }
}
