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
import java.util.List;

/**
 * keepalived.conf lexical layer: reads files (with {@code include}), strips {@code #}/{@code !} comments, applies
 * {@code @id}/{@code @^id} conditional lines, {@code $NAME=value} definitions (also multi-line with a trailing
 * backslash) and {@code $NAME}/{@code ${NAME}} substitution, then splits each logical line into tokens: words,
 * double-quoted strings (with escapes; quotes removed) and the braces {@code {}} which are always tokens of
 * their own. Its only I/O is reading the configuration files. Parameters and the ~SEQ / ~LST repetition are
 * {@link ConfigParameters}.
 */
final class ConfigLexer {
    /**
     * A token: its text, whether it is a bare brace, and where it is in its line's text ({@code start} inclusive,
     * {@code end} exclusive, quotes included) so that a statement's raw text can be re-read (script lines).
     */
    record Token(String text, boolean brace, boolean gluedQuote, int start, int end) {
        Token(String text, boolean brace) {
            this(text, brace, false, -1, -1);
        }

        Token(String text, boolean brace, boolean gluedQuote) {
            this(text, brace, gluedQuote, -1, -1);
        }

        boolean is(String s) {
            return brace && text.equals(s);
        }
    }

    /** One logical line after preprocessing: its text (comments removed, parameters substituted) and tokens. */
    record Line(Path file, int line, List<Token> tokens, String text) {
        Line(Path file, int line, List<Token> tokens) {
            this(file, line, tokens, null);
        }
    }

    static final int MAX_INCLUDE_DEPTH = 32;
    static final int MAX_SUBST_DEPTH = 64;
    static final int MAX_LINES = 2_000_000;
    static final int MAX_LINE_CHARS = 1 << 20;
    static final long MAX_FILE_BYTES = 256L << 20;

    private final String configId;
    private final ConfigParameters params;
    private final List<Line> out = new ArrayList<>();
    private final List<ConfigWarning> warnings;
    private final Deque<Path> includeStack = new ArrayDeque<>();

    private final List<ConfigException> errors;

    ConfigLexer(String configId, List<ConfigWarning> warnings, List<ConfigException> errors) {
        this.configId = configId == null ? "" : configId;
        this.params = new ConfigParameters(this.configId);
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
                if (params.inDefinition()) {
                    params.continueDefinition(stripComment(line));
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
            if (params.inDefinition()) {
                params.finishDefinition();
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

    /**
     * Removes the comment as keepalived 2.2.7's decomment() does: a {@code #} or {@code !} outside double quotes
     * starts it; a backslash escapes the next character (so {@code \"} neither opens nor closes a quote), and outside
     * quotes {@code \#} and {@code \!} stand for the character itself (the backslash is removed).
     */
    static String stripComment(String line) {
        StringBuilder sb = null;
        boolean quoted = false;
        int n = line.length();
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && i + 1 < n) {
                char next = line.charAt(i + 1);
                if (!quoted && (next == '#' || next == '!')) {
                    if (sb == null) {
                        sb = new StringBuilder(line.substring(0, i));
                    }
                    sb.append(next);
                    i++;
                    continue;
                }
                if (sb != null) {
                    sb.append(c).append(next);
                }
                i++;
                continue;
            } else if (!quoted && (c == '#' || c == '!')) {
                return sb == null ? line.substring(0, i) : sb.toString();
            }
            if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? line : sb.toString();
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
            params.sequence(text, file, lineNo, errors, rest -> logical(rest, file, lineNo, depth + 1));
            return;
        }
        if (text.charAt(0) == '$') {
            int eq = ConfigParameters.definitionEnd(text);
            if (eq > 0) {
                params.startDefinition(text.substring(1, eq), text.substring(eq + 1));
                return;
            }
        }
        String substituted = params.substitute(text, file, lineNo);
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
                addLine(file, lineNo, tokens.subList(0, i), text);
                List<String> rest = new ArrayList<>();
                for (Token r : tokens.subList(i + 1, tokens.size())) {
                    rest.add(r.text());
                }
                include(file, lineNo, t.text(), String.join(" ", rest));
                return;
            }
            if (t.text().startsWith("$") && ConfigParameters.definitionEnd(t.text()) > 0) {
                int eq = ConfigParameters.definitionEnd(t.text());
                StringBuilder value = new StringBuilder(t.text().substring(eq + 1));
                for (Token r : tokens.subList(i + 1, tokens.size())) {
                    value.append(' ').append(r.text());
                }
                params.define(t.text().substring(1, eq), value.toString().strip());
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
        addLine(file, lineNo, tokens, text);
    }

    private void addLine(Path file, int lineNo, List<Token> tokens, String text) throws ConfigException {
        if (!tokens.isEmpty()) {
            if (out.size() >= MAX_LINES) {
                throw new ConfigException(file, lineNo, "", "configuration has more than " + MAX_LINES + " lines");
            }
            out.add(new Line(file, lineNo, List.copyOf(tokens), text));
        }
    }

    /**
     * keepalived reports an unmatched quote when the double quotes do not pair up, counted either plainly (as its
     * tokenizer does) or skipping backslash-escaped characters (as its comment stripper does).
     */
    static boolean unbalancedQuote(String text) {
        boolean plain = false;
        boolean escaped = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                plain = !plain;
                escaped = !escaped;
            } else if (c == '\\' && i + 1 < text.length()) {
                if (text.charAt(i + 1) == '"') {
                    plain = !plain;
                }
                i++;
            }
        }
        return plain || escaped;
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
        int curStart = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || c == '{' || c == '}' || c == '"') {
                if (cur != null) {
                    tokens.add(new Token(cur.toString(), false, c == '"', curStart, i));
                    cur = null;
                }
                if (c == '{' || c == '}') {
                    tokens.add(new Token(String.valueOf(c), true, false, i, i + 1));
                } else if (c == '"') {
                    int close = text.indexOf('"', i + 1);
                    int stop = close < 0 ? n : close;
                    int end = close < 0 ? n : close + 1;
                    tokens.add(new Token(text.substring(i + 1, stop), false, false, i, end));
                    i = end;
                    continue;
                }
                i++;
            } else {
                if (cur == null) {
                    cur = new StringBuilder();
                    curStart = i;
                }
                cur.append(c);
                i++;
            }
        }
        if (cur != null) {
            tokens.add(new Token(cur.toString(), false, false, curStart, n));
        }
        return tokens;
    }

}
