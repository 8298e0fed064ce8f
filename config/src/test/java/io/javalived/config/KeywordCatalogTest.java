package io.javalived.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.config.KeywordCatalog.Entry;
import io.javalived.config.KeywordCatalog.Status;
import io.javalived.config.model.CheckerConfig;
import io.javalived.config.model.GlobalDefs;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.config.model.NotifyScript;
import io.javalived.config.model.Tunnel;
import io.javalived.config.model.VirtualServer;
import io.javalived.config.model.VrrpInstance;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The keyword catalogue ({@link KeywordCatalog}): complete against keepalived 2.2.7's parsers, in step with what the
 * parsers accept, KEYWORDS.md current, and each row's status visible when its keyword is read.
 */
class KeywordCatalogTest {
    private static final Path VIRTUAL = Path.of("/etc/keepalived/keepalived.conf");

    /** keepalived 2.2.7's keywords by block (extracted from its parsers: see the resource's header). */
    static List<String[]> keepalivedKeywords() throws IOException {
        List<String[]> l = new ArrayList<>();
        try (InputStream in = KeywordCatalogTest.class.getResourceAsStream("/keepalived-2.2.7-keywords.txt")) {
            assertThat(in).as("keepalived-2.2.7-keywords.txt on the test class path").isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                l.add(line.split("\t"));
            }
        }
        return l;
    }

    static KeepalivedConfigReader.Outcome read(String text) {
        return KeepalivedConfigReader.readOutcome(VIRTUAL, text, "test");
    }

    @Test
    void everyKeepalivedKeywordHasAStatusAndNothingElseIsClaimed() throws IOException {
        List<String> missing = new ArrayList<>();
        Set<String> theirs = new LinkedHashSet<>();
        for (String[] k : keepalivedKeywords()) {
            theirs.add(k[0] + " " + k[1]);
            if (KeywordCatalog.lookup(k[0], k[1]).isEmpty()) {
                missing.add(k[0] + " " + k[1]);
            }
        }
        assertThat(theirs).as("keepalived 2.2.7 keywords").hasSizeGreaterThan(450);
        assertThat(missing).as("keepalived 2.2.7 keywords without a row in KeywordCatalog (add a status)").isEmpty();
        List<String> notTheirs = KeywordCatalog.entries().stream()
                .filter(e -> e.status() != Status.EXTENSION && !theirs.contains(e.block() + " " + e.keyword()))
                .map(e -> e.block() + " " + e.keyword()).toList();
        assertThat(notTheirs).as("rows that are not keepalived 2.2.7 keywords (mark them javalived-extension)")
                .isEmpty();
        for (Entry e : KeywordCatalog.entries()) {
            if (e.status() != Status.IMPLEMENTED) {
                assertThat(e.note()).as("%s %s: a %s row says why", e.block(), e.keyword(), e.status().label)
                        .isNotBlank();
            }
        }
    }

    @Test
    void keywordsMdIsCurrent() throws IOException {
        Path md = moduleDir().resolve("KEYWORDS.md");
        String want = KeywordCatalog.markdown();
        if (Boolean.getBoolean("javalived.keywords.write")) {
            Files.writeString(md, want);
        }
        String have = Files.exists(md) ? Files.readString(md) : "";
        assertThat(have).as("config/KEYWORDS.md is stale: regenerate it with "
                + "mvn -B -o -q -pl config test -Dtest=KeywordCatalogTest -Djavalived.keywords.write=true")
                .isEqualTo(want);
        assertThat(want).contains("| silent (accepted, not acted upon, no notice) | 0 |");
    }

    static Path moduleDir() {
        Path p = Path.of("").toAbsolutePath();
        return Files.exists(p.resolve("src/main/java/io/javalived/config")) ? p : p.resolve("config");
    }

    /** Every word a parser could take for a keyword: the string literals of the parsers and keepalived's list. */
    static Set<String> candidateWords() throws IOException {
        Set<String> words = new TreeSet<>();
        Pattern lit = Pattern.compile("\"([A-Za-z][A-Za-z0-9_-]{1,40})\"");
        try (Stream<Path> s = Files.walk(moduleDir().resolve("src/main/java/io/javalived/config"))) {
            for (Path p : s.filter(f -> f.toString().endsWith("Parser.java") || f.endsWith("ModelBuilder.java"))
                    .toList()) {
                Matcher m = lit.matcher(Files.readString(p));
                while (m.find()) {
                    words.add(m.group(1));
                }
            }
        }
        for (String[] k : keepalivedKeywords()) {
            words.add(k[1]);
        }
        return words;
    }

    @Test
    void everyKeywordTheParsersAcceptIsCatalogued() throws IOException {
        Set<String> blocks = new TreeSet<>();
        KeywordCatalog.entries().forEach(e -> blocks.add(e.block()));
        Set<String> words = candidateWords();
        List<String> uncatalogued = new ArrayList<>();
        for (String block : blocks) {
            if (block.equals("-") || unreadBlock(block)) {
                continue; // the top level: below; a block javalived does not read has its notice
            }
            for (String w : words) {
                if (KeywordCatalog.lookup(block, w).isPresent()) {
                    continue;
                }
                Entry probe = new Entry(block, w, "*", Status.IMPLEMENTED, "", false, "", "", "");
                KeepalivedConfigReader.Outcome o = read(KeywordCatalog.sampleConfig(probe));
                if (!reportedUnknown(o, w)) {
                    uncatalogued.add(block + " " + w);
                }
            }
        }
        for (String w : words) {
            if (KeywordCatalog.lookup("-", w).isEmpty() && !reportedUnknown(read(w + "\n"), w)
                    && !reportedUnknown(read(w + " x {\n}\n"), w)) {
                uncatalogued.add("- " + w);
            }
        }
        assertThat(uncatalogued).as("keywords the parsers accept (no 'Unknown keyword') that KeywordCatalog does "
                + "not list for that block: catalogue them, or report them unknown as keepalived 2.2.7 does").isEmpty();
    }

    /** A block under a top-level keyword that is only noticed: javalived does not read its contents. */
    static boolean unreadBlock(String block) {
        String[] parts = block.split("/");
        String parent = "-";
        for (String p : parts) {
            Optional<Entry> e = KeywordCatalog.lookup(parent, p);
            if (e.isPresent() && (e.get().status() == Status.NOTICE || e.get().status() == Status.REFUSED)) {
                return true;
            }
            parent = parent.equals("-") ? p : parent + "/" + p;
        }
        return false;
    }

    private static boolean reportedUnknown(KeepalivedConfigReader.Outcome o, String w) {
        return o.warnings().stream().anyMatch(x -> x.message().equals("Unknown keyword '" + w + "'"))
                || o.errors().stream().anyMatch(x -> x.getMessage().contains("Unknown keyword '" + w + "'"));
    }

    @Test
    void everyKeywordAsCatalogued() {
        List<String> wrong = new ArrayList<>();
        for (Entry e : KeywordCatalog.entries()) {
            KeepalivedConfigReader.Outcome o = read(KeywordCatalog.sampleConfig(e));
            String k = e.keyword();
            boolean unknown = reportedUnknown(o, k);
            boolean notice = o.warnings().stream().anyMatch(w -> w.keyword().equals(k)
                    && w.failsConfigTest() == e.keepalivedFails()
                    && w.message().equals(e.message()));
            boolean refused = o.errors().stream().anyMatch(x -> x.getMessage().contains(e.message()));
            boolean deprecation = o.warnings().stream().anyMatch(w -> w.keyword().equals(k)
                    && w.message().equals(e.note()) && w.failsConfigTest() == e.keepalivedFails());
            boolean ok = switch (e.status()) {
                case IMPLEMENTED -> !unknown && o.warnings().stream()
                        .noneMatch(w -> w.keyword().equals(k) && w.message().contains(KeywordCatalog.NOT_ACTED_UPON));
                case NOTICE -> !unknown && (notice || k.equals("script_user") && e.sample().equals("root") || unreadBlock(e.block()) && o.warnings().stream()
                        .anyMatch(w -> w.message().contains(KeywordCatalog.NOT_ACTED_UPON)));
                case REFUSED -> refused || unreadBlock(e.block())
                        && o.errors().stream().anyMatch(x -> x.getMessage().contains("is refused by javalived"));
                case DEPRECATED_ALIAS -> deprecation && !unknown;
                case EXTENSION -> o.warnings().stream().anyMatch(w -> w.keyword().equals(k) && w.failsConfigTest());
            };
            if (!ok) {
                wrong.add(e.block() + " " + k + " (" + e.status().label + "): warnings " + o.warnings()
                        + " errors " + o.errors());
            }
        }
        assertThat(wrong).as("keywords whose reading does not show their catalogued status").isEmpty();
    }

    // ------------------------------------------------------------ one keyword per line, as keepalived

    @Test
    void aLineAppliesOnlyItsFirstKeywordAndSaysSo() throws ConfigException {
        String text = """
                virtual_server 192.0.2.1 80 {
                  protocol TCP
                  lb_algo rr
                  lb_kind NAT
                  real_server 192.0.2.2 80 {
                    TCP_CHECK { connect_timeout 1 retry 3 }
                  }
                }
                """;
        KeepalivedConfigReader.Outcome o = read(text);
        assertThat(o.errors()).isEmpty();
        CheckerConfig c = o.config().virtualServers().get(0).realServers().get(0).checkers().get(0);
        assertThat(c.common().connectTimeout().toMillis()).isEqualTo(1000);
        assertThat(c.common().retry()).as("retry on connect_timeout's line is not applied (keepalived: 1)")
                .isEqualTo(1);
        assertThat(o.warnings()).anySatisfy(w -> {
            assertThat(w.line()).isEqualTo(6);
            assertThat(w.failsConfigTest()).isFalse();
            assertThat(w.message()).contains("'retry 3' after 'connect_timeout 1' is ignored")
                    .contains("'retry' is not applied");
        });
    }

    @Test
    void miscPathTakesOnlyItsCommand() throws Exception {
        String text = """
                virtual_server 192.0.2.1 80 {
                  protocol TCP
                  lb_algo rr
                  lb_kind NAT
                  real_server 192.0.2.2 80 {
                    MISC_CHECK {
                      misc_path "/usr/bin/id" misc_timeout 2
                    }
                  }
                }
                """;
        KeepalivedConfigReader.Outcome o = read(text);
        assertThat(o.errors()).isEmpty();
        CheckerConfig.MiscCheck m = (CheckerConfig.MiscCheck) o.config().virtualServers().get(0).realServers().get(0)
                .checkers().get(0);
        assertThat(m.miscPath().argv()).containsExactly("/usr/bin/id");
        assertThat(m.miscPath().user()).as("misc_path takes no user (keepalived: misc_user)").isEmpty();
        assertThat(m.user()).isEmpty();
        assertThat(m.miscTimeout()).as("misc_timeout on misc_path's line is not applied: delay_loop (60 s)")
                .hasSeconds(60);
        assertThat(o.warnings()).anySatisfy(w -> assertThat(w.message())
                .contains("'misc_timeout 2' after 'misc_path /usr/bin/id' is ignored"));

        // as keepalived -t: the script runs as root without script security -> 6 (not 5: no user 'misc_timeout')
        Path dir = Files.createTempDirectory("kwcat");
        try {
            Path f = dir.resolve("keepalived.conf");
            Files.writeString(f, text);
            ConfigCheck.Verdict v = ConfigCheck.run(f, "test", new FakeHost());
            assertThat(v.exitCode()).isEqualTo(ConfigCheck.EXIT_SCRIPT_SECURITY);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A host with eth0, root only, and every program found. */
    static final class FakeHost implements ConfigCheck.Host {
        @Override
        public boolean interfaceExists(String name) {
            return name.equals("eth0");
        }

        @Override
        public boolean userExists(String name) {
            return name.equals("root");
        }

        @Override
        public Optional<Path> resolveExecutable(String program) {
            return Optional.of(Path.of(program.startsWith("/") ? program : "/usr/bin/" + program));
        }

        @Override
        public boolean groupExists(String name) {
            return name.equals("root");
        }
    }

    // ------------------------------------------------------------ script lines: quotes and escapes

    @Test
    void notifyScriptsReadEscapesAsKeepalived() {
        String text = """
                vrrp_instance VI_1 {
                  interface eth0
                  virtual_router_id 51
                  priority 100
                  virtual_ipaddress {
                    192.0.2.10
                  }
                  notify_master "/usr/local/bin/n.sh master \\"a b\\" c"
                  notify_backup "/usr/local/bin/n.sh 'x  y'\\tz" nobody
                  notify_fault "/usr/local/bin/n.sh \\x41\\101\\n" root root extra
                  notify_stop "/usr/local/bin/n.sh a\\\\tb"
                }
                """;
        KeepalivedConfigReader.Outcome o = read(text);
        assertThat(o.errors()).isEmpty();
        VrrpInstance vi = o.config().vrrpInstances().get(0);
        NotifyScript master = vi.notifyMaster().orElseThrow();
        assertThat(master.argv()).containsExactly("/usr/local/bin/n.sh", "master", "a b", "c");
        assertThat(master.user()).isEmpty();
        NotifyScript backup = vi.notifyBackup().orElseThrow();
        // the first reading turns \t into a tab, which the second (the command's) splits at
        assertThat(backup.argv()).containsExactly("/usr/local/bin/n.sh", "x  y", "z");
        assertThat(vi.notifyStop().orElseThrow().argv()).containsExactly("/usr/local/bin/n.sh", "a\tb");
        assertThat(backup.user()).contains("nobody");
        NotifyScript fault = vi.notifyFault().orElseThrow();
        // escapes are read by the first reading: the newline it makes separates words in the second
        assertThat(fault.argv()).containsExactly("/usr/local/bin/n.sh", "AA");
        assertThat(fault.user()).contains("root");
        assertThat(fault.group()).contains("root");
        assertThat(o.warnings()).anySatisfy(w -> assertThat(w.message()).contains("'extra'").contains("ignored"));
    }

    @Test
    void aHashInsideQuotesAfterAnEscapedQuoteIsNotAComment() {
        assertThat(ConfigLexer.stripComment("notify \"/x \\\"#a\\\" b\" # comment"))
                .isEqualTo("notify \"/x \\\"#a\\\" b\" ");
        assertThat(ConfigLexer.stripComment("script /bin/echo \\#1")).isEqualTo("script /bin/echo #1");
    }

    @Test
    void anUnterminatedQuoteInAScriptLineIsIgnoredAsKeepalivedDoes() throws Exception {
        assertThat(ScriptCommand.split("/bin/echo 'a b")).isNull();
        assertThat(ScriptCommand.split("/bin/echo a\\")).isNull();
        assertThat(ScriptCommand.words("a\"b c\"'d'")).containsExactly("ab cd");
        assertThat(ScriptCommand.words("\"\" x")).containsExactly("", "x");
    }

    // ------------------------------------------------------------ refusals

    @Test
    void ahAuthenticationIsRefused() {
        KeepalivedConfigReader.Outcome o = read("""
                vrrp_instance VI_1 {
                  interface eth0
                  virtual_router_id 51
                  priority 100
                  authentication {
                    auth_type AH
                    auth_pass secret
                  }
                  virtual_ipaddress {
                    192.0.2.10
                  }
                }
                """);
        assertThat(o.errors()).anySatisfy(e -> {
            assertThat(e.line()).isEqualTo(6);
            assertThat(e.getMessage()).contains("AH").contains("IP protocol 51");
        });
    }

    @Test
    void tunnelTypesAreReadAsKeepalivedReadsThem() {
        record Case(String kind, Tunnel want) {
        }
        for (Case c : List.of(new Case("TUN", Tunnel.IPIP),
                new Case("TUN type ipip", Tunnel.IPIP),
                new Case("TUN type gue port 6080", new Tunnel(Tunnel.Type.GUE, 6080, Tunnel.Checksum.NOCSUM)),
                new Case("TUN port 6081 remcsum type gue", new Tunnel(Tunnel.Type.GUE, 6081, Tunnel.Checksum.REMCSUM)),
                new Case("TUN type gre csum", new Tunnel(Tunnel.Type.GRE, 0, Tunnel.Checksum.CSUM)),
                new Case("TUN type gre csum nocsum", new Tunnel(Tunnel.Type.GRE, 0, Tunnel.Checksum.NOCSUM)))) {
            KeepalivedConfigReader.Outcome o = read("""
                    virtual_server 192.0.2.1 80 {
                      protocol TCP
                      lb_algo rr
                      lb_kind %s
                      real_server 192.0.2.2 80 {
                      }
                      real_server 192.0.2.3 80 {
                        lvs_method TUN type gre
                      }
                    }
                    """.formatted(c.kind()));
            assertThat(o.errors()).as(c.kind()).isEmpty();
            VirtualServer vs = o.config().virtualServers().get(0);
            assertThat(vs.tunnel()).as(c.kind()).isEqualTo(c.want());
            assertThat(vs.realServers().get(0).tunnel()).as(c.kind() + ": inherited").isEqualTo(c.want());
            assertThat(vs.realServers().get(1).tunnel()).as(c.kind() + ": own").isEqualTo(
                    new Tunnel(Tunnel.Type.GRE, 0, Tunnel.Checksum.NOCSUM));
        }
        for (String bad : List.of("TUN type gue", "TUN type gre port 6080", "TUN type vxlan", "TUN type gue port 0")) {
            KeepalivedConfigReader.Outcome o = read("""
                    virtual_server 192.0.2.1 80 {
                      protocol TCP
                      lb_algo rr
                      lb_kind %s
                      real_server 192.0.2.2 80 {
                      }
                    }
                    """.formatted(bad));
            assertThat(o.errors()).as(bad).anySatisfy(e -> assertThat(e.line()).isEqualTo(4));
        }
        // keepalived reports an unsupported checksum option and leaves the tunnel as it was (here: the virtual server's)
        KeepalivedConfigReader.Outcome o = read("""
                virtual_server 192.0.2.1 80 {
                  protocol TCP
                  lb_algo rr
                  lb_kind TUN type gue port 6080
                  real_server 192.0.2.2 80 {
                    lvs_method TUN type gre remcsum
                  }
                }
                """);
        assertThat(o.errors()).isEmpty();
        assertThat(o.warnings()).anySatisfy(w -> assertThat(w.message()).contains("remote checksum"));
        assertThat(o.config().virtualServers().get(0).realServers().get(0).tunnel())
                .isEqualTo(new Tunnel(Tunnel.Type.GUE, 6080, Tunnel.Checksum.NOCSUM));
    }

    // ------------------------------------------------------------ deprecated aliases

    @Test
    void deprecatedAliasesAreReadAsTheirKeyword() {
        KeepalivedConfigReader.Outcome o = read("""
                global_defs {
                  lvs_flush_onstop VS
                  vrrp_rlimit_rtime 10000
                }
                """);
        assertThat(o.errors()).isEmpty();
        assertThat(o.config().globalDefs().lvsFlushOnStop()).isEqualTo(GlobalDefs.LvsFlushOnStop.VS);
        assertThat(o.warnings()).extracting(ConfigWarning::message).contains(
                "'lvs_flush_onstop' is deprecated - please use 'lvs_flush_on_stop'",
                "Keyword 'vrrp_rlimit_rtime' is deprecated - please use 'vrrp_rlimit_rttime'");
        assertThat(o.warnings()).noneMatch(ConfigWarning::failsConfigTest);
    }

    // ------------------------------------------------------------ sync groups: tracking weights

    @Test
    void syncGroupMembersLoseTrackingWeights() {
        String base = """
                vrrp_script chk {
                  script "/bin/true"
                  weight 10
                }
                vrrp_script plain {
                  script "/bin/true"
                }
                vrrp_instance VI_1 {
                  interface eth0
                  virtual_router_id 51
                  priority 100
                  track_interface {
                    eth1 weight 20
                    eth2
                  }
                  track_script {
                    chk
                    plain
                  }
                  virtual_ipaddress {
                    192.0.2.10
                  }
                }
                vrrp_instance VI_2 {
                  interface eth0
                  virtual_router_id 52
                  priority 100
                  virtual_ipaddress {
                    192.0.2.11
                  }
                }
                vrrp_sync_group G {
                  group {
                    VI_1
                    VI_2
                  }
                %s}
                """;
        KeepalivedConfigReader.Outcome o = read(base.formatted(""));
        VrrpInstance vi = o.config().vrrpInstances().get(0);
        assertThat(vi.trackInterfaces()).extracting(t -> t.name() + ":" + t.weight())
                .containsExactly("eth1:0", "eth2:0");
        assertThat(vi.trackScripts()).extracting(t -> t.name()).containsExactly("plain");
        assertThat(o.warnings()).filteredOn(ConfigWarning::failsConfigTest).extracting(ConfigWarning::message)
                .contains("(VI_1) ignoring eth1 tracked interface weight due to SYNC group",
                        "(VI_1) ignoring tracked script chk with weights due to SYNC group");

        for (String keep : List.of("  sync_group_tracking_weight\n", "  global_tracking\n")) {
            KeepalivedConfigReader.Outcome w = read(base.formatted(keep));
            VrrpInstance v = w.config().vrrpInstances().get(0);
            assertThat(v.trackInterfaces()).extracting(t -> t.name() + ":" + t.weight())
                    .containsExactly("eth1:20", "eth2:0");
            assertThat(v.trackScripts()).extracting(t -> t.name()).containsExactly("chk", "plain");
        }
    }

    @Test
    void startupNoticeNamesWhatIsNotDone() {
        KeepalivedConfigReader.Outcome o = read("""
                global_defs {
                  vrrp_garp_interval 0.5
                  vrrp_gna_interval 0.5
                }
                """);
        Optional<String> line = KeywordCatalog.notActedUpon(o.warnings());
        assertThat(line).hasValueSatisfying(l -> assertThat(l).contains("vrrp_garp_interval, vrrp_gna_interval"));
        KeepalivedConfig none = read("global_defs {\n  router_id r1\n}\n").config();
        assertThat(none).isNotNull();
        assertThat(KeywordCatalog.notActedUpon(read("global_defs {\n  router_id r1\n}\n").warnings())).isEmpty();
    }
}
