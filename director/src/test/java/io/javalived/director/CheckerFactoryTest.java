package io.javalived.director;

import io.javalived.checkers.CheckScheduler;
import io.javalived.checkers.CheckTiming;
import io.javalived.checkers.TcpChecker;
import io.javalived.checkers.HttpGetChecker;
import io.javalived.checkers.MiscChecker;
import io.javalived.checkers.SmtpChecker;
import io.javalived.checkers.DnsChecker;
import io.javalived.checkers.UdpChecker;
import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.config.KeepalivedConfigReader;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.config.model.RealServer;
import io.javalived.config.model.VirtualServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** keepalived.conf checker blocks → runtime checkers. */
class CheckerFactoryTest {
    static final String CONF = """
            virtual_server 10.0.0.1 80 {
                delay_loop 2
                lb_algo rr
                lb_kind NAT
                protocol TCP
                real_server 127.0.0.2 8080 {
                    weight 1
                    TCP_CHECK {
                        connect_timeout 3
                        retry 2
                        delay_before_retry 1
                        bindto 127.0.0.9
                    }
                    HTTP_GET {
                        url {
                            path /health
                            status_code 200 301-302
                            digest 0123456789abcdef0123456789abcdef
                        }
                        http_protocol 1.1
                        virtualhost www.example.com
                        connect_timeout 2
                    }
                    MISC_CHECK {
                        misc_path "/usr/local/bin/check 'a b' c"
                        misc_timeout 5
                        misc_dynamic
                    }
                    DNS_CHECK {
                        type A
                        name up.test
                        connect_port 5353
                    }
                    SMTP_CHECK {
                        helo_name director.test
                        connect_port 25
                    }
                    UDP_CHECK {
                        connect_port 9999
                        payload 70696e67
                        require_reply 706fxx
                        min_reply_length 2
                        max_reply_length 20
                    }
                    PING_CHECK {
                        alpha
                    }
                }
            }
            virtual_server 10.0.0.2 80 {
                delay_loop 2
                protocol TCP
                real_server 127.0.0.2 8080 {
                    TCP_CHECK {
                        connect_timeout 3
                        retry 2
                        delay_before_retry 1
                        bindto 127.0.0.9
                    }
                }
            }
            """;

    @Test
    void buildsEveryCheckerWithItsOptions() throws Exception {
        KeepalivedConfig cfg = KeepalivedConfigReader.read(CONF, Path.of("test.conf")).config();
        VirtualServer vs = cfg.virtualServers().get(0);
        RealServer rs = vs.realServers().get(0);
        List<CheckScheduler.CheckSpec> specs = CheckerFactory.specs(vs, rs, cfg, CheckerFactory.Extras.KEEPALIVED);
        assertThat(specs).extracting(s -> s.checker().keyword()).containsExactly("TCP_CHECK", "HTTP_GET", "MISC_CHECK",
                "DNS_CHECK", "SMTP_CHECK", "UDP_CHECK", "PING_CHECK");
        assertThat(CheckerFactory.realServerKey(vs, rs).virtualServer()).hasToString("[10.0.0.1]:tcp:80");

        TcpChecker tcp = (TcpChecker) specs.get(0).checker();
        assertThat(tcp.target()).isEqualTo("[127.0.0.2]:tcp:8080");
        assertThat(tcp.endpoint().bindTo().getHostAddress()).isEqualTo("127.0.0.9");
        assertThat(tcp.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        CheckTiming t = specs.get(0).timing();
        assertThat(t.delayLoop()).isEqualTo(Duration.ofSeconds(2));
        assertThat(t.retry()).isEqualTo(2);
        assertThat(t.delayBeforeRetry()).isEqualTo(Duration.ofSeconds(1));

        HttpGetChecker http = (HttpGetChecker) specs.get(1).checker();
        assertThat(http.protocol()).isEqualTo(HttpGetChecker.HttpProtocol.HTTP_1_1);
        HttpGetChecker.Url u = http.urls().get(0);
        assertThat(u.path()).isEqualTo("/health");
        assertThat(u.statusCodes().toString()).isEqualTo("200 301-302");
        assertThat(u.digest()).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(http.request(u)).contains("Host: www.example.com:8080\r\n");

        MiscChecker misc = (MiscChecker) specs.get(2).checker();
        assertThat(misc.command()).containsExactly("/usr/local/bin/check", "a b", "c");
        assertThat(misc.dynamic()).isTrue();
        assertThat(misc.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(misc.rsVs()).isEqualTo("[127.0.0.2]:tcp:8080 VS [10.0.0.1]:tcp:80");

        DnsChecker dns = (DnsChecker) specs.get(3).checker();
        assertThat(dns.type()).isEqualTo("A");
        assertThat(dns.name()).isEqualTo("up.test");
        assertThat(dns.endpoint().connect().getPort()).isEqualTo(5353);

        assertThat(((SmtpChecker) specs.get(4).checker()).heloName()).isEqualTo("director.test");

        UdpChecker udp = (UdpChecker) specs.get(5).checker();
        assertThat(new String(udp.payload())).isEqualTo("ping");
        assertThat(udp.requireReply()).isTrue();
        assertThat(udp.judge("pong".getBytes()).ok()).isTrue(); // 70 6f xx: wildcard third byte
        assertThat(udp.judge("pOng".getBytes()).ok()).isFalse();

        assertThat(specs.get(6).timing().alpha()).isTrue();
        assertThat(specs.get(6).checker().target()).isEqualTo("[127.0.0.2]:tcp:8080"); // ICMP CHECK on service [..]:tcp:8080
        assertThat(dns.target()).isEqualTo("[127.0.0.2]:tcp:5353"); // keepalived prints the VS protocol
    }

    @Test
    void sameBackendUnderTwoVirtualServersSharesTheProbe() throws Exception {
        KeepalivedConfig cfg = KeepalivedConfigReader.read(CONF, Path.of("test.conf")).config();
        try (CheckScheduler s = new CheckScheduler(new CheckScheduler.Options(1, 100, 1, 10))) {
            List<CheckScheduler.RealServerHandle> hs = CheckerFactory.registerAll(s, cfg, CheckerFactory.Extras.KEEPALIVED);
            assertThat(hs).hasSize(2);
            // 7 checkers on the first, the TCP_CHECK of the second is the same probe as the first's
            assertThat(s.stats().probes()).isEqualTo(7);
        }
    }

    /**
     * keepalived 2.2.7 loads a global SSL { ca } but sets no verify mode: SSL_GET from a keepalived.conf never verifies
     * the certificate (checkers' TlsMatrixTest shows such a checker accepts a wrong-CN certificate).
     */
    @Test
    void sslGetFromConfigNeverVerifies(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("ca.pem"), "unused\n");
        String conf = """
                SSL {
                    ca %s
                }
                virtual_server 10.0.0.1 443 {
                    protocol TCP
                    real_server 127.0.0.1 8443 {
                        SSL_GET {
                            url {
                                path /
                            }
                            connect_timeout 3
                            enable_sni
                            virtualhost rs.test
                        }
                    }
                }
                """.formatted(dir.resolve("ca.pem"));
        KeepalivedConfig cfg = KeepalivedConfigReader.read(conf, dir.resolve("keepalived.conf")).config();
        VirtualServer vs = cfg.virtualServers().get(0);
        HttpGetChecker c = (HttpGetChecker) CheckerFactory.specs(vs, vs.realServers().get(0), cfg,
                CheckerFactory.Extras.KEEPALIVED).get(0).checker();
        assertThat(c.keyword()).isEqualTo("SSL_GET");
        assertThat(c.ssl()).isTrue();
        assertThat(c.verifyTls()).isFalse();
        assertThat(c.enableSni()).isTrue();
    }
}
