package io.javalived.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * keepalived.conf lexical layer: reads files (with {@code include}), strips {@code #}/{@code !} comments, applies
 * {@code @id}/{@code @^id} conditional lines, {@code $NAME=value} definitions (also multi-line with a trailing
 * backslash) and {@code $NAME}/{@code ${NAME}} substitution, then splits each logical line into tokens: words,
 * double-quoted strings (with escapes; quotes removed) and the braces {@code {}} which are always tokens of
 * their own. Its only I/O is reading the configuration files.
 */
final class ConfigLexer {
    /** A token: its text and whether it is a bare brace. */
    record Token(String text, boolean brace, boolean gluedQuote) {
        Token(String text, boolean brace) {
            this(text, brace, false);
        }

        boolean is(String s) {
            return brace && text.equals(s);
        }
    }

    /** One logical line after preprocessing. */
    record Line(Path file, int line, List<Token> tokens) {}

    static final int MAX_INCLUDE_DEPTH = 32;
    static final int MAX_SUBST_DEPTH = 64;
    static final int MAX_LINES = 2_000_000;
    static final int MAX_LINE_CHARS = 1 << 20;
    static final long MAX_FILE_BYTES = 256L << 20;

    private final String configId;
    private final Map<String, String> params = new HashMap<>();
    private final List<Line> out = new ArrayList<>();
    private final List<ConfigWarning> warnings;
    private final Deque<Path> includeStack = new ArrayDeque<>();
    private final Random random = new Random(0x6b656570L);

    // multi-line definition in progress
    private String pendingName;
    private StringBuilder pendingValue;

    private final List<ConfigException> errors;

    ConfigLexer(String configId, List<ConfigWarning> warnings, List<ConfigException> errors) {
        this.configId = configId == null ? "" : configId;
        this.warnings = warnings;
        this.errors = errors;
    }

    List<Line> lines() {
        return out;
    }

    /** Reads a file from disk. */
    void readFile(Path file, Path includedFrom, int includeLine) throws ConfigException {
        String text;
        try {
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                throw new ConfigException(includedFrom == null ? file : includedFrom, includeLine,
                        includedFrom == null ? "" : "include", file + " is not a regular file");
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ConfigException(includedFrom == null ? file : includedFrom, includeLine,
                        includedFrom == null ? "" : "include", file + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            text = decode(Files.readAllBytes(file));
        } catch (IOException | SecurityException | InvalidPathException e) {
            Path where = includedFrom == null ? file : includedFrom;
            throw new ConfigException(where, includeLine, includedFrom == null ? "" : "include",
                    "cannot read configuration file " + file + ": " + describe(e));
        }
        readText(text, file);
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
    }

    /** keepalived reads bytes; invalid UTF-8 is read as Latin-1 rather than rejected. */
    static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /** Reads configuration text named {@code file} (includes resolve against its directory). */
    void readText(String text, Path file) throws ConfigException {
        Path key = canonical(file);
        includeStack.push(key);
        try {
            String[] raw = text.split("\r?\n|\r", -1);
            for (int i = 0; i < raw.length; i++) {
                int lineNo = i + 1;
                String line = raw[i];
                if (line.length() > MAX_LINE_CHARS) {
                    throw new ConfigException(file, lineNo, "", "line too long (" + line.length() + " characters)");
                }
                if (line.indexOf('\0') >= 0) {
                    line = line.substring(0, line.indexOf('\0'));
                }
                if (pendingName != null) {
                    continueDefinition(stripComment(line));
                    continue;
                }
                String stripped = stripComment(line).strip();
                if (stripped.isEmpty()) {
                    continue;
                }
                String first = firstWord(stripped);
                if (isInclude(first)) {
                    include(file, lineNo, first, stripped.substring(first.length()).strip());
                    continue;
                }
                logical(stripped, file, lineNo, 0);
            }
            if (pendingName != null) {
                finishDefinition();
            }
        } finally {
            includeStack.pop();
        }
    }

    private static Path canonical(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException | SecurityException | InvalidPathException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    private static boolean isInclude(String w) {
        return switch (w) {
            case "include", "includer", "includem", "includew", "includeb", "includea" -> true;
            default -> false;
        };
    }

    private static String firstWord(String s) {
        int i = 0;
        while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return s.substring(0, i);
    }

    // ---------------------------------------------------------------- include

    private void include(Path file, int lineNo, String keyword, String arg) throws ConfigException {
        if (arg.isEmpty()) {
            warnings.add(new ConfigWarning(file, lineNo, keyword, "Unknown keyword '" + keyword + "'"));
            return;
        }
        String pattern = unquote(arg);
        if (pattern.isEmpty()) {
            warnings.add(new ConfigWarning(file, lineNo, keyword, "include without a file name - ignored", false));
            return;
        }
        if (includeStack.size() >= MAX_INCLUDE_DEPTH) {
            throw new ConfigException(file, lineNo, keyword, "includes nested deeper than " + MAX_INCLUDE_DEPTH);
        }
        Path base = file.toAbsolutePath().getParent();
        List<Path> matches;
        try {
            matches = glob(base, pattern);
        } catch (IOException | SecurityException | IllegalArgumentException e) {
            matches = List.of();
        }
        if (matches.isEmpty()) {
            warnings.add(new ConfigWarning(file, lineNo, keyword,
                    "no configuration file matches '" + pattern + "' - ignoring the include", false));
            return;
        }
        for (Path p : matches) {
            Path key = canonical(p);
            if (includeStack.contains(key)) {
                throw new ConfigException(file, lineNo, keyword,
                        "include cycle: " + p + " is already being read (it includes itself, directly or not)");
            }
            if (!Files.isRegularFile(p) || Files.isExecutable(p)) {
                warnings.add(new ConfigWarning(file, lineNo, keyword, "Configuration file '" + p
                        + "' is not a regular non-executable file - skipping", false));
                continue;
            }
            readFile(p, file, lineNo);
        }
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.charAt(0) == '"' && s.endsWith("\"") || s.charAt(0) == '\'' && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static boolean hasGlob(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{') {
                return true;
            }
        }
        return false;
    }

    /** Expands a glob the way glob(3) with GLOB_BRACE does: sorted, only existing paths. */
    static List<Path> glob(Path base, String pattern) throws IOException {
        Path pat = Path.of(pattern);
        Path abs = pat.isAbsolute() ? pat : base.resolve(pat);
        if (!hasGlob(pattern)) {
            return Files.exists(abs) ? List.of(abs.normalize()) : List.of();
        }
        List<String> parts = new ArrayList<>();
        for (Path p : abs) {
            parts.add(p.toString());
        }
        List<Path> current = List.of(abs.getRoot());
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            List<Path> next = new ArrayList<>();
            if (!hasGlob(part)) {
                for (Path c : current) {
                    Path r = c.resolve(part);
                    if (Files.exists(r)) {
                        next.add(r);
                    }
                }
            } else {
                PathMatcher m = abs.getFileSystem().getPathMatcher("glob:" + part);
                for (Path c : current) {
                    if (!Files.isDirectory(c)) {
                        continue;
                    }
                    List<Path> found = new ArrayList<>();
                    try (DirectoryStream<Path> ds = Files.newDirectoryStream(c)) {
                        for (Path e : ds) {
                            Path name = e.getFileName();
                            if (name != null && m.matches(name)
                                    && (part.startsWith(".") || !name.toString().startsWith("."))) {
                                found.add(e);
                            }
                        }
                    }
                    found.sort(null);
                    next.addAll(found);
                }
            }
            current = next;
            if (current.isEmpty() || current.size() > 10_000) {
                break;
            }
        }
        return current;
    }

    // ---------------------------------------------------------------- comments, conditionals, parameters

    /** Cuts the line at the first '#' or '!' outside double quotes. */
    static String stripComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '#' || c == '!')) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private void logical(String text, Path file, int lineNo, int depth) throws ConfigException {
        if (depth > MAX_SUBST_DEPTH) {
            throw new ConfigException(file, lineNo, "", "parameter substitution nested deeper than "
                    + MAX_SUBST_DEPTH + " levels (a parameter that refers to itself?)");
        }
        text = text.strip();
        if (text.isEmpty()) {
            return;
        }
        if (text.charAt(0) == '@') {
            String word = firstWord(text);
            boolean negate = word.startsWith("@^");
            String id = word.substring(negate ? 2 : 1);
            boolean match = id.equals(configId);
            if (match == negate) {
                return;
            }
            text = text.substring(word.length()).strip();
            if (text.isEmpty()) {
                return;
            }
        }
        if (text.startsWith("~SEQ(") || text.startsWith("~SEQx(") || text.startsWith("~LST(")) {
            sequence(text, file, lineNo, depth);
            return;
        }
        if (text.charAt(0) == '$') {
            int eq = definitionEnd(text);
            if (eq > 0) {
                String name = text.substring(1, eq);
                String value = text.substring(eq + 1);
                String vs = value.strip();
                if (vs.endsWith("\\")) {
                    pendingName = name;
                    pendingValue = new StringBuilder();
                    String firstPart = vs.substring(0, vs.length() - 1).strip();
                    if (!firstPart.isEmpty()) {
                        pendingValue.append(firstPart);
                    }
                    pendingFile = file;
                    pendingLine = lineNo;
                    return;
                }
                params.put(name, vs);
                return;
            }
        }
        String substituted = substitute(text, file, lineNo);
        if (substituted == null) {
            if (text.endsWith("\\") && text.length() > 1 && Character.isWhitespace(text.charAt(text.length() - 2))) {
                // keepalived glues a trailing backslash to the word before it (`priority 100 \` is `100\`)
                text = text.substring(0, text.length() - 1).stripTrailing() + "\\";
            }
            emit(text, file, lineNo);
            return;
        }
        if (substituted.indexOf('\n') >= 0) {
            for (String piece : substituted.split("\n", -1)) {
                logical(piece, file, lineNo, depth + 1);
            }
        } else {
            logical(substituted, file, lineNo, depth + 1);
        }
    }

    private Path pendingFile;
    private int pendingLine;

    static final int MAX_SEQUENCE = 100_000;

    /**
     * {@code ~SEQ(var, [start,] [step,] end) REST}, {@code ~SEQx(...)} (hexadecimal values) and
     * {@code ~LST(var, v1, v2, ...)} / {@code ~LST({a,b}, {1,2}, {3,4})}: REST is read once per value with
     * {@code $var} set (nested sequences allowed).
     */
    private void sequence(String text, Path file, int lineNo, int depth) throws ConfigException {
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
                logical(rest, file, lineNo, depth + 1);
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

    private void continueDefinition(String line) {
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

    private void finishDefinition() {
        params.put(pendingName, pendingValue.toString());
        pendingName = null;
        pendingValue = null;
    }

    /** Index of '=' when text is {@code $NAME=...}, else -1. */
    private static int definitionEnd(String text) {
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
    private String substitute(String text, Path file, int lineNo) throws ConfigException {
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
            if (sb.length() > MAX_LINE_CHARS) {
                throw new ConfigException(file, lineNo, "", "parameter substitution makes the line too long");
            }
        }
        if (sb.length() > MAX_LINE_CHARS) {
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

    // ---------------------------------------------------------------- tokens

    private void emit(String text, Path file, int lineNo) throws ConfigException {
        List<Token> tokens = tokenize(text);
        if (unbalancedQuote(text)) {
            errors.add(new ConfigException(file, lineNo, tokens.isEmpty() ? "" : tokens.get(0).text(),
                    "unmatched quote: a '\"' is not closed on this line"));
        }
        // keepalived also honours `include` and `@id` right after a brace on the same line
        for (int i = 1; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.brace() || !tokens.get(i - 1).brace()) {
                continue;
            }
            if (isInclude(t.text())) {
                addLine(file, lineNo, tokens.subList(0, i));
                List<String> rest = new ArrayList<>();
                for (Token r : tokens.subList(i + 1, tokens.size())) {
                    rest.add(r.text());
                }
                include(file, lineNo, t.text(), String.join(" ", rest));
                return;
            }
            if (t.text().startsWith("$") && definitionEnd(t.text()) > 0) {
                int eq = definitionEnd(t.text());
                StringBuilder value = new StringBuilder(t.text().substring(eq + 1));
                for (Token r : tokens.subList(i + 1, tokens.size())) {
                    value.append(' ').append(r.text());
                }
                params.put(t.text().substring(1, eq), value.toString().strip());
                tokens = new ArrayList<>(tokens.subList(0, i));
                break;
            }
            if (t.text().startsWith("@")) {
                boolean negate = t.text().startsWith("@^");
                boolean match = t.text().substring(negate ? 2 : 1).equals(configId);
                List<Token> kept = new ArrayList<>(tokens.subList(0, i));
                if (match != negate) {
                    kept.addAll(tokens.subList(i + 1, tokens.size()));
                }
                tokens = kept;
                i--;
            }
        }
        addLine(file, lineNo, tokens);
    }

    private void addLine(Path file, int lineNo, List<Token> tokens) throws ConfigException {
        if (!tokens.isEmpty()) {
            if (out.size() >= MAX_LINES) {
                throw new ConfigException(file, lineNo, "", "configuration has more than " + MAX_LINES + " lines");
            }
            out.add(new Line(file, lineNo, List.copyOf(tokens)));
        }
    }

    static boolean unbalancedQuote(String text) {
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '"') {
                quoted = !quoted;
            }
        }
        return quoted;
    }

    /**
     * Splits a line into tokens as keepalived 2.2.7 does: whitespace separates words; a double quote ends the
     * word before it and starts a quoted token that runs to the next double quote (no escapes: a backslash is
     * an ordinary character, as keepalived treats it); unquoted braces are tokens of their own. Single quotes are
     * ordinary characters (they group the words of a script's command line, see {@code ScriptCommand}).
     */
    static List<Token> tokenize(String text) {
        List<Token> tokens = new ArrayList<>();
        StringBuilder cur = null;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || c == '{' || c == '}' || c == '"') {
                if (cur != null) {
                    tokens.add(new Token(cur.toString(), false, c == '"'));
                    cur = null;
                }
                if (c == '{' || c == '}') {
                    tokens.add(new Token(String.valueOf(c), true));
                } else if (c == '"') {
                    int close = text.indexOf('"', i + 1);
                    int stop = close < 0 ? n : close;
                    tokens.add(new Token(text.substring(i + 1, stop), false));
                    i = close < 0 ? n : close + 1;
                    continue;
                }
                i++;
            } else {
                if (cur == null) {
                    cur = new StringBuilder();
                }
                cur.append(c);
                i++;
            }
        }
        if (cur != null) {
            tokens.add(new Token(cur.toString(), false));
        }
        return tokens;
    }

}
