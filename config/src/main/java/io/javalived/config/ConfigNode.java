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

    ConfigNode(String keyword, List<String> args, Path file, int line) {
        this.keyword = keyword;
        this.args = args;
        this.file = file;
        this.line = line;
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

    /** Builds the statement tree; brace mismatches are errors (keepalived -t rejects them). */
    static List<ConfigNode> parse(List<ConfigLexer.Line> lines, List<ConfigException> errors, Path mainFile) {
        List<ConfigNode> top = new ArrayList<>();
        List<List<ConfigNode>> stack = new ArrayList<>();
        List<ConfigNode> openers = new ArrayList<>();
        List<ConfigNode> current = top;
        ConfigNode last = null; // statement a following '{' may open
        for (ConfigLexer.Line l : lines) {
            List<ConfigLexer.Token> toks = l.tokens();
            int i = 0;
            while (i < toks.size()) {
                ConfigLexer.Token t = toks.get(i);
                if (t.is("{")) {
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
                    List<String> args = new ArrayList<>();
                    while (j < toks.size() && !toks.get(j).brace()) {
                        args.add(toks.get(j).text());
                        j++;
                    }
                    ConfigNode n = new ConfigNode(t.text(), List.copyOf(args), l.file(), l.line());
                    current.add(n);
                    last = n;
                    i = j;
                }
            }
        }
        if (!openers.isEmpty()) {
            ConfigNode open = openers.get(openers.size() - 1);
            errors.add(new ConfigException(open.file, open.line, open.keyword,
                    "block opened here is never closed (" + openers.size() + " missing '}')"));
        }
        return top;
    }
}
