package io.javalived.checkers;

import java.util.BitSet;

/**
 * An HTTP_GET url's status_code set: keepalived accepts a list of codes and ranges ({@code status_code 200 301-303});
 * with none given, any 2xx is a success. Codes are 100..999 as keepalived.
 */
public final class StatusCodes {
    public static final int MIN = 100, MAX = 999;
    private final BitSet codes = new BitSet(MAX + 1);

    private StatusCodes() {}

    /** keepalived's default: 200-299. */
    public static StatusCodes defaultSet() {
        StatusCodes s = new StatusCodes();
        s.codes.set(200, 300);
        return s;
    }

    /**
     * The codes of the given inclusive ranges, each {@code {lo, hi}} (as the configuration reader has them). No range
     * gives the default 2xx set.
     *
     * @throws IllegalArgumentException for a range outside 100..999 or empty
     */
    public static StatusCodes ofRanges(Iterable<int[]> ranges) {
        StatusCodes s = new StatusCodes();
        for (int[] r : ranges) {
            s.add(r[0], r[1], r[0] == r[1] ? Integer.toString(r[0]) : r[0] + "-" + r[1]);
        }
        return s.codes.isEmpty() ? defaultSet() : s;
    }

    private void add(int lo, int hi, String item) {
        if (lo < MIN || hi > MAX || lo > hi)
            throw new IllegalArgumentException("Invalid HTTP_GET status code '" + item + "' (must be in "
                    + MIN + "-" + MAX + ")");
        codes.set(lo, hi + 1);
    }

    /**
     * Parses status_code arguments: each is {@code N} or {@code N-M}. An empty input gives the default 2xx set.
     *
     * @throws IllegalArgumentException naming the bad item
     */
    public static StatusCodes parse(Iterable<String> items) {
        StatusCodes s = new StatusCodes();
        for (String raw : items) {
            for (String item : raw.trim().split("[\\s,]+")) {
                if (item.isEmpty()) continue;
                int dash = item.indexOf('-', 1);
                int lo, hi;
                try {
                    if (dash < 0) {
                        lo = hi = Integer.parseInt(item);
                    } else {
                        lo = Integer.parseInt(item.substring(0, dash));
                        hi = Integer.parseInt(item.substring(dash + 1));
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Invalid HTTP_GET status code '" + item + "'");
                }
                s.add(lo, hi, item);
            }
        }
        return s.codes.isEmpty() ? defaultSet() : s;
    }

    public static StatusCodes parse(String... items) {
        return parse(java.util.Arrays.asList(items));
    }

    public boolean matches(int code) {
        return code >= MIN && code <= MAX && codes.get(code);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = codes.nextSetBit(0); i >= 0; ) {
            int j = codes.nextClearBit(i) - 1;
            if (sb.length() > 0) sb.append(' ');
            sb.append(i);
            if (j > i) sb.append('-').append(j);
            i = codes.nextSetBit(j + 1);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StatusCodes s && s.codes.equals(codes);
    }

    @Override
    public int hashCode() {
        return codes.hashCode();
    }
}
