package io.javalived.daemon.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A strict parser of Prometheus' text exposition format 0.0.4 (what {@code /metrics} serves), for tests and tools that
 * read a scrape: it rejects what Prometheus' own parser rejects (bad names, bad escapes, a TYPE after its samples or
 * twice, a family split in two groups, duplicate series, duplicate label names, a missing final newline, samples that
 * do not belong to their TYPE's family) rather than guessing.
 */
public final class ExpositionParser {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private ExpositionParser() {
    }

    /** A parse error, with the 1-based line. */
    public static final class ParseException extends Exception {
        public ParseException(int line, String message, String text) {
            super("line " + line + ": " + message + ": " + text);
        }
    }

    /** One sample line. */
    public record ParsedSample(String name, Map<String, String> labels, double value, Long timestamp) {
        public String label(String name) {
            return labels.get(name);
        }
    }

    /** One family: its TYPE and HELP (null when not given) and its samples in order. */
    public record Family(String name, String type, String help, List<ParsedSample> samples) {}

    /** A parsed scrape. */
    public record Exposition(Map<String, Family> families) {
        /** Every sample named {@code name} (a counter's samples are named with {@code _total}). */
        public List<ParsedSample> samples(String name) {
            List<ParsedSample> out = new ArrayList<>();
            for (Family f : families.values()) {
                for (ParsedSample s : f.samples()) {
                    if (s.name().equals(name)) {
                        out.add(s);
                    }
                }
            }
            return out;
        }

        /** The samples named {@code name} whose labels include all of {@code labelPairs} (name, value, ...). */
        public List<ParsedSample> find(String name, String... labelPairs) {
            List<ParsedSample> out = new ArrayList<>();
            for (ParsedSample s : samples(name)) {
                boolean ok = true;
                for (int i = 0; i + 1 < labelPairs.length; i += 2) {
                    ok &= labelPairs[i + 1].equals(s.labels().get(labelPairs[i]));
                }
                if (ok) {
                    out.add(s);
                }
            }
            return out;
        }

        /** The value of the one sample matching, or an exception naming what was looked for. */
        public double value(String name, String... labelPairs) {
            List<ParsedSample> l = find(name, labelPairs);
            if (l.size() != 1) {
                throw new IllegalStateException(l.size() + " samples of " + name + " match "
                        + java.util.Arrays.toString(labelPairs) + ": " + l);
            }
            return l.get(0).value();
        }
    }

    /** Parses a whole scrape. */
    public static Exposition parse(String text) throws ParseException {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new ParseException(text.split("\n", -1).length, "the last line must end with a newline", "");
        }
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> helps = new LinkedHashMap<>();
        Map<String, List<ParsedSample>> samples = new LinkedHashMap<>();
        Set<String> closed = new HashSet<>(); // families whose group ended
        Set<String> seenSeries = new HashSet<>();
        String current = null;
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length - 1; n++) { // the text ends with \n: the last element is empty
            String line = lines[n];
            int ln = n + 1;
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] f = line.substring(1).trim().split("[ \t]+", 3);
                if (f.length >= 2 && (f[0].equals("HELP") || f[0].equals("TYPE"))) {
                    String name = f[1];
                    if (!NAME.matcher(name).matches()) {
                        throw new ParseException(ln, "bad metric name in " + f[0], line);
                    }
                    String rest = f.length > 2 ? f[2] : "";
                    if (!name.equals(current)) {
                        if (closed.contains(name) || samples.containsKey(name)) {
                            throw new ParseException(ln, "metadata for " + name + " after its samples", line);
                        }
                        if (current != null) {
                            closed.add(current);
                        }
                        current = name;
                    }
                    if (f[0].equals("HELP")) {
                        if (helps.containsKey(name)) {
                            throw new ParseException(ln, "second HELP for " + name, line);
                        }
                        helps.put(name, unescapeHelp(rest, ln, line));
                    } else {
                        if (types.containsKey(name)) {
                            throw new ParseException(ln, "second TYPE for " + name, line);
                        }
                        if (samples.containsKey(name)) {
                            throw new ParseException(ln, "TYPE for " + name + " after its samples", line);
                        }
                        if (!TYPES.contains(rest.trim())) {
                            throw new ParseException(ln, "unknown type '" + rest + "'", line);
                        }
                        types.put(name, rest.trim());
                    }
                }
                continue; // other comments are ignored
            }
            ParsedSample s = sample(line, ln);
            String family = familyOf(s.name(), types);
            if (!family.equals(current)) {
                if (closed.contains(family) || (samples.containsKey(family) && !family.equals(current))) {
                    throw new ParseException(ln, "samples of " + family + " are not in one group", line);
                }
                if (current != null) {
                    closed.add(current);
                }
                current = family;
            }
            String key = s.name() + s.labels();
            if (!seenSeries.add(key)) {
                throw new ParseException(ln, "duplicate series", line);
            }
            samples.computeIfAbsent(family, k -> new ArrayList<>()).add(s);
        }
        Map<String, Family> out = new LinkedHashMap<>();
        Set<String> names = new java.util.LinkedHashSet<>(types.keySet());
        names.addAll(helps.keySet());
        names.addAll(samples.keySet());
        for (String name : names) {
            out.put(name, new Family(name, types.getOrDefault(name, "untyped"), helps.get(name),
                    List.copyOf(samples.getOrDefault(name, List.of()))));
        }
        return new Exposition(Collections.unmodifiableMap(out));
    }

    /** The family a sample belongs to: its own name, or for histograms and summaries the name its suffix extends. */
    private static String familyOf(String sample, Map<String, String> types) {
        if (types.containsKey(sample)) {
            return sample;
        }
        for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                String t = types.get(base);
                if ("histogram".equals(t) || ("summary".equals(t) && !suffix.equals("_bucket"))) {
                    return base;
                }
            }
        }
        return sample;
    }

    private static ParsedSample sample(String line, int ln) throws ParseException {
        int i = 0;
        int len = line.length();
        while (i < len && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_'
                || line.charAt(i) == ':')) {
            i++;
        }
        String name = line.substring(0, i);
        if (!NAME.matcher(name).matches()) {
            throw new ParseException(ln, "bad metric name", line);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        int brace = skipBlanks(line, i);
        if (brace < len && line.charAt(brace) == '{') {
            i = skipBlanks(line, brace + 1);
            while (i < len && line.charAt(i) != '}') {
                int st = i;
                while (i < len && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_')) {
                    i++;
                }
                String label = line.substring(st, i);
                if (!LABEL.matcher(label).matches() || label.startsWith("__")) {
                    throw new ParseException(ln, "bad label name '" + label + "'", line);
                }
                i = skipBlanks(line, i);
                if (i >= len || line.charAt(i) != '=') {
                    throw new ParseException(ln, "expected = after label " + label, line);
                }
                i = skipBlanks(line, i + 1);
                if (i >= len || line.charAt(i) != '"') {
                    throw new ParseException(ln, "expected a quoted value for label " + label, line);
                }
                StringBuilder v = new StringBuilder();
                i++;
                boolean closedQuote = false;
                while (i < len) {
                    char c = line.charAt(i++);
                    if (c == '"') {
                        closedQuote = true;
                        break;
                    }
                    if (c == '\\') {
                        if (i >= len) {
                            break;
                        }
                        char e = line.charAt(i++);
                        switch (e) {
                            case '\\' -> v.append('\\');
                            case '"' -> v.append('"');
                            case 'n' -> v.append('\n');
                            default -> throw new ParseException(ln, "bad escape \\" + e + " in label " + label, line);
                        }
                    } else {
                        v.append(c);
                    }
                }
                if (!closedQuote) {
                    throw new ParseException(ln, "unterminated value of label " + label, line);
                }
                if (labels.put(label, v.toString()) != null) {
                    throw new ParseException(ln, "label " + label + " given twice", line);
                }
                i = skipBlanks(line, i);
                if (i < len && line.charAt(i) == ',') {
                    i = skipBlanks(line, i + 1);
                } else if (i < len && line.charAt(i) != '}') {
                    throw new ParseException(ln, "expected , or } after label " + label, line);
                }
            }
            if (i >= len) {
                throw new ParseException(ln, "unterminated label set", line);
            }
            i++;
        }
        if (i >= len || (line.charAt(i) != ' ' && line.charAt(i) != '\t')) {
            throw new ParseException(ln, "expected a blank before the value", line);
        }
        String[] rest = line.substring(i).trim().split("[ \t]+");
        if (rest.length < 1 || rest.length > 2 || rest[0].isEmpty()) {
            throw new ParseException(ln, "expected a value and an optional timestamp", line);
        }
        double value = parseValue(rest[0], ln, line);
        Long ts = null;
        if (rest.length == 2) {
            try {
                ts = Long.parseLong(rest[1]);
            } catch (NumberFormatException e) {
                throw new ParseException(ln, "bad timestamp '" + rest[1] + "'", line);
            }
        }
        return new ParsedSample(name, Collections.unmodifiableMap(labels), value, ts);
    }

    private static double parseValue(String s, int ln, String line) throws ParseException {
        switch (s) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
            case "Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        // Go's ParseFloat: decimal or exponent form (no hex floats, no Java suffixes like 'd' or 'f')
        if (!s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            throw new ParseException(ln, "bad value '" + s + "'", line);
        }
        return Double.parseDouble(s);
    }

    private static String unescapeHelp(String s, int ln, String line) throws ParseException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                if (++i >= s.length()) {
                    throw new ParseException(ln, "trailing backslash in HELP", line);
                }
                char e = s.charAt(i);
                switch (e) {
                    case '\\' -> b.append('\\');
                    case 'n' -> b.append('\n');
                    default -> throw new ParseException(ln, "bad escape \\" + e + " in HELP", line);
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static int skipBlanks(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }
}
