package io.javalived.config;

import io.javalived.inet.InetText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalived.config.model.CheckerConfig;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.config.model.LvsMethod;
import io.javalived.config.model.RealServer;
import io.javalived.config.model.VirtualServer;
import io.javalived.config.model.VirtualServerGroup;
import io.javalived.config.model.VrrpInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeepalivedConfigReaderTest {
    static final Path F = Path.of("/etc/keepalived/test.conf");

    static final String VI = """
            vrrp_instance VI_1 {
                state BACKUP
                interface eth0
                virtual_router_id 51
                priority 100
                advert_int 1
                virtual_ipaddress {
                    192.168.200.16/24 dev eth1 label eth1:1
                }
            }
            """;

    static KeepalivedConfig read(String text) throws ConfigException {
        return KeepalivedConfigReader.read(text, F, "node1").config();
    }

    static ConfigResult result(String text) throws ConfigException {
        return KeepalivedConfigReader.read(text, F, "node1");
    }

    static ConfigException error(String text) {
        try {
            KeepalivedConfigReader.read(text, F, "node1");
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected a ConfigException for:\n" + text);
    }

    static String vrrp(String extra) {
        return VI.replace("    advert_int 1\n", "    advert_int 1\n    " + extra + "\n");
    }

    // ------------------------------------------------------------------ lexer

    @Test
    void commentsWithHashAndBangAnywhere() throws Exception {
        KeepalivedConfig c = read("# top\n! also\n" + vrrp("preempt_delay 5 # five ! seconds").replace("priority 100", "priority 120!x"));
        VrrpInstance i = c.vrrpInstances().get(0);
        assertThat(i.priority()).isEqualTo(120);
        assertThat(i.preemptDelay()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void openingBraceOnTheNextLineOrGlued() throws Exception {
        KeepalivedConfig c = read("""
                vrrp_instance VI_1
                {
                    interface eth0
                    virtual_router_id 7
                    virtual_ipaddress{10.0.0.1
                    10.0.0.2}
                    track_interface { eth1 weight 10 }
                }
                """);
        VrrpInstance i = c.vrrpInstances().get(0);
        assertThat(i.virtualIpAddresses()).extracting(v -> v.cidr()).containsExactly("10.0.0.1/32", "10.0.0.2/32");
        assertThat(i.trackInterfaces()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("eth1");
            assertThat(t.weight()).isEqualTo(10);
        });
    }

    @Test
    void quotedStringsKeepSpacesAndHashesAndScriptsTakeEscapes() throws Exception {
        KeepalivedConfig c = read(vrrp("notify_master \"/bin/echo a#b \\x41\\101\\t 'c d'\" root"));
        VrrpInstance i = c.vrrpInstances().get(0);
        assertThat(i.notifyMaster()).get().satisfies(s -> {
            // keepalived 2.2.7 reads the line once with quotes and escapes (word 1: the command, escapes done),
            // then splits the command the same way: the tab made by \t separates words
            assertThat(s.command()).isEqualTo("/bin/echo a#b AA\t 'c d'");
            assertThat(s.argv()).containsExactly("/bin/echo", "a#b", "AA", "c d");
            assertThat(s.user()).contains("root");
        });
    }

    @Test
    void aDoubleQuoteSplitsWordsAsInKeepalived() throws Exception {
        // keepalived 2.2.7: `priority 1"2"0` is priority 1 (then extra words), `eth"1"` is eth and 1
        KeepalivedConfig c = read(vrrp("priority 1\"2\"0\n notify \"/usr/bin/logger -t 'vrrp state'\""));
        VrrpInstance i = c.vrrpInstances().get(0);
        assertThat(i.priority()).isEqualTo(1);
        assertThat(i.notifyAny().orElseThrow().argv()).containsExactly("/usr/bin/logger", "-t", "vrrp state");
        assertThat(ConfigLexer.tokenize("a\"b c\"d{e}")).extracting(ConfigLexer.Token::text)
                .containsExactly("a", "b c", "d", "{", "e", "}");
        assertThat(ConfigLexer.tokenize("x \"1\\\"00")).extracting(ConfigLexer.Token::text)
                .containsExactly("x", "1\\", "00");
    }

    @Test
    void unmatchedQuoteIsAnError() {
        ConfigException e = error(vrrp("notify_master \"/bin/true"));
        assertThat(e.reason()).contains("unmatched quote");
        assertThat(e.line()).isEqualTo(7);
    }

    @Test
    void conditionalLinesFollowTheConfigId() throws Exception {
        KeepalivedConfig c = read(vrrp("@node1 priority 150\n@node2 priority 50\n@^node1 preempt_delay 9\n@^node3 preempt_delay 3"));
        VrrpInstance i = c.vrrpInstances().get(0);
        assertThat(i.priority()).isEqualTo(150);
        assertThat(i.preemptDelay()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void parametersAreSubstitutedAtUseTimeAndRecursively() throws Exception {
        String text = """
                $BASE=10.2.${SUB}
                $SUB=0
                @node1 $PRIO=240
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 1
                    priority $PRIO
                    virtual_ipaddress {
                        ${BASE}.100/32
                        $SUB=10
                        ${BASE}.100/32
                        $UNDEFINED_LEFT_ALONE
                    }
                }
                """;
        ConfigException e = error(text);
        assertThat(e.reason()).contains("$UNDEFINED_LEFT_ALONE");
        KeepalivedConfig c = read(text.replace("        $UNDEFINED_LEFT_ALONE\n", ""));
        VrrpInstance i = c.vrrpInstances().get(0);
        assertThat(i.priority()).isEqualTo(240);
        assertThat(i.virtualIpAddresses()).extracting(v -> v.cidr()).containsExactly("10.2.0.100/32", "10.2.10.100/32");
    }

    @Test
    void multiLineDefinitionsExpandToSeveralLines() throws Exception {
        String text = """
                $INST= \\
                vrrp_instance VI_${N} { \\
                    interface eth0 \\
                    virtual_router_id ${N} \\
                    virtual_ipaddress { \\
                        10.0.${N}.1 \\
                    } \\
                }
                $N=1
                $INST
                $N=2
                $INST
                """;
        KeepalivedConfig c = read(text);
        assertThat(c.vrrpInstances()).extracting(VrrpInstance::name).containsExactly("VI_1", "VI_2");
        assertThat(c.vrrpInstances().get(1).virtualRouterId()).isEqualTo(2);
        assertThat(c.vrrpInstances().get(1).virtualIpAddresses().get(0).cidr()).isEqualTo("10.0.2.1/32");
    }

    @Test
    void sequenceAndListBlocksRepeatTheRestOfTheLine() throws Exception {
        KeepalivedConfig c = read("""
                $VI= \\
                vrrp_instance VI_${I} { \\
                    interface eth0 \\
                    virtual_router_id ${I} \\
                    virtual_ipaddress { \\
                        ~SEQ(N, 1, 2) 10.${I}.0.${N} \\
                        ~LST({A,B}, {1,2}, {3,4}) 10.${I}.${A}.${B} \\
                        ~SEQx(H, 0x9, 0x10, 0x1a) 10.${I}.9.${H}0 \\
                    } \\
                }
                ~SEQ(I, 3) $VI
                """);
        assertThat(c.vrrpInstances()).extracting(VrrpInstance::name).containsExactly("VI_1", "VI_2", "VI_3");
        assertThat(c.vrrpInstances().get(1).virtualIpAddresses()).extracting(v -> v.cidr())
                .containsExactly("10.2.0.1/32", "10.2.0.2/32", "10.2.1.2/32", "10.2.3.4/32", "10.2.9.90/32",
                        "10.2.9.190/32");
        assertThat(error("~SEQ(N, 1, 0, 3) x\n").reason()).contains("~SEQ");
    }

    @Test
    void largeGeneratedConfigurationsReadInLinearTime() throws Exception {
        // 4000 instances and a virtual server with 3000 real servers: duplicate checks must not be quadratic
        KeepalivedConfig c = read("""
                $VI= \\
                vrrp_instance VI_${A}_${B} { \\
                    interface eth0 \\
                    virtual_router_id ${B} \\
                    mcast_dst_ip 224.0.1.${A} \\
                    virtual_ipaddress { \\
                        10.${A}.${B}.1 \\
                    } \\
                }
                ~SEQ(A, 1, 20) ~SEQ(B, 1, 200) $VI
                virtual_server 10.255.0.1 80 {
                    lb_algo rr
                    lb_kind NAT
                    protocol TCP
                    ~SEQ(X, 1, 30) ~SEQ(Y, 1, 100) real_server 10.254.${X}.${Y} 80 { TCP_CHECK { } }
                }
                """);
        assertThat(c.vrrpInstances()).hasSize(4000);
        assertThat(c.virtualServers().get(0).realServers()).hasSize(3000);
    }

    @Test
    void structureAsKeepalivedReadsIt() throws Exception {
        // a list block whose '{' is missing still reads up to the next '}' (braces balance: accepted)
        KeepalivedConfig c = read("""
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 5
                    virtual_ipaddress
                        10.0.0.1
                    }
                """);
        assertThat(c.vrrpInstances().get(0).virtualIpAddresses()).hasSize(1);
        // unbalanced braces over the file are an error
        assertThat(error(VI + "}\n").reason()).contains("extra '}'");
        // `word"quoted"` at the start of a statement: keyword `word`, the quoted part is not a parameter
        assertThat(error(vrrp("notify_master\"/bin/true x\"")).reason()).contains("missing parameter");
        // @id right after a brace applies to the rest of the line
        KeepalivedConfig d = read(VI.replace("virtual_ipaddress {", "virtual_ipaddress {@nothere 10.9.9.9"));
        assertThat(d.vrrpInstances().get(0).virtualIpAddresses()).hasSize(1);
        // a duplicate tracked interface is reported (and ignored)
        ConfigResult r = result(vrrp("track_interface {\n eth1\n eth1\n }"));
        assertThat(r.config().vrrpInstances().get(0).trackInterfaces()).hasSize(1);
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w.message()).contains("duplicate track_interface"));
    }

    @Test
    void selfReferencingParameterIsAnErrorNotAHang() {
        ConfigException e = error("$A=x $A\n$A\n");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.reason()).contains("substitution");
    }

    @Test
    void includesGlobRelativeToTheIncludingFile(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("conf.d"));
        Files.writeString(dir.resolve("conf.d/b.conf"), vrrp("").replace("VI_1", "VI_B").replace("51", "52"));
        Files.writeString(dir.resolve("conf.d/a.conf"), VI.replace("VI_1", "VI_A"));
        Files.writeString(dir.resolve("conf.d/skip.txt"), "garbage {");
        Files.writeString(dir.resolve("main.conf"), "global_defs {\n router_id r1\n}\ninclude conf.d/*.conf\n");
        ConfigResult r = KeepalivedConfigReader.read(dir.resolve("main.conf"), "x");
        assertThat(r.config().vrrpInstances()).extracting(VrrpInstance::name).containsExactly("VI_A", "VI_B");
        assertThat(r.config().vrrpInstances().get(0).origin().file()).isEqualTo(dir.resolve("conf.d/a.conf"));
        assertThat(r.config().globalDefs().routerId()).contains("r1");
    }

    @Test
    void includeCyclesAreDetected(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.conf"), "include b.conf\n");
        Files.writeString(dir.resolve("b.conf"), "\n\ninclude a.conf\n");
        assertThatThrownBy(() -> KeepalivedConfigReader.read(dir.resolve("a.conf"), "x"))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.file()).isEqualTo(dir.resolve("b.conf"));
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.keyword()).isEqualTo("include");
                    assertThat(e.reason()).contains("include cycle");
                });
    }

    @Test
    void includeMatchingNothingIsOnlyANotice(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.conf"), "include /nonexistent/*.conf\n" + VI);
        ConfigResult r = KeepalivedConfigReader.read(dir.resolve("a.conf"), "x");
        assertThat(r.warnings()).singleElement().satisfies(w -> {
            assertThat(w.line()).isEqualTo(1);
            assertThat(w.failsConfigTest()).isFalse();
        });
    }

    @Test
    void missingFileIsAConfigException() {
        assertThatThrownBy(() -> KeepalivedConfigReader.read(Path.of("/nonexistent/keepalived.conf"), "x"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("/nonexistent/keepalived.conf");
    }

    // ------------------------------------------------------------------ defaults

    @Test
    void vrrpDefaults() throws Exception {
        KeepalivedConfig c = read("""
                vrrp_instance V {
                    interface eth0
                    virtual_router_id 9
                    virtual_ipaddress {
                        10.0.0.1
                    }
                }
                vrrp_instance M {
                    state MASTER
                    interface eth0
                    virtual_router_id 10
                    virtual_ipaddress {
                        10.0.0.2
                    }
                }
                """);
        VrrpInstance v = c.vrrpInstances().get(0);
        assertThat(v.initialState()).isEqualTo(VrrpInstance.State.BACKUP);
        assertThat(v.priority()).isEqualTo(100);
        assertThat(v.advertInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(v.version()).isEqualTo(2);
        assertThat(v.preempt()).isTrue();
        assertThat(v.accept()).isTrue();
        assertThat(v.mcastDstIp().getHostAddress()).isEqualTo("224.0.0.18");
        assertThat(v.garpMasterDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(v.garpMasterRepeat()).isEqualTo(5);
        assertThat(v.virtualIpAddresses().get(0).prefixLength()).isEqualTo(32);
        assertThat(c.vrrpInstances().get(1).priority()).isEqualTo(255);
        assertThat(c.globalDefs().smtpConnectTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void advertIntRoundingV2WholeSecondsV3Centiseconds() throws Exception {
        ConfigResult v2 = result(VI.replace("advert_int 1", "advert_int 1.6"));
        assertThat(v2.config().vrrpInstances().get(0).advertInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(v2.warnings()).anySatisfy(w -> assertThat(w.message()).contains("must be an integer"));
        ConfigResult v3 = result(VI.replace("advert_int 1", "advert_int 1.234\n version 3"));
        assertThat(v3.config().vrrpInstances().get(0).advertInterval()).isEqualTo(Duration.ofMillis(1230));
        assertThat(v3.config().vrrpInstances().get(0).advertIntervalCentis()).isEqualTo(123);
        ConfigResult v3max = result(VI.replace("advert_int 1", "advert_int 41\n version 3"));
        assertThat(v3max.config().vrrpInstances().get(0).advertInterval()).isEqualTo(Duration.ofMillis(40950));
        ConfigResult exact = result(VI.replace("advert_int 1", "advert_int 0.05\n version 3"));
        assertThat(exact.warnings()).isEmpty();
        assertThat(exact.config().vrrpInstances().get(0).advertInterval()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void ipv6InstanceIsVersion3() throws Exception {
        KeepalivedConfig c = read(VI.replace("192.168.200.16/24 dev eth1 label eth1:1", "2001:db8::10/64"));
        VrrpInstance i = c.vrrpInstances().get(0);
        assertThat(i.isIpv6()).isTrue();
        assertThat(i.version()).isEqualTo(3);
        assertThat(InetText.ntop(i.mcastDstIp())).isEqualTo("ff02::12");
        assertThat(i.virtualIpAddresses().get(0).prefixLength()).isEqualTo(64);
    }

    static final String VS = """
            virtual_server 10.0.0.1 80 {
                delay_loop 10
                lb_algo rr
                lb_kind DR
                protocol TCP
                connect_timeout 7
                virtualhost vs.example
                real_server 10.0.1.1 80 {
                    weight 3
                    retry 4
                    HTTP_GET {
                        url {
                            path /health
                        }
                        url {
                            path /other
                            status_code 200 301-302
                            virtualhost url.example
                        }
                    }
                    TCP_CHECK {
                        connect_port 81
                        delay_loop 2.5
                    }
                }
                real_server 10.0.1.2 80 {
                    MISC_CHECK {
                        misc_path "/bin/true arg"
                    }
                    DNS_CHECK {
                        type A
                    }
                }
            }
            """;

    @Test
    void virtualServerDefaultsAndInheritance() throws Exception {
        KeepalivedConfig c = read(VS);
        VirtualServer vs = c.virtualServers().get(0);
        assertThat(vs.kind()).isEqualTo(VirtualServer.Kind.ADDRESS);
        assertThat(vs.delayLoop()).isEqualTo(Duration.ofSeconds(10));
        assertThat(vs.lbKind()).isEqualTo(LvsMethod.DR);
        assertThat(vs.quorum()).isEqualTo(1);
        assertThat(vs.hysteresis()).isZero();
        assertThat(vs.persistenceTimeout()).isZero();
        RealServer r1 = vs.realServers().get(0);
        assertThat(r1.weight()).isEqualTo(3);
        assertThat(r1.lvsMethod()).isEqualTo(LvsMethod.DR);
        CheckerConfig.HttpGetCheck http = (CheckerConfig.HttpGetCheck) r1.checkers().get(0);
        assertThat(http.common().connectIp().getHostAddress()).isEqualTo("10.0.1.1");
        assertThat(http.common().connectPort()).isEqualTo(80);
        assertThat(http.common().connectTimeout()).isEqualTo(Duration.ofSeconds(7)); // from the virtual server
        assertThat(http.common().retry()).isEqualTo(4); // from the real server
        assertThat(http.common().delayBeforeRetry()).isEqualTo(Duration.ofSeconds(3)); // HTTP_GET default
        assertThat(http.common().delayLoop()).isEqualTo(Duration.ofSeconds(10));
        assertThat(http.common().warmup()).isEqualTo(Duration.ofSeconds(10));
        assertThat(http.httpProtocol().text()).isEqualTo("1.0");
        assertThat(http.urls().get(0).statusCodes()).extracting(Object::toString).containsExactly("200-299");
        assertThat(http.urls().get(0).virtualhost()).contains("vs.example");
        assertThat(http.urls().get(1).statusCodes()).extracting(Object::toString).containsExactly("200", "301-302");
        assertThat(http.urls().get(1).virtualhost()).contains("url.example");
        assertThat(http.urls().get(1).acceptsStatus(302)).isTrue();
        assertThat(http.urls().get(1).acceptsStatus(300)).isFalse();
        CheckerConfig.TcpCheck tcp = (CheckerConfig.TcpCheck) r1.checkers().get(1);
        assertThat(tcp.common().connectPort()).isEqualTo(81);
        assertThat(tcp.common().delayLoop()).isEqualTo(Duration.ofMillis(2500));
        assertThat(tcp.common().delayBeforeRetry()).isEqualTo(Duration.ofSeconds(1));
        RealServer r2 = vs.realServers().get(1);
        assertThat(r2.weight()).isEqualTo(1);
        CheckerConfig.MiscCheck misc = (CheckerConfig.MiscCheck) r2.checkers().get(0);
        assertThat(misc.common().retry()).isZero();
        assertThat(misc.miscPath().argv()).containsExactly("/bin/true", "arg");
        assertThat(misc.miscTimeout()).isEqualTo(Duration.ofSeconds(10));
        CheckerConfig.DnsCheck dns = (CheckerConfig.DnsCheck) r2.checkers().get(1);
        assertThat(dns.common().retry()).isEqualTo(3);
        assertThat(dns.common().delayBeforeRetry()).isEqualTo(Duration.ofSeconds(10));
        assertThat(dns.queryType()).isEqualTo("A");
        assertThat(dns.name()).isEqualTo(".");
    }

    @Test
    void virtualServerWithoutSchedulerMethodProtocolIsWarnedAsKeepalivedDoes() throws Exception {
        ConfigResult r = result("virtual_server 10.0.0.1 80 {\n real_server 10.0.1.1 80 {\n }\n}\n");
        VirtualServer vs = r.config().virtualServers().get(0);
        assertThat(vs.lbAlgo()).isEqualTo("wlc");
        assertThat(vs.lbKind()).isEqualTo(LvsMethod.NAT);
        assertThat(vs.protocol()).isEqualTo(io.javalived.inet.Protocol.UDP);
        assertThat(vs.delayLoop()).isEqualTo(Duration.ofSeconds(60));
        assertThat(r.warnings()).hasSize(3).allMatch(ConfigWarning::failsConfigTest);
    }

    @Test
    void fwmarkGroupSorryServerPersistence() throws Exception {
        KeepalivedConfig c = read("""
                virtual_server_group G {
                    192.168.1.1-10 80
                    10.0.0.0/30 443
                    fwmark 7
                }
                virtual_server group G {
                    lb_algo sh
                    sh-port
                    lb_kind NAT
                    protocol TCP
                    persistence_timeout
                    persistence_granularity 24
                    sorry_server 10.0.9.9 8080
                    quorum 2
                    hysteresis 1
                    real_server 10.0.1.1 80 {
                        weight 2
                    }
                }
                virtual_server fwmark 5 {
                    lb_algo rr
                    lb_kind DR
                    real_server 10.0.1.1 {
                    }
                }
                """);
        VirtualServerGroup g = c.virtualServerGroups().get("G");
        assertThat(g.entries()).hasSize(3);
        assertThat(g.entries().get(0).rangeEnd().orElseThrow().getHostAddress()).isEqualTo("192.168.1.10");
        assertThat(g.entries().get(1).rangeEnd().orElseThrow().getHostAddress()).isEqualTo("10.0.0.3");
        assertThat(g.entries().get(2).fwmark()).isEqualTo(7);
        VirtualServer vs = c.virtualServers().get(0);
        assertThat(vs.kind()).isEqualTo(VirtualServer.Kind.GROUP);
        assertThat(vs.persistenceTimeout()).isEqualTo(360);
        assertThat(vs.persistenceGranularity().orElseThrow().getHostAddress()).isEqualTo("255.255.255.0");
        assertThat(vs.schedulerFlags().flag2()).isTrue();
        assertThat(vs.ipvsFlags()).isEqualTo(0x1 | 0x10);
        assertThat(vs.sorryServer().orElseThrow().port()).isEqualTo(8080);
        assertThat(vs.quorum()).isEqualTo(2);
        assertThat(vs.hysteresis()).isEqualTo(1);
        VirtualServer fw = c.virtualServers().get(1);
        assertThat(fw.kind()).isEqualTo(VirtualServer.Kind.FWMARK);
        assertThat(fw.fwmark()).isEqualTo(5);
    }

    @Test
    void trackScriptWeightsResolveAgainstTheScript() throws Exception {
        KeepalivedConfig c = read("""
                vrrp_script chk {
                    script "/usr/bin/pgrep nginx"
                    interval 2
                    weight -20
                    fall 3
                }
                vrrp_script chk2 {
                    script /bin/true
                }
                """ + vrrp("track_script {\n chk\n chk2 weight 5 reverse\n }"));
        VrrpInstance i = c.vrrpInstances().get(0);
        assertThat(i.trackScripts()).hasSize(2);
        assertThat(i.trackScripts().get(0).weight()).isEqualTo(-20);
        assertThat(i.trackScripts().get(0).weightOverride()).isEmpty();
        assertThat(i.trackScripts().get(1).weight()).isEqualTo(5);
        assertThat(i.trackScripts().get(1).reverse()).isTrue();
        assertThat(c.vrrpScripts().get("chk").timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.vrrpScripts().get("chk").fall()).isEqualTo(3);
        assertThat(c.vrrpScripts().get("chk2").interval()).isEqualTo(Duration.ofSeconds(1));
    }

    // ------------------------------------------------------------------ validation

    @Test
    void unknownKeywordIsAWarningWithFileLineAndReadingGoesOn() throws Exception {
        ConfigResult r = result(vrrp("frobnicate 3"));
        assertThat(r.config().vrrpInstances()).hasSize(1);
        assertThat(r.warnings()).singleElement().satisfies(w -> {
            assertThat(w.file()).isEqualTo(F);
            assertThat(w.line()).isEqualTo(7);
            assertThat(w.keyword()).isEqualTo("frobnicate");
            assertThat(w.failsConfigTest()).isTrue();
            assertThat(w.toString()).isEqualTo(F + ":7: warning: Unknown keyword 'frobnicate'");
        });
    }

    @Test
    void badValuesAreErrorsNamingFileLineKeywordAndReason() {
        assertError(VI.replace("priority 100", "priority 300"), 5, "priority", "300");
        assertError(VI.replace("virtual_router_id 51", "virtual_router_id 0"), 4, "virtual_router_id", "0");
        assertError(VI.replace("192.168.200.16/24", "192.168.200.300/24"), 8, "192.168.200.300/24", "invalid IP");
        assertError(VI.replace("192.168.200.16/24", "192.168.200.1/33"), 8, "192.168.200.1/33", "prefix");
        assertError(VI.replace("state BACKUP", "state FOO"), 2, "state", "FOO");
        assertError(VI.replace("advert_int 1", "advert_int 0"), 6, "advert_int", "0");
        assertError(VS.replace("lb_algo rr", "lb_algo xyz"), 3, "lb_algo", "xyz");
        assertError(VS.replace("lb_kind DR", "lb_kind nat"), 4, "lb_kind", "nat");
        assertError(VS.replace("weight 3", "weight -1"), 9, "weight", "-1");
        assertError(VS.replace("status_code 200 301-302", "status_code 99"), 17, "status_code", "99");
        assertError(VI + VI, 11, "vrrp_instance", "already defined");
        assertError(vrrp("track_script {\n nosuch\n }"), 8, "nosuch", "not defined");
        assertError(VI.replace("192.168.200.16/24 dev eth1 label eth1:1", "10.0.0.1\n 2001:db8::1"), 9, "2001:db8::1",
                "address family");
        assertError("global_defs {\n router_id x\n", 1, "global_defs", "never closed");
        assertError("global_defs {\n}\n}\n", 3, "}", "extra '}'");
    }

    private static void assertError(String text, int line, String keyword, String reasonPart) {
        ConfigException e = error(text);
        assertThat(e.file()).isEqualTo(F);
        assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
        assertThat(e.keyword()).as(e.getMessage()).isEqualTo(keyword);
        assertThat(e.reason()).as(e.getMessage()).contains(reasonPart);
        assertThat(e.getMessage()).startsWith(F + ":" + line + ": keyword '" + keyword + "': ");
    }

    @Test
    void allErrorsAreReportedTheFirstThrownTheOthersSuppressed() {
        ConfigException e = error(VI.replace("priority 100", "priority 300").replace("virtual_router_id 51", "virtual_router_id 0"));
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.getSuppressed()).hasSize(1);
        assertThat(((ConfigException) e.getSuppressed()[0]).line()).isEqualTo(5);
    }

    @Test
    void valuesKeepalivedCorrectsAreWarningsThatFailTheConfigTest() throws Exception {
        ConfigResult r = result(VI.replace("state BACKUP", "state MASTER\n nopreempt"));
        assertThat(r.config().vrrpInstances().get(0).preempt()).isTrue();
        assertThat(r.warnings()).singleElement().satisfies(w -> assertThat(w.failsConfigTest()).isTrue());
        ConfigResult pass = result(vrrp("authentication {\n auth_type PASS\n auth_pass 123456789\n }"));
        assertThat(pass.config().vrrpInstances().get(0).authentication().orElseThrow().password()).isEqualTo("12345678");
        assertThat(pass.warnings()).singleElement().satisfies(w -> assertThat(w.message()).contains("Truncating"));
    }

    @Test
    void valuesParse() throws Exception {
        assertThat(Values.parseLong("+0100", 0, 1000)).isEqualTo(100);
        assertThatThrownBy(() -> Values.parseLong("0x64", 0, 1000)).isInstanceOf(Values.BadValue.class);
        assertThatThrownBy(() -> Values.parseLong("1e2", 0, 1000)).isInstanceOf(Values.BadValue.class);
        assertThat(Values.parseTimer("2.71828", 0, 10)).isEqualTo(Duration.ofNanos(2_718_280_000L));
        assertThat(Values.parseTimer("0.0000015", 0, 10)).isEqualTo(Duration.ofNanos(2000));
        assertThat(Values.tryAddress("1.2.3")).isNull();
        assertThat(Values.tryAddress("01.2.3.4")).isNull();
        assertThat(Values.tryAddress("10.0.0.0")).isNotNull();
        assertThat(Values.tryAddress("example.com")).isNull();
        assertThat(Values.tryAddress("fe80::1")).isNotNull();
        assertThat(Values.tryAddress("::ffff:1.2.3.4")).isNotNull();
        assertThat(Values.tryAddress("1::2::3")).isNull();
        assertThat(Values.tryAddress("[::1]")).isNull();
        assertThat(InetText.ntop(Values.tryAddress("2001:0db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(Values.parseBool("Yes")).isTrue();
    }

    @Test
    void checkerRetryMayBeZeroButNotAboveIt() throws Exception {
        String vs = """
                virtual_server 10.0.0.100 80 {
                  lb_algo rr
                  lb_kind NAT
                  protocol TCP
                  RETRY_VS
                  real_server 10.0.0.2 80 {
                    TCP_CHECK {
                      retry 0
                    }
                    HTTP_GET {
                      url {
                        path /
                        status_code 200
                      }
                      nb_get_retry 2
                    }
                  }
                }
                """;
        ConfigResult r = result(vs.replace("RETRY_VS", ""));
        RealServer rs = r.config().virtualServers().get(0).realServers().get(0);
        assertThat(rs.checkers().get(0).common().retry()).as("keepalived: a checker's retry may be 0").isZero();
        assertThat(rs.checkers().get(1).common().retry()).as("nb_get_retry still applies").isEqualTo(2);
        assertThat(r.warnings()).extracting(Object::toString)
                .anyMatch(w -> w.contains("nb_get_retry is deprecated - please use 'retry'"));
        // above the checker (virtual_server, real_server) keepalived wants at least 1
        assertThat(error(vs.replace("RETRY_VS", "retry 0")).getMessage()).contains("test.conf:5", "retry");
    }
}
