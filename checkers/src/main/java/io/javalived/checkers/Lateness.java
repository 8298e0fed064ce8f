package io.javalived.checkers;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free histogram of check start lateness (actual start - due time), in 100 µs buckets up to 10 s (later
 * starts land in the last bucket). Percentiles are bucket upper bounds.
 */
public final class Lateness {
    static final long BUCKET_NANOS = 100_000;
    static final int BUCKETS = 100_000;
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    public void record(long latenessNanos) {
        int b = (int) Math.min(BUCKETS - 1, Math.max(0, latenessNanos) / BUCKET_NANOS);
        counts.incrementAndGet(b);
    }

    public long count() {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) n += counts.get(i);
        return n;
    }

    /** The p-th percentile (0..100) in nanos, 0 when empty. */
    public long percentileNanos(double p) {
        long n = count();
        if (n == 0) return 0;
        long rank = (long) Math.ceil(p / 100.0 * n);
        if (rank < 1) rank = 1;
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) return (i + 1) * BUCKET_NANOS;
        }
        return BUCKETS * BUCKET_NANOS;
    }

    public void reset() {
        for (int i = 0; i < BUCKETS; i++) counts.set(i, 0);
    }
}
