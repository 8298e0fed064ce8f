package io.javalived.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.config.ConfigCheck;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckCommandTest {
    /** A host with eth0/eth1, users root and nobody, and /bin/true as the only executable. */
    static class FakeHost implements ConfigCheck.Host {
        final Set<String> interfaces;
        final Set<String> users;

        FakeHost(Set<String> interfaces, Set<String> users) {
            this.interfaces = interfaces;
            this.users = users;
        }

        @Override
        public boolean interfaceExists(String name) {
            return interfaces.contains(name);
        }

        @Override
        public boolean userExists(String name) {
            return users.contains(name);
        }

        @Override
        public Optional<Path> resolveExecutable(String program) {
            return program.equals("/bin/true") || program.equals("true") ? Optional.of(Path.of("/bin/true"))
                    : Optional.empty();
        }
    }

    static final FakeHost HOST = new FakeHost(Set.of("eth0", "eth1"), Set.of("root", "nobody"));

    record Run(int exit, String out, String err) {}

    static Run run(ConfigCheck.Host host, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new CheckCommand(host));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static final String CONF = """
            global_defs {
                router_id lb1
                enable_script_security
                script_user root
            }
            vrrp_script chk {
                script "/bin/true"
                weight -20
            }
            vrrp_instance VI_1 {
                state MASTER
                interface eth0
                virtual_router_id 51
                priority 150
                advert_int 1
                virtual_ipaddress {
                    192.0.2.100/24
                }
                track_interface {
                    eth1 weight 10
                }
                track_script {
                    chk
                }
            }
            virtual_server 192.0.2.100 80 {
                delay_loop 5
                lb_algo wlc
                lb_kind DR
                protocol TCP
                sorry_server 192.0.2.200 80
                real_server 192.0.2.21 80 {
                    weight 100
                    HTTP_GET {
                        url {
                            path /healthz
                            status_code 200
                        }
                        connect_timeout 3
                    }
                }
                real_server 192.0.2.22 80 {
                    TCP_CHECK {
                    }
                }
            }
            """;

    static Path write(Path dir, String text) throws Exception {
        Path f = dir.resolve("keepalived.conf");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void acceptedConfigPrintsTheNormalizedSummaryAndExits0(@TempDir Path dir) throws Exception {
        Path f = write(dir, CONF);
        Run r = run(HOST, "-f", f.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out())
                .contains("OK - 1 vrrp_instance(s), 1 virtual_server(s)")
                .contains("vrrp_instance VI_1  (" + f + ":10)")
                .contains("state MASTER  interface eth0  virtual_router_id 51  priority 150  advert_int 1s")
                .contains("virtual_ipaddress 192.0.2.100/24 dev eth0")
                .contains("track_interface eth1 weight 10")
                .contains("track_script chk weight -20")
                .contains("virtual_server 192.0.2.100:80")
                .contains("protocol TCP  lb_algo wlc  lb_kind DR  delay_loop 5s")
                .contains("sorry_server 192.0.2.200:80 lb_kind DR")
                .contains("real_server 192.0.2.21:80  weight 100  lb_kind DR")
                .contains("HTTP_GET 192.0.2.21:80 connect_timeout 3s retry 1 delay_before_retry 3s delay_loop 5s")
                .contains("url /healthz status_code 200")
                .contains("real_server 192.0.2.22:80  weight 1")
                .contains("TCP_CHECK 192.0.2.22:80 connect_timeout 5s retry 1 delay_before_retry 1s delay_loop 5s");
    }

    @Test
    void jsonIsValidStableAndCarriesResolvedDefaults(@TempDir Path dir) throws Exception {
        Path f = write(dir, CONF);
        Run r = run(HOST, "-f", f.toString(), "--json");
        assertThat(r.exit()).isZero();
        Object doc = new MiniJson(r.out()).parse();
        Map<?, ?> m = (Map<?, ?>) doc;
        assertThat(m.keySet().stream().map(Object::toString).toList())
                .containsExactly("schemaVersion", "file", "accepted", "exitCode", "errors", "warnings", "config");
        assertThat(m.get("schemaVersion")).isEqualTo(1L);
        assertThat(m.get("accepted")).isEqualTo(true);
        Map<?, ?> config = (Map<?, ?>) m.get("config");
        Map<?, ?> vi = (Map<?, ?>) ((List<?>) config.get("vrrpInstances")).get(0);
        assertThat(vi.get("virtualRouterId")).isEqualTo(51L);
        assertThat(vi.get("advertInterval")).isEqualTo(1L);
        assertThat(vi.get("interface")).isEqualTo("eth0");
        Map<?, ?> vs = (Map<?, ?>) ((List<?>) config.get("virtualServers")).get(0);
        Map<?, ?> rs2 = (Map<?, ?>) ((List<?>) vs.get("realServers")).get(1);
        assertThat(rs2.get("weight")).isEqualTo(1L);
        Map<?, ?> tcp = (Map<?, ?>) ((List<?>) rs2.get("checkers")).get(0);
        assertThat(tcp.get("type")).isEqualTo("TCP_CHECK");
        assertThat(tcp.get("connectTimeout")).isEqualTo(5L);
        assertThat(tcp.get("delayLoop")).isEqualTo(5L);
        assertThat(tcp.get("connectIp")).isEqualTo("192.0.2.22");
        // stable: the same input gives byte-identical output
        assertThat(run(HOST, "-f", f.toString(), "--json").out()).isEqualTo(r.out());
    }

    @Test
    void aVrrpInstanceOnTheLoopbackDeviceIsRefusedAsKeepalivedRefusesIt(@TempDir Path dir) throws Exception {
        // keepalived -t: "(VI_1) cannot use a loopback interface (lo) for vrrp - ignoring", exit 5; the real
        // host's lo (SystemHost reads IFF_LOOPBACK from /sys/class/net/lo/flags)
        Path f = write(dir, CONF.replace("interface eth0", "interface lo"));
        ConfigCheck.Host real = new io.javalived.config.SystemHost();
        assertThat(real.interfaceIsLoopback("lo")).isTrue();
        FakeHost withLo = new FakeHost(Set.of("eth0", "eth1", "lo"), Set.of("root", "nobody")) {
            @Override
            public boolean interfaceIsLoopback(String name) {
                return real.interfaceIsLoopback(name);
            }
        };
        assertThat(withLo.interfaceIsLoopback("eth0")).isFalse();
        Run r = run(withLo, "-f", f.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(5);
        assertThat(r.err()).contains(f + ":10: error: (VI_1) cannot use a loopback interface (lo) for vrrp");
    }

    @Test
    void errorsGoToStderrWithFileLineAndExit5(@TempDir Path dir) throws Exception {
        Path f = write(dir, CONF.replace("priority 150", "priority 300").replace("delay_loop 5", "frobnicate 5"));
        Run r = run(HOST, "-f", f.toString());
        assertThat(r.exit()).isEqualTo(5);
        assertThat(r.err()).contains(f + ":14: error: keyword 'priority': number '300' outside range [1, 255]")
                .contains(f + ":27: warning: Unknown keyword 'frobnicate'");
        assertThat(r.out()).contains("REJECTED (exit 5)");
        Run j = run(HOST, "-f", f.toString(), "--json");
        Map<?, ?> m = (Map<?, ?>) new MiniJson(j.out()).parse();
        assertThat(m.get("config")).isNull();
        assertThat(m.get("exitCode")).isEqualTo(5L);
        Map<?, ?> e = (Map<?, ?>) ((List<?>) m.get("errors")).get(0);
        assertThat(e.get("line")).isEqualTo(14L);
        assertThat(e.get("keyword")).isEqualTo("priority");
    }

    @Test
    void unknownKeywordAloneFailsTheCheckLikeKeepalivedT(@TempDir Path dir) throws Exception {
        Path f = write(dir, CONF.replace("delay_loop 5", "delay_loop 5\n    frobnicate"));
        Run r = run(HOST, "-f", f.toString());
        assertThat(r.exit()).isEqualTo(5);
        assertThat(r.err()).contains(f + ":28: warning: Unknown keyword 'frobnicate'");
    }

    @Test
    void missingInterfaceIsReportedAsKeepalivedDoes(@TempDir Path dir) throws Exception {
        Path f = write(dir, CONF);
        Run r = run(new FakeHost(Set.of("eth0"), Set.of("root")), "-f", f.toString());
        assertThat(r.exit()).isEqualTo(5);
        assertThat(r.err()).contains(f + ":20: error: interface eth1 doesn't exist");
    }

    @Test
    void scriptsWithoutScriptSecurityExit6(@TempDir Path dir) throws Exception {
        Path f = write(dir, CONF.replace("    enable_script_security\n", "").replace("    script_user root\n", ""));
        Run r = run(HOST, "-f", f.toString());
        assertThat(r.exit()).isEqualTo(6);
        assertThat(r.err()).contains("SECURITY VIOLATION");
        // ... unless the script cannot run at all (keepalived drops it; the track_script then fails the check)
        Run missing = run(HOST, "-f", write(dir, CONF.replace("/bin/true", "/no/such/script")).toString());
        assertThat(missing.exit()).isEqualTo(5);
        assertThat(missing.err()).contains("Disabling track script chk");
    }

    @Test
    void keywordsNotActedUponAreNamedWithFileLineAndInOneLine(@TempDir Path dir) throws Exception {
        Path f = write(dir, CONF.replace("    router_id lb1\n",
                "    router_id lb1\n    vrrp_gna_interval 0.5\n    vrrp_garp_interval 0.5\n"));
        Run r = run(HOST, "-f", f.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(0);
        assertThat(r.err()).contains(f + ":3: warning: 'vrrp_gna_interval' is accepted but not acted upon by javalived: "
                        + "no delay is put between unsolicited neighbour advertisements")
                .contains(f + ":4: warning: 'vrrp_garp_interval' is accepted but not acted upon by javalived")
                .contains("accepted but not acted upon by javalived (see the notices above and config/KEYWORDS.md): "
                        + "vrrp_garp_interval, vrrp_gna_interval")
                .doesNotContain("'script_user'"); // root: nothing differs
    }

    @Test
    void aMiscCheckScriptWithoutScriptSecurityExits6AsKeepalivedT(@TempDir Path dir) throws Exception {
        // keepalived 2.2.7 -t: 6 ("SECURITY VIOLATION - check scripts are being executed..."); the words after
        // misc_path's command are not a user (keepalived reads only the command), so the script runs as root
        Path f = write(dir, """
                virtual_server 192.0.2.100 80 {
                    lb_algo wlc
                    lb_kind DR
                    protocol TCP
                    real_server 192.0.2.22 80 {
                        MISC_CHECK {
                            misc_path "/bin/true" misc_timeout 2
                        }
                    }
                }
                """);
        Run r = run(HOST, "-f", f.toString());
        assertThat(r.err()).contains("SECURITY VIOLATION").contains("'misc_timeout 2' after 'misc_path /bin/true' is ignored");
        assertThat(r.exit()).isEqualTo(6);
    }

    @Test
    void helpDocumentsExitCodesAndJson() {
        Run r = run(HOST, "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--json").contains("Exit codes").contains("5").contains("6")
                .contains("schemaVersion");
    }

    /** Just enough of a JSON parser to prove the output is valid JSON and to read it back. */
    static final class MiniJson {
        private final String s;
        private int i;

        MiniJson(String s) {
            this.s = s;
        }

        Object parse() {
            Object v = value();
            ws();
            if (i != s.length()) {
                throw new IllegalStateException("trailing data at " + i);
            }
            return v;
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private Object value() {
            ws();
            char c = s.charAt(i);
            if (c == '{') {
                i++;
                Map<String, Object> m = new LinkedHashMap<>();
                ws();
                if (s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                while (true) {
                    ws();
                    String k = str();
                    ws();
                    expect(':');
                    if (m.put(k, value()) != null) {
                        throw new IllegalStateException("duplicate key " + k);
                    }
                    ws();
                    if (s.charAt(i) == ',') {
                        i++;
                        continue;
                    }
                    expect('}');
                    return m;
                }
            }
            if (c == '[') {
                i++;
                List<Object> l = new ArrayList<>();
                ws();
                if (s.charAt(i) == ']') {
                    i++;
                    return l;
                }
                while (true) {
                    l.add(value());
                    ws();
                    if (s.charAt(i) == ',') {
                        i++;
                        continue;
                    }
                    expect(']');
                    return l;
                }
            }
            if (c == '"') {
                return str();
            }
            for (String lit : List.of("true", "false", "null")) {
                if (s.startsWith(lit, i)) {
                    i += lit.length();
                    return lit.equals("null") ? null : Boolean.valueOf(lit);
                }
            }
            int st = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            String num = s.substring(st, i);
            if (num.isEmpty()) {
                throw new IllegalStateException("bad value at " + st);
            }
            return num.contains(".") || num.contains("e") ? (Object) Double.valueOf(num) : (Object) Long.valueOf(num);
        }

        private void expect(char c) {
            if (s.charAt(i) != c) {
                throw new IllegalStateException("expected " + c + " at " + i);
            }
            i++;
        }

        private String str() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (s.charAt(i) != '"') {
                char c = s.charAt(i++);
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> sb.append('\n');
                        case 't' -> sb.append('\t');
                        case 'r' -> sb.append('\r');
                        case 'u' -> {
                            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> sb.append(e);
                    }
                } else if (c < 0x20) {
                    throw new IllegalStateException("raw control character in string at " + i);
                } else {
                    sb.append(c);
                }
            }
            i++;
            return sb.toString();
        }
    }
}
