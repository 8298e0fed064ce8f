package io.javalived.it.lab;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The benchmarks' percentile: nearest rank, the ceil(p/100 n)-th smallest value (p 0 = min, 100 = max). */
public final class Percentile {
    private Percentile() {
    }

    /** NaN for no values. */
    public static double of(List<Double> values, int p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        int idx = (int) Math.ceil(p / 100.0 * s.size()) - 1;
        return s.get(Math.max(0, Math.min(s.size() - 1, idx)));
    }
}
