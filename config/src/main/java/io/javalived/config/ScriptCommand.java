package io.javalived.config;

import java.util.ArrayList;
import java.util.List;

/** A script's command line (notify*, script, misc_path, quorum_up/down) split into argv as keepalived splits it. */
final class ScriptCommand {
    private ScriptCommand() {
    }

    /**
     * Splits a script command line into argv as keepalived does: whitespace separates words, single quotes group
     * (spaces kept), and escapes \\a \\b \\E \\f \\n \\r \\t \\v \\nnn \\xXX \\cC and \\C are processed.
     */
    static List<String> split(String cmd) {
        List<String> argv = new ArrayList<>();
        StringBuilder cur = null;
        boolean quoted = false;
        int n = cmd.length();
        for (int i = 0; i < n; i++) {
            char c = cmd.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
                if (cur == null) {
                    cur = new StringBuilder();
                }
            } else if (!quoted && Character.isWhitespace(c)) {
                if (cur != null) {
                    argv.add(cur.toString());
                    cur = null;
                }
            } else {
                if (cur == null) {
                    cur = new StringBuilder();
                }
                if (c == '\\' && i + 1 < n) {
                    i = escape(cmd, i + 1, cur) - 1;
                } else {
                    cur.append(c);
                }
            }
        }
        if (cur != null) {
            argv.add(cur.toString());
        }
        return argv;
    }

    /** Appends the escape starting at {@code i} (just after the backslash); returns the index after it. */
    private static int escape(String s, int i, StringBuilder sb) {
        int n = s.length();
        char e = s.charAt(i++);
        switch (e) {
            case 'a' -> sb.append('\u0007');
            case 'b' -> sb.append('\b');
            case 'E' -> sb.append('\u001b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'v' -> sb.append('\u000b');
            case 'x' -> {
                int v = 0;
                int k = 0;
                while (k < 2 && i < n && Character.digit(s.charAt(i), 16) >= 0) {
                    v = v * 16 + Character.digit(s.charAt(i), 16);
                    i++;
                    k++;
                }
                sb.append(k == 0 ? 'x' : (char) v);
            }
            case 'c' -> {
                if (i < n) {
                    sb.append((char) (Character.toUpperCase(s.charAt(i)) ^ 0x40));
                    i++;
                }
            }
            default -> {
                if (e >= '0' && e <= '7') {
                    int v = e - '0';
                    int k = 1;
                    while (k < 3 && i < n && s.charAt(i) >= '0' && s.charAt(i) <= '7') {
                        v = v * 8 + (s.charAt(i) - '0');
                        i++;
                        k++;
                    }
                    sb.append((char) (v & 0xff));
                } else {
                    sb.append(e);
                }
            }
        }
        return i;
    }
}
