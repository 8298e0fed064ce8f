package io.javalived.it.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * virtual_routes / virtual_rules follow MASTER, static_ipaddress / static_routes / static_rules are up from start to
 * stop, against the real kernel (checked with ip route / ip rule in the node's namespace), with Debian's keepalived
 * as the peer that preempts javalived.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VirtualRoutesLabTest {
    private VrrpLab lab;

    @BeforeAll
    void up() throws Exception {
        lab = new VrrpLab(2);
    }

    @AfterAll
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    private String ip(String args) {
        try {
            return VrrpLab.out("ip -n " + lab.ns(1) + " " + args);
        } catch (Exception e) {
            return "";
        }
    }

    private boolean virtualUp() {
        return ip("route show table 100").contains("198.51.100.0/24 via 10.77.0.254 dev eth0 proto keepalived "
                + "metric 7")
                && ip("route show table 100").contains("blackhole 203.0.113.0/24 proto keepalived")
                && ip("rule show").matches("(?s).*\\b100:\\s+from 10\\.77\\.0\\.100 lookup 100 proto keepalived.*")
                && ip("rule show").matches("(?s).*\\b101:\\s+from all fwmark 0x7 lookup 100 proto keepalived.*");
    }

    private boolean virtualDown() {
        return !ip("route show table 100").contains("198.51.100.0/24")
                && !ip("route show table 100").contains("203.0.113.0/24")
                && !ip("rule show").contains("lookup 100");
    }

    private boolean staticUp() {
        return ip("addr show dev eth0").contains("10.77.0.50/32")
                && ip("route show table 200").contains("192.0.2.0/24 via 10.77.0.254 dev eth0 proto keepalived")
                && ip("rule show").matches("(?s).*\\b200:\\s+from 10\\.77\\.0\\.50 lookup 200 proto keepalived.*");
    }

    private boolean staticDown() {
        return !ip("addr show dev eth0").contains("10.77.0.50/32") && !ip("route show table 200").contains("192.0")
                && !ip("rule show").contains("lookup 200");
    }

    @Test
    void virtualRoutesFollowMasterAndStaticOnesStayUntilStop() throws Exception {
        Conf jv = new Conf().priority(100);
        jv.extraTop = """
                static_ipaddress {
                    10.77.0.50/32 dev eth0
                }
                static_routes {
                    192.0.2.0/24 via 10.77.0.254 dev eth0 table 200
                }
                static_rules {
                    from 10.77.0.50 table 200 priority 200
                }
                """;
        jv.extraInstance = """
                    virtual_routes {
                        198.51.100.0/24 via 10.77.0.254 dev eth0 table 100 metric 7
                        blackhole 203.0.113.0/24 table 100 no_track
                    }
                    virtual_rules {
                        from 10.77.0.100 table 100 priority 100
                        fwmark 7 table 100 priority 101
                    }
                """;
        Process j = lab.javalived(1, jv.text(), "routes-jv");
        java.util.function.Supplier<String> logs = () -> "--- javalived:\n" + lab.log("routes-jv")
                + "--- keepalived:\n" + lab.log("routes-ka") + "--- ip route table all:\n"
                + ip("route show table all") + "--- ip rule:\n" + ip("rule show");
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(60), this::staticUp)).as("static entries after start\n"
                + logs.get()).isTrue();
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(20), () -> lab.hasAddress(1, VrrpLab.VIP)))
                .as("javalived alone becomes MASTER\n" + logs.get()).isTrue();
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(5), this::virtualUp)).as("virtual routes and rules as MASTER\n"
                + logs.get()).isTrue();

        // keepalived with a higher priority preempts: javalived goes BACKUP and removes its routes and rules
        Process k = lab.keepalived(2, new Conf().priority(150).text(), "routes-ka");
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(20), () -> lab.hasAddress(2, VrrpLab.VIP)
                && !lab.hasAddress(1, VrrpLab.VIP))).as("keepalived preempts\n" + logs.get()).isTrue();
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(5), this::virtualDown)).as("BACKUP removed them\n"
                + logs.get()).isTrue();
        assertThat(staticUp()).as("static entries stay in BACKUP\n" + logs.get()).isTrue();

        // keepalived stops (priority 0): javalived is MASTER again and adds them back
        VrrpLab.stop(k, 5);
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(10), this::virtualUp)).as("MASTER again\n" + logs.get())
                .isTrue();

        // javalived stops: virtual and static entries are removed, as keepalived's VRRP process does
        VrrpLab.stop(j, 10);
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(5), () -> virtualDown() && staticDown()))
                .as("all removed at stop\n" + logs.get()).isTrue();
    }
}
