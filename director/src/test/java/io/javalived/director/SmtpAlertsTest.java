package io.javalived.director;

import static io.javalived.director.VirtualServerManagerTest.config;
import static io.javalived.director.VirtualServerManagerTest.rs;
import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.config.model.KeepalivedConfig;
import io.javalived.config.model.RealServer;
import io.javalived.config.model.VirtualServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which real server / virtual server transitions send keepalived 2.2.7's smtp_alert mails, and which servers mail. */
class SmtpAlertsTest {
    static final String GLOBAL = """
            global_defs {
              smtp_server 127.0.0.1
              notification_email {
                root@localhost
              }
            %s}
            """;

    static String vs(String vsExtra, String rs2Extra) {
        return """
                virtual_server 10.0.0.100 80 {
                  lb_algo rr
                  lb_kind NAT
                  protocol TCP
                  quorum 2
                %s  real_server 10.0.0.2 80 {
                %s    TCP_CHECK {
                      connect_timeout 1
                    }
                  }
                  real_server 10.0.0.3 80 {
                    HTTP_GET {
                      url {
                        path /
                        status_code 200
                      }
                    }
                  }
                }
                """.formatted(vsExtra, rs2Extra);
    }

    static List<String> mails(List<DirectorAction> actions) {
        return actions.stream().filter(a -> a instanceof DirectorAction.SmtpAlert)
                .map(a -> ((DirectorAction.SmtpAlert) a).subject() + " | " + ((DirectorAction.SmtpAlert) a).body())
                .toList();
    }

    @Test
    void realServerDownAndUpByItsCheckerMailsWithTheCheckersBody() throws Exception {
        VirtualServerManager m = VirtualServerManager.of(config(GLOBAL.formatted("") + vs("", "")));
        assertThat(mails(m.start())).as("virtual server mails are off by default").isEmpty();
        assertThat(mails(m.onTransition(rs(2), false, "TCP_CHECK [10.0.0.2]:tcp:80", false))).containsExactly(
                "Realserver [10.0.0.2]:tcp:80 of virtual server [10.0.0.100]:tcp:80 - DOWN"
                        + " | => TCP CHECK failed on service <=");
        assertThat(mails(m.onTransition(rs(2), false, "TCP_CHECK [10.0.0.2]:tcp:80", false)))
                .as("no change, no mail").isEmpty();
        assertThat(mails(m.onTransition(rs(2), true, "TCP_CHECK [10.0.0.2]:tcp:80", false))).containsExactly(
                "Realserver [10.0.0.2]:tcp:80 of virtual server [10.0.0.100]:tcp:80 - UP"
                        + " | => TCP CHECK succeed on service <=");
        assertThat(mails(m.onTransition(rs(3), false, "HTTP_GET [10.0.0.3]:tcp:80", false))).containsExactly(
                "Realserver [10.0.0.3]:tcp:80 of virtual server [10.0.0.100]:tcp:80 - DOWN"
                        + " | => CHECK failed on service : HTTP request failed <=");
        assertThat(mails(m.onTransition(rs(3), true))).as("not a checker's verdict (start-down rule)").isEmpty();
    }

    @Test
    void quorumMailsWhenTheVirtualServersSmtpAlertIsOn() throws Exception {
        VirtualServerManager m = VirtualServerManager.of(config(GLOBAL.formatted("") + vs("  smtp_alert on\n",
                "")));
        assertThat(mails(m.start())).containsExactly(
                "Virtualserver [10.0.0.100]:tcp:80 - UP | => Starting with quorum up 2+0=2 <= 2 <=");
        assertThat(mails(m.onTransition(rs(2), false, "TCP_CHECK [10.0.0.2]:tcp:80", false))).containsExactly(
                "Virtualserver [10.0.0.100]:tcp:80 - DOWN | => Lost quorum 2+0=2 <= 1 <=",
                "Realserver [10.0.0.2]:tcp:80 of virtual server [10.0.0.100]:tcp:80 - DOWN"
                        + " | => TCP CHECK failed on service <=");
        assertThat(mails(m.onTransition(rs(2), true, "TCP_CHECK [10.0.0.2]:tcp:80", false))).containsExactly(
                "Virtualserver [10.0.0.100]:tcp:80 - UP | => Gained quorum 2+0=2 <= 2 <=",
                "Realserver [10.0.0.2]:tcp:80 of virtual server [10.0.0.100]:tcp:80 - UP"
                        + " | => TCP CHECK succeed on service <=");
    }

    @Test
    void startingWithQuorumDownAndShutdownWithOmega() throws Exception {
        VirtualServerManager m = VirtualServerManager.of(config(GLOBAL.formatted("") + vs(
                "  smtp_alert on\n  omega\n  alpha\n", "")));
        assertThat(mails(m.start())).containsExactly(
                "Virtualserver [10.0.0.100]:tcp:80 - DOWN | => Starting with quorum down 2+0=2 <= 0 <=");
        m.onTransition(rs(2), true, "TCP_CHECK [10.0.0.2]:tcp:80", false);
        m.onTransition(rs(3), true, "HTTP_GET [10.0.0.3]:tcp:80", false);
        assertThat(mails(m.shutdown())).containsExactly(
                "Realserver [10.0.0.2]:tcp:80 of virtual server [10.0.0.100]:tcp:80 - DOWN | => Shutting down <=",
                "Realserver [10.0.0.3]:tcp:80 of virtual server [10.0.0.100]:tcp:80 - DOWN | => Shutting down <=",
                "Virtualserver [10.0.0.100]:tcp:80 - DOWN | => Shutting down <=");
    }

    @Test
    void aCheckerChangeThatLeavesTheRealServerAsItIsMailsWithTheRealServersState() throws Exception {
        VirtualServerManager m = VirtualServerManager.of(config(GLOBAL.formatted("") + vs("", "")));
        m.start();
        m.onTransition(rs(2), false, "TCP_CHECK [10.0.0.2]:tcp:80", false);
        // a second checker of the same real server fails, then passes again: the real server stays down
        assertThat(mails(m.onCheckerChange(rs(2), false, "MISC_CHECK /bin/check", true))).containsExactly(
                "Realserver [10.0.0.2]:tcp:80 of virtual server [10.0.0.100]:tcp:80 - DOWN"
                        + " | => MISC CHECK timed out on service <=");
        assertThat(mails(m.onCheckerChange(rs(2), true, "MISC_CHECK /bin/check", false))).containsExactly(
                "Realserver [10.0.0.2]:tcp:80 of virtual server [10.0.0.100]:tcp:80 - DOWN"
                        + " | => MISC CHECK succeeded on service <=");
        assertThat(m.onCheckerChange(rs(2), true, "MISC_CHECK /bin/check", false)).as("nothing else")
                .allMatch(a -> a instanceof DirectorAction.SmtpAlert);
    }

    @Test
    void noCheckerEmailsIsRead() throws Exception {
        assertThat(config(GLOBAL.formatted("  no_checker_emails\n") + vs("", "")).globalDefs().noCheckerEmails())
                .isTrue();
        assertThat(config(GLOBAL.formatted("") + vs("", "")).globalDefs().noCheckerEmails()).isFalse();
    }

    @Test
    void realServersSmtpAlertOffSendsNoMail() throws Exception {
        VirtualServerManager m = VirtualServerManager.of(config(GLOBAL.formatted("") + vs("",
                "    smtp_alert off\n")));
        m.start();
        assertThat(mails(m.onTransition(rs(2), false, "TCP_CHECK [10.0.0.2]:tcp:80", false))).isEmpty();
    }

    /**
     * keepalived 2.2.7 (check_data.c): a real server takes its own smtp_alert, else the global smtp_alert_checker,
     * else the global smtp_alert, else on; a virtual server the same chain ending in off. A real server does not take
     * its virtual server's.
     */
    @ParameterizedTest(name = "global [{0}] vs [{1}] rs [{2}] -> vs {3}, rs {4}")
    @CsvSource(delimiter = '|', value = {
        "                                              |                |                | false | true",
        "smtp_alert off                                |                |                | false | false",
        "smtp_alert on                                 |                |                | true  | true",
        "smtp_alert_checker off                        |                |                | false | false",
        "smtp_alert on;smtp_alert_checker off          |                |                | false | false",
        "smtp_alert off;smtp_alert_checker on          |                |                | true  | true",
        "smtp_alert_checker off                        | smtp_alert on  |                | true  | false",
        "                                              | smtp_alert off |                | false | true",
        "smtp_alert_checker on                         | smtp_alert off | smtp_alert off | false | false",
        "smtp_alert off                                | smtp_alert on  | smtp_alert on  | true  | true",
        "smtp_alert on;smtp_alert_vrrp off             |                |                | true  | true",
    })
    void inheritance(String global, String vsLine, String rsLine, boolean vsOn, boolean rsOn) throws Exception {
        String g = global == null ? "" : "  " + global.replace(";", "\n  ") + "\n";
        KeepalivedConfig c = config(GLOBAL.formatted(g) + vs(vsLine == null ? "" : "  " + vsLine + "\n",
                rsLine == null ? "" : "    " + rsLine + "\n"));
        VirtualServer v = c.virtualServers().get(0);
        RealServer r = v.realServers().get(0);
        assertThat(v.smtpAlert()).as("virtual_server").isEqualTo(vsOn);
        assertThat(r.smtpAlert()).as("real_server").isEqualTo(rsOn);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "TCP_CHECK [10.0.0.2]:tcp:80 | true  | false | => TCP CHECK succeed on service <=",
        "TCP_CHECK                   | false | false | => TCP CHECK failed on service <=",
        "UDP_CHECK [10.0.0.2]:udp:53 | false | false | => UDP CHECK failed on service <=",
        "PING_CHECK [10.0.0.2]       | true  | false | => ICMP CHECK succeed on service <=",
        "DNS_CHECK [10.0.0.2]:udp:53 | false | false | => DNS_CHECK: failed on service <=",
        "SSL_GET [10.0.0.2]:tcp:443  | true  | false | => CHECK succeed on service <=",
        "SMTP_CHECK [10.0.0.2]:tcp:25| false | false | => CHECK failed on service <=",
        "MISC_CHECK /bin/false       | false | true  | => MISC CHECK timed out on service <=",
        "MISC_CHECK /bin/true        | true  | false | => MISC CHECK succeeded on service <=",
    })
    void checkerBodies(String checker, boolean up, boolean timedOut, String body) {
        assertThat(SmtpAlerts.checkerBody(checker, up, timedOut)).isEqualTo(body);
    }

    @Test
    void fileCheckSendsNoMail() {
        assertThat(SmtpAlerts.checkerBody("FILE_CHECK /tmp/x", false, false)).isNull();
    }
}
