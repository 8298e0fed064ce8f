package io.javalived.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One statement of a keepalived.conf: its keyword, the words after it on its line, and — for a block — the
 * statements between its braces. Built by {@link #parse}.
 */
final class ConfigNode {
    final String keyword;
    final List<String> args;
    final Path file;
    final int line;
    List<ConfigNode> children; // null: no block
    /**
     * The statement's text as written from its keyword to its last argument (quotes and backslashes kept), as
     * keepalived hands it to the handlers that re-read their line (scripts); null when not known.
     */
    String raw;

    ConfigNode(String keyword, List<String> args, Path file, int line) {
        this.keyword = keyword;
        this.args = args;
        this.file = file;
        this.line = line;
    }

    /** The same statement with only its first {@code n} arguments (what keepalived's handler reads). */
    ConfigNode firstArgs(int n) {
        ConfigNode c = new ConfigNode(keyword, args.subList(0, Math.min(n, args.size())), file, line);
        c.children = children;
        c.raw = raw;
        return c;
    }

    boolean hasBlock() {
        return children != null;
    }

    List<ConfigNode> block() {
        return children == null ? List.of() : children;
    }

    /** The keyword and its arguments, as one string (for list entries and messages). */
    String text() {
        return args.isEmpty() ? keyword : keyword + " " + String.join(" ", args);
    }

    @Override
    public String toString() {
        return file + ":" + line + ": " + text() + (children == null ? "" : " {" + children.size() + "}");
    }

    /**
     * keepalived's "value blocks" (lists): when their '{' is missing, the lines up to the next '}' are still read
     * as the block, without complaint.
     */
    static final java.util.Set<String> VALUE_BLOCKS = java.util.Set.of("virtual_ipaddress",
            "virtual_ipaddress_excluded", "virtual_routes", "virtual_rules", "unicast_peer", "track_interface",
            "track_script", "track_file", "notification_email", "group", "static_ipaddress", "static_routes",
            "static_rules", "track_process", "track_bfd");

    /** Builds the statement tree; brace mismatches are errors (keepalived -t rejects them). */
    static List<ConfigNode> parse(List<ConfigLexer.Line> lines, List<ConfigException> errors, Path mainFile) {
        List<ConfigNode> top = new ArrayList<>();
        List<List<ConfigNode>> stack = new ArrayList<>();
        List<ConfigNode> openers = new ArrayList<>();
        List<ConfigNode> current = top;
        ConfigNode last = null; // statement a following '{' may open
        ConfigNode pendingValueBlock = null;
        int opens = 0;
        int closes = 0;
        for (ConfigLexer.Line l : lines) {
            List<ConfigLexer.Token> toks = l.tokens();
            if (pendingValueBlock != null && !toks.get(0).is("{") && pendingValueBlock.children == null) {
                pendingValueBlock.children = new ArrayList<>();
                stack.add(current);
                openers.add(pendingValueBlock);
                current = pendingValueBlock.children;
                last = null;
            }
            pendingValueBlock = null;
            int i = 0;
            while (i < toks.size()) {
                ConfigLexer.Token t = toks.get(i);
                if (t.is("{")) {
                    opens++;
                    if (last == null || last.children != null) {
                        errors.add(new ConfigException(l.file(), l.line(), "{",
                                "'{' does not follow a keyword that opens a block"));
                        last = new ConfigNode("{", List.of(), l.file(), l.line());
                        current.add(last);
                    }
                    last.children = new ArrayList<>();
                    stack.add(current);
                    openers.add(last);
                    current = last.children;
                    last = null;
                    i++;
                } else if (t.is("}")) {
                    closes++;
                    if (stack.isEmpty()) {
                        errors.add(new ConfigException(l.file(), l.line(), "}",
                                "extra '}' (no block is open here)"));
                    } else {
                        current = stack.remove(stack.size() - 1);
                        openers.remove(openers.size() - 1);
                    }
                    last = null;
                    i++;
                } else {
                    int j = i + 1;
                    if (t.gluedQuote() && j < toks.size()) {
                        // keepalived: `word"quoted"` starting a statement is one word whose keyword is `word`
                        j++;
                    }
                    List<String> args = new ArrayList<>();
                    while (j < toks.size() && !toks.get(j).brace()) {
                        args.add(toks.get(j).text());
                        j++;
                    }
                    ConfigNode n = new ConfigNode(t.text(), List.copyOf(args), l.file(), l.line());
                    ConfigLexer.Token lastTok = toks.get(j - 1);
                    if (l.text() != null && t.start() >= 0 && lastTok.end() >= t.start()
                            && lastTok.end() <= l.text().length()) {
                        n.raw = l.text().substring(t.start(), lastTok.end());
                    }
                    current.add(n);
                    last = n;
                    i = j;
                    if (i == toks.size() && n.args.isEmpty() && VALUE_BLOCKS.contains(n.keyword) && !stack.isEmpty()
                            && !VALUE_BLOCKS.contains(openers.get(openers.size() - 1).keyword)) {
                        pendingValueBlock = n;
                    }
                }
            }
        }
        // keepalived counts braces over the whole configuration: unequal counts are an error; a block left open
        // at the end only because a list block's '{' was omitted (braces balanced) is accepted, as keepalived does
        if (opens != closes) {
            ConfigNode open = openers.isEmpty() ? null : openers.get(openers.size() - 1);
            int missing = opens - closes;
            String what = missing > 0 ? missing + " missing '}'(s) or extra '{'(s)" : -missing + " extra '}'(s)";
            if (open != null) {
                errors.add(new ConfigException(open.file, open.line, open.keyword,
                        "block opened here is never closed: there are " + what));
            } else if (missing > 0 || errors.isEmpty()) {
                errors.add(new ConfigException(mainFile, 0, "", "there are " + what));
            }
        }
        return top;
    }
}
