package io.javalived.it.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deterministic (seeded) mutant generator for keepalived.conf files: the corpus of
 * {@link KeepalivedCheckAgreementTest}, and reusable by property tests of the reader.
 *
 * <p>Each {@link Operator} makes one kind of plausible operator mistake (or a valid rewrite that
 * must stay valid): missing/extra braces, out-of-range numbers, unknown keywords, missing
 * includes, include cycles, bad addresses, unknown scheduler/lb_kind, duplicate names, undefined
 * track_script, mixed address families, ... A {@link Mutant} is one or more files (main file plus
 * included files) that {@link Mutant#writeTo(Path)} writes into an empty directory.
 *
 * <p>Same seed + same input text = same mutants, in the same order.
 */
public final class ConfigMutator {

    /** A generated config: {@code files} maps relative paths to content; {@code mainFile} is the one to check. */
    public record Mutant(String id, String source, String operator, String description,
                         String mainFile, Map<String, byte[]> files) {
        /** Writes all files below {@code dir} (created if needed); returns the main file's path. */
        public Path writeTo(Path dir) {
            try {
                for (Map.Entry<String, byte[]> e : files.entrySet()) {
                    Path p = dir.resolve(e.getKey());
                    Files.createDirectories(p.getParent());
                    Files.write(p, e.getValue());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return dir.resolve(mainFile);
        }

        /** The main file's text (UTF-8, lossy for random bytes). */
        public String mainText() {
            return new String(files.get(mainFile), StandardCharsets.UTF_8);
        }
    }

    /** The result of one operator on one text: null when the operator does not apply to it. */
    private record Edit(String description, Map<String, byte[]> files) {
        static Edit single(String description, String text) {
            Map<String, byte[]> m = new LinkedHashMap<>();
            m.put(MAIN, text.getBytes(StandardCharsets.UTF_8));
            return new Edit(description, m);
        }
    }

    /** Name of the main file inside a mutant's directory. */
    public static final String MAIN = "keepalived.conf";

    private static final Pattern IPV4 = Pattern.compile("(?<![\\w.:])(\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})(/\\d{1,2})?(?![\\w.])");
    private static final Pattern IPV6 = Pattern.compile("(?<![\\w:])([0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{0,4}){2,7})(/\\d{1,3})?(?![\\w:])");

    /** One kind of mutation. */
    public enum Operator {
        DELETE_OPEN_BRACE("delete-open-brace"),
        DELETE_CLOSE_BRACE("delete-close-brace"),
        EXTRA_OPEN_BRACE("extra-open-brace"),
        EXTRA_CLOSE_BRACE("extra-close-brace"),
        BRACE_ON_NEXT_LINE("brace-on-next-line"),
        PRIORITY("priority"),
        VRID("vrid"),
        ADVERT_INT("advert-int"),
        WEIGHT("weight"),
        PORT("port"),
        TIMER("timer"),
        UNKNOWN_KEYWORD("unknown-keyword"),
        KEYWORD_CASE("keyword-case"),
        MISSING_INCLUDE("missing-include"),
        INCLUDE_SPLIT("include-split"),
        INCLUDE_CYCLE("include-cycle"),
        BAD_ADDRESS("bad-address"),
        MIXED_FAMILY("mixed-family"),
        SCHEDULER("scheduler"),
        LB_KIND("lb-kind"),
        PROTOCOL("protocol"),
        STATE("state"),
        AUTH("auth"),
        DUPLICATE_INSTANCE("duplicate-instance"),
        DUPLICATE_BLOCK("duplicate-block"),
        UNDEFINED_TRACK_SCRIPT("undefined-track-script"),
        MISSING_INTERFACE("missing-interface"),
        SCRIPT_USER("script-user"),
        DELETE_LINE("delete-line"),
        DUPLICATE_LINE("duplicate-line"),
        TRUNCATE("truncate"),
        UNTERMINATED_QUOTE("unterminated-quote"),
        COMMENT_OUT("comment-out"),
        CONDITIONAL("conditional"),
        VARIABLE("variable"),
        CRLF("crlf"),
        GARBAGE("garbage"),
        MISSING_VALUE("missing-value"),
        CHECKER_RETRY("checker-retry");

        /** Stable name used in mutant ids, reports and known-difference lists. */
        public final String label;

        Operator(String label) {
            this.label = label;
        }
    }

    private final long seed;

    public ConfigMutator(long seed) {
        this.seed = seed;
    }

    /**
     * Up to {@code max} mutants of one source text, one operator each, operators in a seeded order
     * (each operator at most once per source; operators that do not apply are skipped).
     */
    public List<Mutant> mutate(String source, String text, int max) {
        Random rnd = new Random(seed ^ (source.hashCode() * 0x9E3779B97F4A7C15L));
        List<Operator> ops = new ArrayList<>(Arrays.asList(Operator.values()));
        ops.removeAll(EXTRA);
        Collections.shuffle(ops, rnd);
        List<Mutant> out = new ArrayList<>();
        for (Operator op : ops) {
            if (out.size() >= max) {
                break;
            }
            Edit e = apply(op, text, rnd, null);
            if (e != null) {
                out.add(new Mutant(source + "#" + op.label, source, op.label, e.description(), MAIN, e.files()));
            }
        }
        // operators added later: one more mutant each, from a random stream of their own, so the seeded corpus
        // above stays what it was
        for (Operator op : EXTRA) {
            Edit e = apply(op, text, new Random(seed ^ source.hashCode() ^ op.label.hashCode()), null);
            if (e != null) {
                out.add(new Mutant(source + "#" + op.label, source, op.label, e.description(), MAIN, e.files()));
            }
        }
        return out;
    }

    /** Operators outside the original seeded shuffle (see {@link #mutate}). */
    private static final List<Operator> EXTRA = List.of(Operator.CHECKER_RETRY);

    /**
     * The mutant {@code op} makes of {@code text} with the given value (the new number, address,
     * keyword value, script_user; "self"/"pair" for include cycles; ignored by operators without a
     * value), or null when the operator does not apply to the text.
     */
    public Mutant mutate(String source, String text, Operator op, String value) {
        Random rnd = new Random(seed ^ (source.hashCode() * 0x9E3779B97F4A7C15L) ^ op.ordinal() ^ String.valueOf(value).hashCode());
        Edit e = apply(op, text, rnd, value);
        return e == null ? null
                : new Mutant(source + "#" + op.label + "=" + value, source, op.label, e.description(), MAIN, e.files());
    }

    /**
     * One mutant of {@code text} made by 1–{@code maxOps} random operators stacked (later ones edit
     * the main file of earlier ones). For property tests: call repeatedly with one {@link Random}.
     */
    public static Mutant randomMutant(String source, String text, Random rnd, int maxOps) {
        int n = 1 + rnd.nextInt(Math.max(1, maxOps));
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(MAIN, text.getBytes(StandardCharsets.UTF_8));
        StringBuilder ops = new StringBuilder();
        StringBuilder desc = new StringBuilder();
        Operator[] all = Operator.values();
        for (int i = 0; i < n; i++) {
            Operator op = all[rnd.nextInt(all.length)];
            String cur = new String(files.get(MAIN), StandardCharsets.UTF_8);
            Edit e = apply(op, cur, rnd, null);
            if (e == null) {
                continue;
            }
            files.putAll(e.files());
            ops.append(ops.length() == 0 ? "" : "+").append(op.label);
            desc.append(desc.length() == 0 ? "" : "; ").append(e.description());
        }
        return new Mutant(source + "#" + (ops.length() == 0 ? "identity" : ops), source,
                ops.length() == 0 ? "identity" : ops.toString(), desc.toString(), MAIN, files);
    }

    /** {@code n} random bytes (all 256 values, NUL included) as a single-file mutant. */
    public static Mutant randomBytes(String id, Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(MAIN, b);
        return new Mutant(id, "random", "random-bytes", n + " random bytes", MAIN, files);
    }

    // ---------------------------------------------------------------------------------------------

    static Edit apply(Operator op, String text, Random rnd, String forced) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        switch (op) {
            case DELETE_OPEN_BRACE:
                return editLine(lines, rnd, l -> code(l).contains("{"), l -> l.replaceFirst("\\{", ""),
                        "delete '{'");
            case DELETE_CLOSE_BRACE:
                return editLine(lines, rnd, l -> code(l).contains("}"), l -> l.replaceFirst("}", ""),
                        "delete '}'");
            case EXTRA_OPEN_BRACE:
                return insertLine(lines, rnd, "{", "insert a stray '{'");
            case EXTRA_CLOSE_BRACE:
                return insertLine(lines, rnd, "}", "insert a stray '}'");
            case BRACE_ON_NEXT_LINE: {
                List<Integer> c = candidates(lines, l -> code(l).trim().endsWith("{") && code(l).trim().length() > 1);
                if (c.isEmpty()) {
                    return null;
                }
                int i = c.get(rnd.nextInt(c.size()));
                String l = lines.get(i);
                int b = l.lastIndexOf('{');
                lines.set(i, l.substring(0, b) + l.substring(b + 1));
                lines.add(i + 1, indent(l) + "{");
                return Edit.single("line " + (i + 1) + ": move '{' to the next line", join(lines));
            }
            case PRIORITY:
                return replaceValue(lines, rnd, forced, Pattern.compile("priority"), 1,
                        new String[] {"0", "256", "300", "-1", "abc", "1.5", "1", "254", "255"});
            case VRID:
                return replaceValue(lines, rnd, forced, Pattern.compile("virtual_router_id"), 1,
                        new String[] {"0", "256", "-1", "x", "1", "255", "51.5"});
            case ADVERT_INT:
                return replaceValue(lines, rnd, forced, Pattern.compile("advert_int"), 1,
                        new String[] {"0", "-1", "256", "0.5", "abc", "1", "3", "255", "2.5"});
            case WEIGHT:
                return replaceValue(lines, rnd, forced, Pattern.compile("weight"), 1,
                        new String[] {"-1", "70000", "0", "254", "255", "-254", "-255", "abc", "2147483648", "3"});
            case PORT: {
                String[] vals = {"0", "65535", "65536", "70000", "-1", "http", "8080"};
                List<Integer> c = candidates(lines, l -> tokens(l).length >= 3
                        && (tokens(l)[0].equals("real_server") || tokens(l)[0].equals("virtual_server")
                            || tokens(l)[0].equals("sorry_server"))
                        && tokens(l)[2].matches("\\d+"));
                List<Integer> cp = candidates(lines, l -> tokens(l).length == 2
                        && (tokens(l)[0].equals("connect_port") || tokens(l)[0].equals("bind_port")));
                if (c.isEmpty() && cp.isEmpty()) {
                    return null;
                }
                String v = forced != null ? forced : vals[rnd.nextInt(vals.length)];
                boolean useServer = !c.isEmpty() && (cp.isEmpty() || rnd.nextBoolean());
                int i = useServer ? c.get(rnd.nextInt(c.size())) : cp.get(rnd.nextInt(cp.size()));
                int tok = useServer ? 2 : 1;
                String before = lines.get(i);
                lines.set(i, replaceToken(before, tok, v));
                return Edit.single("line " + (i + 1) + ": port -> " + v + " in '" + before.trim() + "'", join(lines));
            }
            case TIMER:
                return replaceValue(lines, rnd, forced,
                        Pattern.compile("delay_loop|connect_timeout|delay_before_retry|retry|interval|timeout"
                                + "|fall|rise|smtp_connect_timeout|persistence_timeout|preempt_delay"),
                        1, new String[] {"0", "-1", "abc", "0.5", "3600", "1e3", "100000000"});
            case UNKNOWN_KEYWORD:
                return insertLine(lines, rnd, "frobnicate_widget 42", "insert unknown keyword 'frobnicate_widget'");
            case CHECKER_RETRY: {
                // retry / nb_get_retry inside a checker or a real_server block: keepalived's ranges differ by level
                List<Integer> c = candidates(lines, l -> code(l).trim()
                        .matches("(real_server\\s.*|[A-Z_]+_CHECK|HTTP_GET|SSL_GET)\\s*\\{\\s*"));
                if (c.isEmpty()) {
                    return null;
                }
                int i = c.get(rnd.nextInt(c.size()));
                String[] values = {"retry 0", "retry -1", "retry 2", "nb_get_retry 0", "nb_get_retry 3"};
                String v = forced != null ? forced : values[rnd.nextInt(values.length)];
                lines.add(i + 1, "    " + v);
                return Edit.single("after line " + (i + 1) + " ('" + code(lines.get(i)).trim() + "'): insert '" + v
                        + "'", join(lines));
            }
            case KEYWORD_CASE: {
                List<Integer> c = candidates(lines, l -> tokens(l).length >= 1 && tokens(l)[0].matches("[a-z][a-z_0-9]+"));
                if (c.isEmpty()) {
                    return null;
                }
                int i = c.get(rnd.nextInt(c.size()));
                String l = lines.get(i);
                String kw = tokens(l)[0];
                String up = Character.toUpperCase(kw.charAt(0)) + kw.substring(1);
                lines.set(i, l.replaceFirst(Pattern.quote(kw), Matcher.quoteReplacement(up)));
                return Edit.single("line " + (i + 1) + ": keyword '" + kw + "' -> '" + up + "'", join(lines));
            }
            case MISSING_INCLUDE: {
                int at = topLevelBoundary(lines, rnd);
                lines.add(at, "include missing-" + (100 + rnd.nextInt(900)) + ".conf");
                return Edit.single("insert include of a missing file at line " + (at + 1), join(lines));
            }
            case INCLUDE_SPLIT: {
                List<int[]> blocks = topLevelBlocks(lines);
                if (blocks.isEmpty()) {
                    return null;
                }
                int[] b = blocks.get(rnd.nextInt(blocks.size()));
                List<String> part = new ArrayList<>(lines.subList(b[0], b[1] + 1));
                boolean glob = rnd.nextBoolean();
                String incl = glob ? "include conf.d/*.conf" : "include part.conf";
                String partPath = glob ? "conf.d/split.conf" : "part.conf";
                for (int k = b[1]; k >= b[0]; k--) {
                    lines.remove(k);
                }
                lines.add(b[0], incl);
                Map<String, byte[]> m = new LinkedHashMap<>();
                m.put(MAIN, join(lines).getBytes(StandardCharsets.UTF_8));
                m.put(partPath, (join(part) + "\n").getBytes(StandardCharsets.UTF_8));
                return new Edit("move lines " + (b[0] + 1) + "-" + (b[1] + 1) + " to " + partPath + " ('" + incl + "')", m);
            }
            case INCLUDE_CYCLE: {
                int at = topLevelBoundary(lines, rnd);
                Map<String, byte[]> m = new LinkedHashMap<>();
                if (forced != null ? forced.equals("self") : rnd.nextBoolean()) {
                    lines.add(at, "include " + MAIN);
                    m.put(MAIN, join(lines).getBytes(StandardCharsets.UTF_8));
                    return new Edit("the file includes itself (line " + (at + 1) + ")", m);
                }
                lines.add(at, "include loop.conf");
                m.put(MAIN, join(lines).getBytes(StandardCharsets.UTF_8));
                m.put("loop.conf", ("# includes the main file back\ninclude " + MAIN + "\n").getBytes(StandardCharsets.UTF_8));
                return new Edit("include cycle " + MAIN + " -> loop.conf -> " + MAIN + " (line " + (at + 1) + ")", m);
            }
            case BAD_ADDRESS: {
                List<Integer> c = candidates(lines, l -> IPV4.matcher(code(l)).find());
                if (c.isEmpty()) {
                    return null;
                }
                String[] bad = {"999.1.1.1", "10.0.0.1/33", "garbage", "192.0.2.", "1.2.3.4.5", "256.0.0.1", "10.0.0.1/-1"};
                int i = c.get(rnd.nextInt(c.size()));
                String l = lines.get(i);
                Matcher mm = IPV4.matcher(code(l));
                mm.find();
                String v = forced != null ? forced : bad[rnd.nextInt(bad.length)];
                lines.set(i, l.substring(0, mm.start()) + v + l.substring(mm.end()));
                return Edit.single("line " + (i + 1) + ": address '" + mm.group() + "' -> '" + v + "'", join(lines));
            }
            case MIXED_FAMILY: {
                List<Integer> c = candidates(lines, l -> {
                    String[] t = tokens(l);
                    return t.length >= 1 && (t[0].equals("virtual_ipaddress") || t[0].equals("unicast_peer")
                            || t[0].equals("real_server"));
                });
                if (c.isEmpty()) {
                    return null;
                }
                int i = c.get(rnd.nextInt(c.size()));
                String l = lines.get(i);
                String kw = tokens(l)[0];
                boolean v6 = IPV6.matcher(blockText(lines, i)).find() && !IPV4.matcher(blockText(lines, i)).find();
                if (kw.equals("real_server")) {
                    String other = v6 ? "192.0.2.99" : "2001:db8::99";
                    lines.set(i, replaceToken(l, 1, other));
                    return Edit.single("line " + (i + 1) + ": real_server address -> " + other + " (other family)", join(lines));
                }
                String other = v6 ? "192.0.2.99/24" : "2001:db8::99/64";
                if (kw.equals("unicast_peer")) {
                    other = v6 ? "192.0.2.99" : "2001:db8::99";
                }
                lines.add(i + (code(l).contains("{") ? 1 : 2), indent(l) + "    " + other);
                return Edit.single("add " + other + " to " + kw + " at line " + (i + 1) + " (other family)", join(lines));
            }
            case SCHEDULER:
                return replaceValue(lines, rnd, forced, Pattern.compile("lb_algo|lvs_sched"), 1,
                        new String[] {"xyz", "wlc", "sh", "mh", "RR", "lblc", "fo", "ovf", "twos"});
            case LB_KIND:
                return replaceValue(lines, rnd, forced, Pattern.compile("lb_kind|lvs_method"), 1,
                        new String[] {"XYZ", "nat", "NAT", "DR", "TUN", "dr", "FULLNAT"});
            case PROTOCOL:
                return replaceValue(lines, rnd, forced, Pattern.compile("protocol"), 1,
                        new String[] {"XYZ", "UDP", "SCTP", "tcp", "TCP"});
            case STATE:
                return replaceValue(lines, rnd, forced, Pattern.compile("state"), 1,
                        new String[] {"FOO", "master", "MASTER", "BACKUP", "EQUAL", "FAULT"});
            case AUTH: {
                if (rnd.nextBoolean()) {
                    Edit e = replaceValue(lines, rnd, forced, Pattern.compile("auth_type"), 1, new String[] {"FOO", "PASS", "AH", "pass"});
                    if (e != null) {
                        return e;
                    }
                }
                return replaceValue(lines, rnd, forced, Pattern.compile("auth_pass"), 1,
                        new String[] {"0123456789abcdef", "x", "12345678", "\"with space\""});
            }
            case DUPLICATE_INSTANCE: {
                List<int[]> blocks = topLevelBlocks(lines, "vrrp_instance");
                if (blocks.isEmpty()) {
                    return null;
                }
                int[] b = blocks.get(rnd.nextInt(blocks.size()));
                List<String> copy = new ArrayList<>(lines.subList(b[0], b[1] + 1));
                boolean newVrid = rnd.nextBoolean();
                if (newVrid) {
                    for (int k = 0; k < copy.size(); k++) {
                        if (tokens(copy.get(k)).length >= 2 && tokens(copy.get(k))[0].equals("virtual_router_id")) {
                            copy.set(k, replaceToken(copy.get(k), 1, "249"));
                        }
                    }
                }
                lines.addAll(b[1] + 1, copy);
                return Edit.single("duplicate vrrp_instance at lines " + (b[0] + 1) + "-" + (b[1] + 1)
                        + (newVrid ? " (same name, VRID 249)" : " (same name, same VRID)"), join(lines));
            }
            case DUPLICATE_BLOCK: {
                List<Integer> c = candidates(lines, l -> {
                    String[] t = tokens(l);
                    return t.length >= 2 && code(l).trim().endsWith("{") && (t[0].equals("virtual_server")
                            || t[0].equals("real_server") || t[0].equals("vrrp_script")
                            || t[0].equals("vrrp_sync_group") || t[0].equals("virtual_server_group"));
                });
                if (c.isEmpty()) {
                    return null;
                }
                int i = c.get(rnd.nextInt(c.size()));
                int end = blockEnd(lines, i);
                if (end < 0) {
                    return null;
                }
                List<String> copy = new ArrayList<>(lines.subList(i, end + 1));
                lines.addAll(end + 1, copy);
                return Edit.single("duplicate '" + code(lines.get(i)).trim() + "' block (lines " + (i + 1) + "-" + (end + 1) + ")", join(lines));
            }
            case UNDEFINED_TRACK_SCRIPT: {
                List<Integer> c = candidates(lines, l -> {
                    String[] t = tokens(l);
                    return t.length >= 1 && t[0].equals("vrrp_instance") && code(l).contains("{");
                });
                if (c.isEmpty()) {
                    return null;
                }
                int i = c.get(rnd.nextInt(c.size()));
                String ind = indent(lines.get(i)) + "    ";
                lines.add(i + 1, ind + "}");
                lines.add(i + 1, ind + "    no_such_script_jv");
                lines.add(i + 1, ind + "track_script {");
                return Edit.single("track_script naming an undefined vrrp_script after line " + (i + 1), join(lines));
            }
            case MISSING_INTERFACE: {
                if ("lo".equals(forced)) { // a vrrp_instance on the loopback device: keepalived refuses it
                    List<Integer> c = candidates(lines, l -> {
                        String[] t = tokens(l);
                        return t.length >= 2 && t[0].equals("interface");
                    });
                    if (c.isEmpty()) {
                        return null;
                    }
                    int i = c.get(rnd.nextInt(c.size()));
                    lines.set(i, replaceToken(lines.get(i), 1, "lo"));
                    return Edit.single("line " + (i + 1) + ": interface -> lo (loopback)", join(lines));
                }
                List<Integer> c = candidates(lines, l -> {
                    String[] t = tokens(l);
                    return t.length >= 2 && (t[0].equals("interface") || t[0].equals("dev")) || code(l).matches(".*\\bdev eth\\d.*");
                });
                if (c.isEmpty()) {
                    return null;
                }
                int i = c.get(rnd.nextInt(c.size()));
                String l = lines.get(i);
                String n = l.replaceFirst("\\beth[0-9.]+\\b", "eth9");
                if (n.equals(l)) {
                    n = replaceToken(l, 1, "eth9");
                }
                lines.set(i, n);
                return Edit.single("line " + (i + 1) + ": interface -> eth9 (does not exist)", join(lines));
            }
            case SCRIPT_USER: {
                boolean hasScript = text.contains("vrrp_script") || text.contains("misc_path") || text.contains("notify");
                if (!hasScript) {
                    return null;
                }
                String[] users = {"nobody", "root", "no_such_user_jv", "nobody nogroup"};
                String u = forced != null ? forced : users[rnd.nextInt(users.length)];
                lines.removeIf(l -> tokens(l).length >= 1 && tokens(l)[0].equals("script_user"));
                int g = candidates(lines, l -> tokens(l).length >= 1 && tokens(l)[0].equals("global_defs")).stream()
                        .findFirst().orElse(-1);
                boolean security = rnd.nextBoolean();
                String add = (security ? "    enable_script_security\n" : "") + "    script_user " + u;
                if (g >= 0 && code(lines.get(g)).contains("{")) {
                    lines.add(g + 1, add);
                } else {
                    lines.add(0, "global_defs {\n" + add + "\n}");
                }
                return Edit.single("global_defs: " + (security ? "enable_script_security, " : "") + "script_user " + u, join(lines));
            }
            case DELETE_LINE: {
                List<Integer> c = candidates(lines, l -> tokens(l).length >= 1 && !code(l).contains("{") && !code(l).contains("}"));
                if (c.isEmpty()) {
                    return null;
                }
                int i = c.get(rnd.nextInt(c.size()));
                String l = lines.remove(i);
                return Edit.single("delete line " + (i + 1) + " '" + l.trim() + "'", join(lines));
            }
            case DUPLICATE_LINE: {
                List<Integer> c = candidates(lines, l -> tokens(l).length >= 1 && !code(l).contains("{") && !code(l).contains("}"));
                if (c.isEmpty()) {
                    return null;
                }
                int i = c.get(rnd.nextInt(c.size()));
                lines.add(i, lines.get(i));
                return Edit.single("duplicate line " + (i + 1) + " '" + lines.get(i).trim() + "'", join(lines));
            }
            case TRUNCATE: {
                if (lines.size() < 3) {
                    return null;
                }
                int n = 1 + rnd.nextInt(lines.size() - 2);
                return Edit.single("truncate after line " + n, join(lines.subList(0, n)) + "\n");
            }
            case UNTERMINATED_QUOTE: {
                List<Integer> c = candidates(lines, l -> tokens(l).length >= 2 && !code(l).contains("{") && !code(l).contains("\""));
                if (c.isEmpty()) {
                    return null;
                }
                int i = c.get(rnd.nextInt(c.size()));
                String l = lines.get(i);
                String t1 = tokens(l)[1];
                lines.set(i, l.replaceFirst(Pattern.quote(t1), Matcher.quoteReplacement("\"" + t1)));
                return Edit.single("line " + (i + 1) + ": unterminated quote before '" + t1 + "'", join(lines));
            }
            case COMMENT_OUT: {
                List<Integer> c = candidates(lines, l -> tokens(l).length >= 1);
                if (c.isEmpty()) {
                    return null;
                }
                int i = c.get(rnd.nextInt(c.size()));
                String mark = rnd.nextBoolean() ? "#" : "!";
                lines.set(i, mark + lines.get(i));
                return Edit.single("comment out line " + (i + 1) + " with '" + mark + "'", join(lines));
            }
            case CONDITIONAL: {
                List<Integer> c = candidates(lines, l -> tokens(l).length >= 1);
                if (c.isEmpty()) {
                    return null;
                }
                int i = c.get(rnd.nextInt(c.size()));
                String p = rnd.nextBoolean() ? "@jvnohost " : "@^jvnohost ";
                lines.set(i, p + lines.get(i).trim());
                return Edit.single("line " + (i + 1) + ": prefix '" + p.trim() + "' ("
                        + (p.startsWith("@^") ? "kept" : "skipped") + " unless config-id is jvnohost)", join(lines));
            }
            case VARIABLE: {
                List<Integer> c = candidates(lines, l -> tokens(l).length == 2 && tokens(l)[1].matches("-?\\d+") && !code(l).contains("{"));
                if (c.isEmpty()) {
                    return null;
                }
                int i = c.get(rnd.nextInt(c.size()));
                String l = lines.get(i);
                String v = tokens(l)[1];
                int form = rnd.nextInt(3);
                String use = form == 0 ? "$JVVAL" : form == 1 ? "${JVVAL}" : "$JV_UNDEFINED";
                lines.set(i, replaceToken(l, 1, use));
                lines.add(0, "$JVVAL=" + v);
                return Edit.single("define $JVVAL=" + v + " and use " + use + " on line " + (i + 2), join(lines));
            }
            case CRLF:
                return Edit.single("CRLF line endings", String.join("\r\n", lines));
            case GARBAGE: {
                int i = rnd.nextInt(lines.size());
                StringBuilder g = new StringBuilder();
                int n = 1 + rnd.nextInt(24);
                for (int k = 0; k < n; k++) {
                    int ch = 1 + rnd.nextInt(255);
                    g.append(ch == '\n' ? ' ' : (char) ch);
                }
                lines.set(i, lines.get(i) + " " + g);
                return Edit.single("append " + n + " random characters to line " + (i + 1), join(lines));
            }
            case MISSING_VALUE: {
                List<Integer> c = candidates(lines, l -> tokens(l).length == 2 && !code(l).contains("{")
                        && !code(l).contains("}") && tokens(l)[0].matches("[a-z][a-z_0-9]+"));
                if (c.isEmpty()) {
                    return null;
                }
                int i = c.get(rnd.nextInt(c.size()));
                String l = lines.get(i);
                lines.set(i, indent(l) + tokens(l)[0]);
                return Edit.single("line " + (i + 1) + ": drop the value of '" + code(l).trim() + "'", join(lines));
            }
            default:
                throw new IllegalStateException(op.toString());
        }
    }

    // --- line helpers ----------------------------------------------------------------------------

    /** The line without its comment (keepalived: '#' or '!' outside quotes). */
    static String code(String line) {
        boolean q = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                q = !q;
            } else if (!q && (c == '#' || c == '!')) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    static String[] tokens(String line) {
        String c = code(line).trim();
        return c.isEmpty() ? new String[0] : c.split("\\s+");
    }

    private static String indent(String l) {
        int i = 0;
        while (i < l.length() && Character.isWhitespace(l.charAt(i))) {
            i++;
        }
        return l.substring(0, i);
    }

    private static String join(List<String> lines) {
        return String.join("\n", lines);
    }

    private static List<Integer> candidates(List<String> lines, java.util.function.Predicate<String> p) {
        List<Integer> c = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (p.test(lines.get(i))) {
                c.add(i);
            }
        }
        return c;
    }

    /** Replaces whitespace-separated token {@code idx} of the line's code part. */
    private static String replaceToken(String l, int idx, String v) {
        Matcher m = Pattern.compile("\\S+").matcher(l);
        int k = 0;
        while (m.find()) {
            if (k++ == idx) {
                return l.substring(0, m.start()) + v + l.substring(m.end());
            }
        }
        return l + " " + v;
    }

    private static Edit editLine(List<String> lines, Random rnd, java.util.function.Predicate<String> p,
                                 Function<String, String> f, String what) {
        List<Integer> c = candidates(lines, p);
        if (c.isEmpty()) {
            return null;
        }
        int i = c.get(rnd.nextInt(c.size()));
        lines.set(i, f.apply(lines.get(i)));
        return Edit.single("line " + (i + 1) + ": " + what, join(lines));
    }

    private static Edit insertLine(List<String> lines, Random rnd, String add, String what) {
        int i = rnd.nextInt(lines.size() + 1);
        lines.add(i, add);
        return Edit.single(what + " at line " + (i + 1), join(lines));
    }

    private static Edit replaceValue(List<String> lines, Random rnd, String forced, Pattern keyword, int tok, String[] values) {
        List<Integer> c = candidates(lines, l -> {
            String[] t = tokens(l);
            return t.length > tok && keyword.matcher(t[0]).matches() && !code(l).contains("{");
        });
        if (c.isEmpty()) {
            return null;
        }
        int i = c.get(rnd.nextInt(c.size()));
        String before = lines.get(i);
        String v = forced != null ? forced : values[rnd.nextInt(values.length)];
        lines.set(i, replaceToken(before, tok, v));
        return Edit.single("line " + (i + 1) + ": '" + code(before).trim() + "' -> value " + v, join(lines));
    }

    /** Index of the line closing the block opened on line {@code start} (braces counted outside comments/quotes). */
    private static int blockEnd(List<String> lines, int start) {
        int depth = 0;
        boolean opened = false;
        for (int i = start; i < lines.size(); i++) {
            String c = code(lines.get(i)).replaceAll("\"[^\"]*\"", "");
            for (char ch : c.toCharArray()) {
                if (ch == '{') {
                    depth++;
                    opened = true;
                } else if (ch == '}') {
                    depth--;
                    if (opened && depth == 0) {
                        return i;
                    }
                }
            }
        }
        return -1;
    }

    private static String blockText(List<String> lines, int start) {
        int end = blockEnd(lines, start);
        return code(String.join("\n", lines.subList(start, end < 0 ? lines.size() : end + 1)));
    }

    /** [start, end] line ranges of top-level blocks (optionally only those whose keyword is given). */
    private static List<int[]> topLevelBlocks(List<String> lines, String... keywords) {
        List<int[]> out = new ArrayList<>();
        int depth = 0;
        for (int i = 0; i < lines.size(); i++) {
            String c = code(lines.get(i));
            if (depth == 0 && c.contains("{") && tokens(lines.get(i)).length > 0 && !tokens(lines.get(i))[0].equals("{")) {
                String kw = tokens(lines.get(i))[0];
                int end = blockEnd(lines, i);
                if (end > i && (keywords.length == 0 || Arrays.asList(keywords).contains(kw))) {
                    out.add(new int[] {i, end});
                }
                if (end > i) {
                    i = end;
                    continue;
                }
            }
            for (char ch : c.replaceAll("\"[^\"]*\"", "").toCharArray()) {
                depth += ch == '{' ? 1 : ch == '}' ? -1 : 0;
            }
            depth = Math.max(depth, 0);
        }
        return out;
    }

    /** A line index at top level (before a top-level block or at the end). */
    private static int topLevelBoundary(List<String> lines, Random rnd) {
        List<int[]> blocks = topLevelBlocks(lines);
        List<Integer> at = new ArrayList<>();
        at.add(0);
        for (int[] b : blocks) {
            at.add(b[0]);
            at.add(b[1] + 1);
        }
        return Math.min(at.get(rnd.nextInt(at.size())), lines.size());
    }
}
