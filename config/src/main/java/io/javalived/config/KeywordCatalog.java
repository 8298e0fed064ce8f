package io.javalived.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every keyword of keepalived 2.2.7 (as its parsers install them: global_parser.c, vrrp_parser.c, check_parser.c,
 * check_*.c, bfd_parser.c, track_file.c) and what javalived does with it — the source of truth of
 * {@code config/KEYWORDS.md} (regenerate with {@code mvn -pl config test -Dtest=KeywordCatalogTest
 * -Djavalived.keywords.write=true}).
 *
 * <ul>
 *   <li><b>implemented</b> — applied with keepalived's semantics;</li>
 *   <li><b>notice</b> — accepted (its value checked where javalived reads it) with a one-line notice at
 *       {@code check} and at start naming what is not done;</li>
 *   <li><b>refused</b> — a configuration error at file:line with the reason (running it would mislead);</li>
 *   <li><b>deprecated-alias</b> — accepted with keepalived's deprecation message and read as the keyword it
 *       stands for (counted as a configuration error where keepalived -t counts it);</li>
 *   <li><b>javalived-extension</b> — not a keepalived keyword; read, and reported as keepalived -t reports it.</li>
 * </ul>
 *
 * <p>{@code words} is how many words after the keyword keepalived's handler reads ({@code *}: all of them;
 * {@code script}: the line is re-read as a script line, command then user and group; {@code script-no-user}: the
 * command only). A line with more words (e.g. {@code connect_timeout 1 retry 1}) applies only the keyword's own
 * words, as keepalived does, and the rest is reported as ignored.
 */
public final class KeywordCatalog {
    private KeywordCatalog() {
    }

    /** What javalived does with a keyword. */
    public enum Status {
        IMPLEMENTED("implemented"), NOTICE("notice"), REFUSED("refused"), DEPRECATED_ALIAS("deprecated-alias"),
        EXTENSION("javalived-extension");

        public final String label;

        Status(String label) {
            this.label = label;
        }

        static Status of(String label) {
            for (Status s : values()) {
                if (s.label.equals(label)) {
                    return s;
                }
            }
            throw new IllegalArgumentException(label);
        }
    }

    /**
     * One keyword in one block. {@code block}: keepalived's block path ({@code -} for the top level, e.g.
     * {@code virtual_server/real_server/TCP_CHECK}); {@code alias}: for a deprecated alias, the keyword it is read
     * as ({@code ""}: itself, {@code "!"}: dropped after its message); {@code keepalivedFails}: keepalived -t counts
     * the message as a configuration error; {@code sample}: arguments used by the keyword corpus; {@code test}: the
     * test that covers the row beyond {@code KeywordCatalogTest} and the keepalived -t agreement corpus.
     */
    public record Entry(String block, String keyword, String words, Status status, String alias,
                        boolean keepalivedFails, String note, String sample, String test) {
        /** Arguments keepalived's handler reads; -1 when it reads all of them or re-reads the line (scripts). */
        int maxArgs() {
            return words.chars().allMatch(Character::isDigit) ? Integer.parseInt(words) : -1;
        }

        boolean script() {
            return words.startsWith("script");
        }

        /** The text javalived reports at the keyword's file:line. */
        public String message() {
            return switch (status) {
                case NOTICE -> "'" + keyword + "' " + NOT_ACTED_UPON + ": " + note;
                case REFUSED -> "'" + keyword + "' is refused by javalived: " + note;
                case DEPRECATED_ALIAS, EXTENSION -> note;
                case IMPLEMENTED -> "";
            };
        }
    }

    /** The words of every notice (how {@link #notActedUpon} finds them among the warnings). */
    public static final String NOT_ACTED_UPON = "is accepted but not acted upon by javalived";

    /** The rows (block | keyword | words | status | alias | fails | note | sample | test): keywords.txt beside this class. */
    private static final String TABLE = readTable();

    private static final List<Entry> ENTRIES;
    private static final Map<String, Entry> BY_KEY = new LinkedHashMap<>();
    private static final Set<String> KEYWORDS = new TreeSet<>();

    static {
        List<Entry> l = new ArrayList<>();
        for (String line : TABLE.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\|", -1);
            if (f.length != 9) {
                throw new IllegalStateException("KeywordCatalog row needs 9 fields: " + line);
            }
            Entry e = new Entry(f[0].strip(), f[1].strip(), f[2].strip(), Status.of(f[3].strip()), f[4].strip(),
                    f[5].strip().equals("fails"), f[6].strip(), f[7].strip().replace("\\n", "\n"), f[8].strip());
            if (BY_KEY.putIfAbsent(key(e.block(), e.keyword()), e) != null) {
                throw new IllegalStateException("KeywordCatalog row repeated: " + line);
            }
            KEYWORDS.add(e.keyword());
            l.add(e);
        }
        ENTRIES = Collections.unmodifiableList(l);
    }

    private static String key(String block, String keyword) {
        return block + "\u0000" + keyword;
    }

    /** Every row, in keepalived's order of installation. */
    public static List<Entry> entries() {
        return ENTRIES;
    }

    /** The row of {@code keyword} in block {@code block} (a keepalived block path), if keepalived has it there. */
    public static Optional<Entry> lookup(String block, String keyword) {
        return Optional.ofNullable(BY_KEY.get(key(block, keyword)));
    }

    /** Whether {@code word} is a keepalived keyword of any block. */
    static boolean isKnownKeyword(String word) {
        return KEYWORDS.contains(word);
    }

    /** The notices among {@code warnings}: one line naming each keyword accepted but not acted upon. */
    public static Optional<String> notActedUpon(List<ConfigWarning> warnings) {
        Set<String> kws = new TreeSet<>();
        for (ConfigWarning w : warnings) {
            if (w.message().contains(NOT_ACTED_UPON)) {
                kws.add(w.keyword());
            }
        }
        if (kws.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("keepalived keyword(s) accepted but not acted upon by javalived (see the notices above "
                + "and config/KEYWORDS.md): " + String.join(", ", kws));
    }

    // ------------------------------------------------------------ KEYWORDS.md

    /** KEYWORDS.md, generated from the rows. */
    public static String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# keepalived 2.2.7 keywords in javalived\n\n");
        sb.append("Generated from `config/src/main/resources/io/javalived/config/keywords.txt` (KeywordCatalog) - do not edit; ")
                .append("regenerate with `mvn -B -o -q -pl config test -Dtest=KeywordCatalogTest ")
                .append("-Djavalived.keywords.write=true`.\n\n");
        sb.append("Every keyword keepalived 2.2.7's parsers install (global_parser.c, vrrp_parser.c, check_parser.c, ")
                .append("check_*.c, bfd_parser.c, track_file.c), by block, with what javalived does with it:\n\n")
                .append("* **implemented** - applied with keepalived's semantics;\n")
                .append("* **notice** - accepted, with a notice at `javalived check` and at start (file:line and ")
                .append("what is not done);\n")
                .append("* **refused** - a configuration error at file:line saying why (`javalived check` exits 5);\n")
                .append("* **deprecated-alias** - accepted with keepalived's deprecation message, read as the ")
                .append("keyword named (an error for `check` where keepalived -t counts it as one);\n")
                .append("* **javalived-extension** - not keepalived's; reported as keepalived -t reports it.\n\n")
                .append("`words`: how many words after the keyword keepalived reads (`*` all; `script`: the ")
                .append("line is re-read with quotes and escapes, command then user and group; ")
                .append("`script-no-user`: command only). Further words on the line are not applied - keepalived ")
                .append("ignores them silently, javalived says so at file:line.\n\n")
                .append("Every row is exercised by `KeywordCatalogTest.everyKeywordAsCatalogued` (its sample line ")
                .append("is read and the notice, refusal or deprecation message checked) and by ")
                .append("`KeepalivedCheckAgreementTest` (a file per row: `javalived check` and `keepalived -t` ")
                .append("give the same verdict, or the difference is a listed refusal). The test column names ")
                .append("further tests.\n\n");
        Map<Status, Integer> counts = new LinkedHashMap<>();
        for (Status s : Status.values()) {
            counts.put(s, 0);
        }
        ENTRIES.forEach(e -> counts.merge(e.status(), 1, Integer::sum));
        sb.append("| status | rows |\n|---|---|\n");
        counts.forEach((s, n) -> sb.append("| ").append(s.label).append(" | ").append(n).append(" |\n"));
        sb.append("| silent (accepted, not acted upon, no notice) | 0 |\n\n");
        String block = null;
        for (Entry e : ENTRIES) {
            if (!e.block().equals(block)) {
                block = e.block();
                sb.append("\n## ").append(block.equals("-") ? "top level" : block).append("\n\n");
                sb.append("| keyword | words | status | note | test |\n|---|---|---|---|---|\n");
            }
            String note = e.note();
            if (e.status() == Status.DEPRECATED_ALIAS) {
                note = (e.alias().isEmpty() || e.alias().equals("!") ? "" : "read as `" + e.alias() + "`. ")
                        + (e.keepalivedFails() ? "keepalived -t counts it as an error. " : "") + "Message: " + note;
            } else if (e.keepalivedFails()) {
                note = note + " (`check` fails, as keepalived -t does)";
            }
            sb.append("| `").append(e.keyword()).append("` | ").append(e.words()).append(" | ")
                    .append(e.status().label).append(" | ").append(note.replace("|", "\\|")).append(" | ")
                    .append(e.test()).append(" |\n");
        }
        return sb.toString();
    }

    // ------------------------------------------------------------ keyword corpus

    private static final String VI = "vrrp_instance VI_1 {\n  state BACKUP\n  interface eth0\n  virtual_router_id 51\n"
            + "  priority 100\n  advert_int 1\n  virtual_ipaddress {\n    192.0.2.10/32\n  }\n%s}\n";
    private static final String VS = "virtual_server 192.0.2.1 80 {\n  protocol TCP\n  lb_algo rr\n  lb_kind NAT\n"
            + "%s  real_server 192.0.2.2 80 {\n    weight 1\n%s  }\n}\n";
    private static final String SEC = "global_defs {\n  enable_script_security\n  script_user root\n}\n";
    private static final String DEFS = "vrrp_script chk {\n  script \"/bin/true\"\n}\ntrack_file tf {\n"
            + "  file \"/tmp/javalived-keyword-track\"\n}\nvrrp_track_process tp {\n  process sshd\n}\n"
            + "bfd_instance bf {\n  neighbor_ip 192.0.2.8\n}\n";
    private static final Map<String, String> CHECK_BASE = Map.of("MISC_CHECK", "misc_path \"/bin/true\"\n",
            "FILE_CHECK", "track_file tf\n", "BFD_CHECK", "name bf\n",
            "HTTP_GET", "url {\n  path /\n  status_code 200\n}\n", "SSL_GET", "url {\n  path /\n  status_code 200\n}\n");

    private static String line(Entry e, String indent) {
        return indent + e.keyword() + (e.sample().isEmpty() ? "" : " " + e.sample().replace("\n", "\n" + indent))
                + "\n";
    }

    private static String indent(String text, String indent) {
        StringBuilder sb = new StringBuilder();
        for (String l : text.split("\n", -1)) {
            if (!l.isEmpty()) {
                sb.append(indent).append(l).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * A whole keepalived.conf that uses the row's keyword with its sample arguments in a minimal valid context
     * (interface {@code eth0}; the track file {@code /tmp/javalived-keyword-track}): the keyword corpus.
     */
    public static String sampleConfig(Entry e) {
        String p = e.block();
        String k = e.keyword();
        switch (p) {
            case "-" -> {
                return switch (k) {
                    case "global_defs" -> SEC;
                    case "vrrp_instance" -> SEC + VI.formatted("");
                    case "vrrp_sync_group" -> SEC + VI.formatted("") + "vrrp_sync_group G1 {\n  group {\n    VI_1\n  }\n}\n";
                    case "virtual_server" -> VS.formatted("", "");
                    case "virtual_server_group" -> "virtual_server_group G {\n  192.0.2.5 80\n}\nvirtual_server group G {\n"
                            + "  protocol TCP\n  lb_algo rr\n  lb_kind NAT\n  real_server 192.0.2.2 80 {\n    weight 1\n  }\n}\n";
                    case "vrrp_script" -> SEC + "vrrp_script chk {\n  script \"/bin/true\"\n}\n"
                            + VI.formatted("  track_script {\n    chk\n  }\n");
                    case "track_file", "vrrp_track_file" -> k + " tf {\n  file \"/tmp/javalived-keyword-track\"\n}\n"
                            + VI.formatted("  track_file {\n    tf\n  }\n");
                    case "vrrp_track_process" -> "vrrp_track_process tp {\n  process sshd\n}\n" + VI.formatted("");
                    case "bfd_instance" -> "bfd_instance bf {\n  neighbor_ip 192.0.2.8\n}\n";
                    case "SSL" -> "SSL {\n  password pw\n}\n";
                    case "static_ipaddress" -> "static_ipaddress {\n  192.0.2.20/32 dev eth0\n}\n";
                    case "static_routes" -> "static_routes {\n  198.51.100.0/24 via 192.0.2.1 dev eth0\n}\n";
                    case "static_rules" -> "static_rules {\n  from 192.0.2.20 table 100\n}\n";
                    case "track_group" -> "track_group TG {\n  group {\n    VI_1\n  }\n}\n" + VI.formatted("");
                    case "garp_group" -> "garp_group {\n  garp_interval 1\n  interface eth0\n}\n";
                    case "linkbeat_interfaces" -> "linkbeat_interfaces {\n  eth0\n}\n";
                    case "interface_up_down_delays" -> "interface_up_down_delays {\n  eth0 1 2\n}\n";
                    default -> line(e, "");
                };
            }
            case "global_defs" -> {
                return "global_defs {\n" + line(e, "  ") + "}\n";
            }
            case "vrrp_instance" -> {
                return SEC + DEFS + VI.formatted(line(e, "  "));
            }
            case "vrrp_instance/authentication" -> {
                return VI.formatted("  authentication {\n" + line(e, "    ") + "  }\n");
            }
            case "vrrp_sync_group" -> {
                return SEC + DEFS + VI.formatted("") + "vrrp_sync_group G1 {\n"
                        + (k.equals("group") ? "" : "  group {\n    VI_1\n  }\n") + line(e, "  ") + "}\n";
            }
            case "vrrp_script" -> {
                return SEC + "vrrp_script chk {\n" + (k.equals("script") ? "" : "  script \"/bin/true\"\n")
                        + line(e, "  ") + "}\n" + VI.formatted("  track_script {\n    chk\n  }\n");
            }
            case "track_file", "vrrp_track_file" -> {
                return p + " tf {\n" + (k.equals("file") ? "" : "  file \"/tmp/javalived-keyword-track\"\n")
                        + line(e, "  ") + "}\n" + VI.formatted("  track_file {\n    tf\n  }\n");
            }
            case "vrrp_track_process" -> {
                return "vrrp_track_process tp {\n" + (k.equals("process") ? "" : "  process sshd\n") + line(e, "  ")
                        + "}\n" + VI.formatted("");
            }
            case "bfd_instance" -> {
                return "bfd_instance bf {\n" + (k.startsWith("neighbo") ? "" : "  neighbor_ip 192.0.2.8\n")
                        + line(e, "  ") + "}\n";
            }
            case "SSL" -> {
                return "SSL {\n" + line(e, "  ") + "}\n";
            }
            case "garp_group" -> {
                return "garp_group {\n" + (k.startsWith("interface") ? "" : "  interface eth0\n")
                        + (k.endsWith("_interval") ? "" : "  garp_interval 1\n") + line(e, "  ")
                        + "}\n";
            }
            case "track_group" -> {
                return "track_group TG {\n" + line(e, "  ") + "}\n" + VI.formatted("");
            }
            case "virtual_server" -> {
                return SEC + VS.formatted(line(e, "  "), "");
            }
            case "virtual_server/anycast" -> {
                return SEC + VS.formatted("  anycast {\n" + line(e, "    ") + "  }\n", "");
            }
            case "virtual_server/real_server" -> {
                return SEC + DEFS + VS.formatted("", line(e, "    "));
            }
            default -> {
                // a checker, or a url / host block in one
                String[] parts = p.split("/");
                String type = parts[2];
                String inner;
                if (parts.length == 3) {
                    String base = CHECK_BASE.getOrDefault(type, "");
                    if (k.equals("misc_path") || k.equals("track_file") || k.equals("name")
                            || k.equals("url") && (type.equals("HTTP_GET") || type.equals("SSL_GET"))) {
                        base = "";
                    }
                    inner = "    " + type + " {\n" + indent(base, "      ") + line(e, "      ") + "    }\n";
                } else if (parts[3].equals("url")) {
                    inner = "    " + type + " {\n      url {\n" + (k.equals("path") ? "" : "        path /\n")
                            + (k.equals("status_code") || k.equals("digest") ? "" : "        status_code 200\n")
                            + line(e, "        ") + "      }\n    }\n";
                } else {
                    inner = "    " + type + " {\n      host {\n"
                            + (k.equals("connect_ip") ? "" : "        connect_ip 192.0.2.4\n") + line(e, "        ")
                            + "      }\n    }\n";
                }
                return SEC + DEFS + VS.formatted("", inner);
            }
        }
    }

    private static String readTable() {
        try (java.io.InputStream in = KeywordCatalog.class.getResourceAsStream("keywords.txt")) {
            if (in == null) {
                throw new IllegalStateException("keywords.txt is missing beside KeywordCatalog (a broken build)");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
