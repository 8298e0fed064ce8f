package io.javalived.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Script lines (notify*, quorum_up/down, notify_up/down, vrrp_script script, misc_path) read as keepalived 2.2.7 reads
 * them. keepalived re-reads the whole statement with quotes and escapes honoured ({@link #words}): word 1 is the
 * command, words 2 and 3 the user and group (where the keyword takes them); the command is then split the same way
 * into argv ({@link #split}). So {@code notify_master "/bin/n.sh master \"a b\" c"} runs {@code /bin/n.sh} with
 * {@code master}, {@code a b}, {@code c}.
 */
final class ScriptCommand {
    private ScriptCommand() {
    }

    /** Why a line could not be split (keepalived then ignores the script). */
    static final class Unparsable extends Exception {
        private static final long serialVersionUID = 1L;

        Unparsable(String message) {
            super(message, null, false, false);
        }
    }

    private static final String WHITE = " \t\f\n\r\u000b";

    /**
     * Splits a command line into argv; null when keepalived could not parse it (an unterminated quote, or a
     * backslash ending the line) and so would not run it.
     */
    static List<String> split(String cmd) {
        try {
            return words(cmd);
        } catch (Unparsable e) {
            return null;
        }
    }

    /**
     * keepalived's quoted-and-escaped word splitting: whitespace separates words; single or double quotes group
     * (the quotes are removed, {@code 'a'"b"c} is one word); outside and inside quotes a backslash escapes: {@code \a
     * \b \E \f \n \r \t \v}, {@code \xHH...} (hex, low 8 bits kept), {@code \cX} (control character), {@code \ooo}
     * (1 to 3 octal digits), and any other character stands for itself ({@code \" \' \\ \ }).
     */
    static List<String> words(String s) throws Unparsable {
        List<String> out = new ArrayList<>();
        int n = s.length();
        int i = 0;
        char quote = 0;
        while (true) {
            while (i < n && WHITE.indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            if (i >= n) {
                break;
            }
            StringBuilder w = new StringBuilder();
            while (i < n) {
                char c = s.charAt(i);
                if (c == '\\') {
                    i++;
                    if (i >= n) {
                        throw new Unparsable("missing escape character after a backslash at the end");
                    }
                    i = escape(s, i, w);
                    continue;
                }
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    } else {
                        w.append(c);
                    }
                    i++;
                    continue;
                }
                if (c == '"' || c == '\'') {
                    quote = c;
                    i++;
                    continue;
                }
                if (WHITE.indexOf(c) >= 0) {
                    break;
                }
                w.append(c);
                i++;
            }
            if (quote != 0) {
                throw new Unparsable("missing terminating " + quote);
            }
            out.add(w.toString());
        }
        return out;
    }

    /** Appends the escape starting at {@code i} (just after the backslash); returns the index after it. */
    private static int escape(String s, int i, StringBuilder sb) {
        int n = s.length();
        char e = s.charAt(i);
        if (e == 'x' && i + 1 < n && Character.digit(s.charAt(i + 1), 16) >= 0) {
            int v = 0;
            i++;
            while (i < n && Character.digit(s.charAt(i), 16) >= 0) {
                v = (v << 4 | Character.digit(s.charAt(i), 16)) & 0xff;
                i++;
            }
            sb.append((char) v);
            return i;
        }
        if (e == 'c' && i + 1 < n) {
            sb.append((char) (s.charAt(i + 1) & 0x1f));
            return i + 2;
        }
        if (e >= '0' && e <= '7') {
            int v = e - '0';
            i++;
            for (int k = 0; k < 2 && i < n && s.charAt(i) >= '0' && s.charAt(i) <= '7'; k++) {
                v = v << 3 | s.charAt(i) - '0';
                i++;
            }
            sb.append((char) (v & 0xff));
            return i;
        }
        sb.append(switch (e) {
            case 'a' -> '\u0007';
            case 'b' -> '\b';
            case 'E' -> '\u001b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'v' -> '\u000b';
            default -> e;
        });
        return i + 1;
    }
}
