package io.javalived.daemon;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON writer of {@code check --json} and {@code status --json}: maps in insertion order (stable keys), two-space
 * indent, ASCII-only output whatever the locale (other characters as {@code \\uXXXX}), a trailing newline. Values:
 * null / Optional, String, Boolean, numbers (BigDecimal as a plain decimal), Duration (seconds), Map, Collection;
 * anything else as its string.
 */
public final class Json {
    private Json() {
    }

    /** Every element of every array on its own line. */
    public static String write(Object value) {
        return write(value, false);
    }

    /**
     * @param inlineScalarLists arrays holding only scalars on one line ({@code [1, 2]}), nested ones one element a
     *                          line
     */
    public static String write(Object value, boolean inlineScalarLists) {
        StringBuilder sb = new StringBuilder(1024);
        write(sb, value, 0, inlineScalarLists);
        return sb.append('\n').toString();
    }

    /** Seconds as a plain decimal: 1, 0.5, 0.000001. */
    public static String seconds(Duration d) {
        return new BigDecimal(d.toNanos()).movePointLeft(9).stripTrailingZeros().toPlainString();
    }

    static void indent(StringBuilder sb, int level) {
        sb.append('\n');
        for (int i = 0; i < level; i++) {
            sb.append("  ");
        }
    }

    private static boolean scalar(Object o) {
        return !(o instanceof Map) && !(o instanceof Collection);
    }

    /** {@code v} as it is written at nesting {@code level} (no trailing newline): a piece of a larger document. */
    @SuppressWarnings("unchecked")
    static void write(StringBuilder sb, Object v, int level, boolean inline) {
        if (v instanceof Optional<?> o) {
            v = o.orElse(null);
        }
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            string(sb, s);
        } else if (v instanceof BigDecimal d) {
            sb.append(d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString());
        } else if (v instanceof Boolean || v instanceof Number) {
            sb.append(v);
        } else if (v instanceof Duration d) {
            sb.append(seconds(d));
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<Object, Object>) m).entrySet()) {
                sb.append(first ? "" : ",");
                first = false;
                indent(sb, level + 1);
                string(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                write(sb, e.getValue(), level + 1, inline);
            }
            indent(sb, level);
            sb.append('}');
        } else if (v instanceof Collection<?> c) {
            if (c.isEmpty()) {
                sb.append("[]");
                return;
            }
            boolean oneLine = inline && c.stream().allMatch(Json::scalar);
            sb.append('[');
            boolean first = true;
            for (Object o : c) {
                sb.append(first ? "" : oneLine ? ", " : ",");
                first = false;
                if (!oneLine) {
                    indent(sb, level + 1);
                }
                write(sb, o, level + 1, inline);
            }
            if (!oneLine) {
                indent(sb, level);
            }
            sb.append(']');
        } else {
            string(sb, v.toString());
        }
    }

    /** A JSON string literal, ASCII only. */
    public static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c >= 0x7f) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
