package io.javalived.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * keepalived.conf parameters: {@code $NAME=value} definitions (also multi-line with a trailing backslash),
 * {@code $NAME} / {@code ${NAME}} substitution with the built-ins ({@code _PWD}, {@code _INSTANCE}, {@code _HASH},
 * {@code _BANG}, {@code _RANDOM}), and the {@code ~SEQ} / {@code ~SEQx} / {@code ~LST} repetition of a line with a
 * parameter bound to each value. Used by {@link ConfigLexer}, which reads the lines.
 */
final class ConfigParameters {
    private final String configId;
    private final Map<String, String> params = new HashMap<>();
    private final Random random = new Random(0x6b656570L);

    // multi-line definition in progress
    private String pendingName;
    private StringBuilder pendingValue;

    ConfigParameters(String configId) {
        this.configId = configId;
    }

    void define(String name, String value) {
        params.put(name, value);
    }

    /** Starts {@code $NAME=VALUE}: a VALUE ending in a backslash goes on over the next lines. */
    void startDefinition(String name, String value) {
        String vs = value.strip();
        if (vs.endsWith("\\")) {
            pendingName = name;
            pendingValue = new StringBuilder();
            String firstPart = vs.substring(0, vs.length() - 1).strip();
            if (!firstPart.isEmpty()) {
                pendingValue.append(firstPart);
            }
            return;
        }
        params.put(name, vs);
    }

    /** Whether a multi-line definition is being read. */
    boolean inDefinition() {
        return pendingName != null;
    }

    /** A line of a multi-line definition (after its comment is cut). */
    void continueDefinition(String line) {
        String s = line.strip();
        boolean more = s.endsWith("\\");
        if (more) {
            s = s.substring(0, s.length() - 1).strip();
        }
        if (!s.isEmpty()) {
            if (pendingValue.length() > 0) {
                pendingValue.append('\n');
            }
            pendingValue.append(s);
        }
        if (!more) {
            finishDefinition();
        }
    }

    void finishDefinition() {
        params.put(pendingName, pendingValue.toString());
        pendingName = null;
        pendingValue = null;
    }

    /** Index of '=' when text is {@code $NAME=...}, else -1. */
    static int definitionEnd(String text) {
        int i = 1;
        if (i >= text.length() || !isNameStart(text.charAt(i))) {
            return -1;
        }
        while (i < text.length() && isNameChar(text.charAt(i))) {
            i++;
        }
        return i < text.length() && text.charAt(i) == '=' ? i : -1;
    }

    private static boolean isNameStart(char c) {
        return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }

    private static boolean isNameChar(char c) {
        return isNameStart(c) || c >= '0' && c <= '9';
    }

    /** One level of substitution; null when nothing was replaced. */
    String substitute(String text, Path file, int lineNo) throws ConfigException {
        if (text.indexOf('$') < 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        boolean changed = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$' || i + 1 >= text.length()) {
                sb.append(c);
                i++;
                continue;
            }
            if (text.charAt(i + 1) == '{') {
                int close = text.indexOf('}', i + 2);
                if (close > 0) {
                    String inner = text.substring(i + 2, close);
                    String value = lookup(inner, file);
                    if (value != null) {
                        sb.append(value);
                        changed = true;
                        i = close + 1;
                        continue;
                    }
                }
                sb.append(c);
                i++;
                continue;
            }
            if (isNameStart(text.charAt(i + 1))) {
                int j = i + 1;
                while (j < text.length() && isNameChar(text.charAt(j))) {
                    j++;
                }
                if (j == text.length() || Character.isWhitespace(text.charAt(j))) {
                    String value = lookup(text.substring(i + 1, j), file);
                    if (value != null) {
                        sb.append(value);
                        changed = true;
                        i = j;
                        continue;
                    }
                }
            }
            sb.append(c);
            i++;
            if (sb.length() > ConfigLexer.MAX_LINE_CHARS) {
                throw new ConfigException(file, lineNo, "", "parameter substitution makes the line too long");
            }
        }
        if (sb.length() > ConfigLexer.MAX_LINE_CHARS) {
            throw new ConfigException(file, lineNo, "", "parameter substitution makes the line too long");
        }
        return changed ? sb.toString() : null;
    }

    private String lookup(String name, Path file) {
        String v = params.get(name);
        if (v != null) {
            return v;
        }
        switch (name) {
            case "_PWD": {
                Path dir = file.toAbsolutePath().getParent();
                return dir == null ? "/" : dir.toString();
            }
            case "_INSTANCE":
                return configId;
            case "_HASH":
                return "#";
            case "_BANG":
                return "!";
            default:
                break;
        }
        if (name.equals("_RANDOM") || name.startsWith("_RANDOM ")) {
            String[] a = name.strip().split("\\s+");
            try {
                long min = a.length > 1 ? Long.parseLong(a[1]) : 0;
                long max = a.length > 2 ? Long.parseLong(a[2]) : 32767;
                if (min < 0 || max < min) {
                    return null;
                }
                return Long.toString(min + (long) (random.nextDouble() * (max - min + 1)));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }


    static final int MAX_SEQUENCE = 100_000;

    /** Reads the rest of a ~SEQ / ~LST line once per value. */
    interface Repeat {
        void line(String rest) throws ConfigException;
    }

    /**
     * {@code ~SEQ(var, [start,] [step,] end) REST}, {@code ~SEQx(...)} (hexadecimal values) and
     * {@code ~LST(var, v1, v2, ...)} / {@code ~LST({a,b}, {1,2}, {3,4})}: REST is read once per value with
     * {@code $var} set (nested sequences allowed).
     */
    void sequence(String text, Path file, int lineNo, List<ConfigException> errors, Repeat body)
            throws ConfigException {
        int open = text.indexOf('(');
        int close = matchingParen(text, open);
        String kind = text.substring(1, open);
        if (close < 0) {
            errors.add(new ConfigException(file, lineNo, "~" + kind, "missing ')' in ~" + kind + "(...)"));
            return;
        }
        List<String> args = splitTopLevel(text.substring(open + 1, close));
        String rest = text.substring(close + 1).strip();
        List<List<String>> names = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        try {
            if (kind.equals("LST")) {
                if (args.size() < 2) {
                    throw new IllegalArgumentException("~LST needs a variable and at least one value");
                }
                List<String> vars = braceList(args.get(0));
                for (int i = 1; i < args.size(); i++) {
                    List<String> vals = braceList(args.get(i));
                    if (vals.size() != vars.size()) {
                        throw new IllegalArgumentException("value " + args.get(i) + " does not match " + args.get(0));
                    }
                    rows.add(vals);
                }
                names.add(vars);
            } else {
                if (args.size() < 2 || args.size() > 4) {
                    throw new IllegalArgumentException("expected ~" + kind + "(var, [start,] [step,] end)");
                }
                long end = Long.decode(args.get(args.size() - 1).strip());
                long start = args.size() >= 3 ? Long.decode(args.get(1).strip()) : (end >= 0 ? 1 : -1);
                long step = args.size() == 4 ? Long.decode(args.get(2).strip()) : (end >= start ? 1 : -1);
                if (step == 0) {
                    throw new IllegalArgumentException("step 0");
                }
                for (long v = start; step > 0 ? v <= end : v >= end; v += step) {
                    if (rows.size() >= MAX_SEQUENCE) {
                        throw new IllegalArgumentException("more than " + MAX_SEQUENCE + " values");
                    }
                    rows.add(List.of(kind.equals("SEQx") ? Long.toHexString(v) : Long.toString(v)));
                }
                names.add(List.of(args.get(0).strip()));
            }
        } catch (IllegalArgumentException e) {
            errors.add(new ConfigException(file, lineNo, "~" + kind, "invalid ~" + kind + "(...): " + e.getMessage()));
            return;
        }
        List<String> vars = names.get(0);
        for (String v : vars) {
            if (v.isEmpty() || !isNameStart(v.charAt(0)) || !v.chars().allMatch(ch -> isNameChar((char) ch))) {
                errors.add(new ConfigException(file, lineNo, "~" + kind, "invalid variable name '" + v + "'"));
                return;
            }
        }
        Map<String, String> saved = new HashMap<>();
        for (String v : vars) {
            saved.put(v, params.get(v));
        }
        try {
            for (List<String> row : rows) {
                for (int i = 0; i < vars.size(); i++) {
                    params.put(vars.get(i), row.get(i));
                }
                body.line(rest);
            }
        } finally {
            for (String v : vars) {
                if (saved.get(v) == null) {
                    params.remove(v);
                } else {
                    params.put(v, saved.get(v));
                }
            }
        }
    }

    private static int matchingParen(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Splits on commas outside braces. */
    private static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(s.substring(from, i).strip());
                from = i + 1;
            }
        }
        out.add(s.substring(from).strip());
        return out;
    }

    /** {@code {a, b}} → [a, b]; {@code a} → [a]. */
    private static List<String> braceList(String s) {
        s = s.strip();
        if (s.startsWith("{") && s.endsWith("}")) {
            List<String> out = new ArrayList<>();
            for (String p : s.substring(1, s.length() - 1).split(",", -1)) {
                out.add(p.strip());
            }
            return out;
        }
        return List.of(s);
    }
}
