package io.javalived.it.packaging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small Dockerfile reader for the checks in {@link DockerfileTest}: instructions (continuation lines joined,
 * comments dropped) grouped into stages. Only what javalived's Dockerfile uses: FROM [AS], WORKDIR, COPY
 * [--from], RUN, ENV, LABEL, ENTRYPOINT, CMD (exec form as a JSON string array), and the rest kept verbatim.
 */
final class Dockerfile {
    record Instruction(int line, String keyword, String args) {
        /** The exec form ["a", "b"] as a list, or null for the shell form. */
        List<String> execForm() {
            String a = args.trim();
            if (!a.startsWith("[")) {
                return null;
            }
            if (!a.endsWith("]")) {
                throw new AssertionError("line " + line + ": unterminated JSON array: " + a);
            }
            List<String> out = new ArrayList<>();
            Matcher m = Pattern.compile("\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*(,|$)").matcher(a.substring(1, a.length() - 1));
            int at = 0;
            while (m.find() && m.start() == at) {
                out.add(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
                at = m.end();
            }
            if (at != a.length() - 2) {
                throw new AssertionError("line " + line + ": not a JSON string array: " + a);
            }
            return out;
        }

        /** Words of the arguments (no shell quoting is used in this Dockerfile's COPY/RUN lines). */
        List<String> words() {
            return List.of(args.trim().split("\\s+"));
        }
    }

    record Stage(String image, String name, List<Instruction> instructions) {
        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        Instruction last(String keyword) {
            List<Instruction> l = all(keyword);
            return l.isEmpty() ? null : l.get(l.size() - 1);
        }

        /** ENV KEY=VALUE pairs, in order. */
        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            for (Instruction i : all("ENV")) {
                for (String w : i.words()) {
                    int eq = w.indexOf('=');
                    if (eq <= 0) {
                        throw new AssertionError("line " + i.line() + ": use ENV KEY=VALUE: " + i.args());
                    }
                    env.put(w.substring(0, eq), w.substring(eq + 1));
                }
            }
            return env;
        }
    }

    final List<Stage> stages = new ArrayList<>();

    static Dockerfile parse(String text) {
        Dockerfile d = new Dockerfile();
        String[] lines = text.split("\n", -1);
        StringBuilder cur = null;
        int start = 0;
        for (int n = 0; n < lines.length; n++) {
            String l = lines[n];
            String t = l.strip();
            if (cur == null && (t.isEmpty() || t.startsWith("#"))) {
                continue;
            }
            if (cur != null && t.startsWith("#")) {
                continue; // comment lines inside a continued instruction are dropped, as docker does
            }
            if (cur == null) {
                cur = new StringBuilder();
                start = n + 1;
            }
            if (t.endsWith("\\")) {
                cur.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            cur.append(t);
            d.add(start, cur.toString());
            cur = null;
        }
        if (cur != null) {
            throw new AssertionError("line " + start + ": the last instruction ends with a continuation");
        }
        return d;
    }

    private void add(int line, String instr) {
        int sp = instr.indexOf(' ');
        String kw = (sp < 0 ? instr : instr.substring(0, sp)).toUpperCase(java.util.Locale.ROOT);
        String args = sp < 0 ? "" : instr.substring(sp + 1).trim();
        if (kw.equals("FROM")) {
            String[] w = args.split("\\s+");
            String name = w.length == 3 && w[1].equalsIgnoreCase("AS") ? w[2] : null;
            stages.add(new Stage(w[0], name, new ArrayList<>()));
            return;
        }
        if (stages.isEmpty()) {
            if (kw.equals("ARG")) {
                return;
            }
            throw new AssertionError("line " + line + ": " + kw + " before FROM");
        }
        stages.get(stages.size() - 1).instructions().add(new Instruction(line, kw, args));
    }

    Stage stage(String name) {
        return stages.stream().filter(s -> name.equals(s.name())).findFirst()
                .orElseThrow(() -> new AssertionError("no stage named " + name));
    }

    Stage last() {
        return stages.get(stages.size() - 1);
    }
}
