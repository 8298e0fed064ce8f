package io.javalived.config.model;

import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An HTTP_GET / SSL_GET url's {@code status_code}: the codes and inclusive ranges as written (100..999, each range
 * non-empty, checked by the reader); keepalived's default is {@link #DEFAULT} (200-299). Iterates over the ranges;
 * {@link #toString()} is keepalived's text form, {@code 200 301-302}.
 */
public record StatusCodes(List<Range> ranges) implements Iterable<StatusCodes.Range> {
    /** keepalived's default: any 2xx. */
    public static final StatusCodes DEFAULT = new StatusCodes(List.of(new Range(200, 299)));

    public StatusCodes {
        ranges = List.copyOf(ranges);
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("status_code without codes");
        }
    }

    /** Whether a reply with this status code is a success. */
    public boolean contains(int code) {
        for (Range r : ranges) {
            if (r.contains(code)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Iterator<Range> iterator() {
        return ranges.iterator();
    }

    @Override
    public String toString() {
        return ranges.stream().map(Range::toString).collect(Collectors.joining(" "));
    }

    /** An inclusive range of status codes ({@code from == to}: one code). */
    public record Range(int from, int to) {
        public Range {
            if (from > to) {
                throw new IllegalArgumentException("empty status code range " + from + "-" + to);
            }
        }

        public boolean contains(int code) {
            return code >= from && code <= to;
        }

        /** {@code 200} or {@code 200-299}. */
        @Override
        public String toString() {
            return from == to ? Integer.toString(from) : from + "-" + to;
        }
    }
}
