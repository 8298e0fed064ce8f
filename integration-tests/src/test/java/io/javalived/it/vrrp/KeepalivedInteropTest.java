package io.javalived.it.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * javalived and Debian's keepalived in one virtual router, in both roles: each accepts the other's adverts, the
 * higher priority is MASTER, crash failover works both ways, the lower-priority node hands back on return, and a
 * client namespace's neighbour entry for the VIP follows the master's MAC after each gratuitous ARP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeepalivedInteropTest {
    private static final int CLIENT = 3;
    private VrrpLab lab;

    @BeforeAll
    void up() throws Exception {
        lab = new VrrpLab(3);
    }

    @AfterEach
    void reset() {
        lab.reset();
    }

    @AfterAll
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    private Conf conf(String mode, int node, int priority) {
        Conf c = new Conf();
        switch (mode) {
            case "v2-mcast" -> c.version(2, "1");
            case "v3-mcast" -> c.version(3, "0.2");
            case "v3-ucast" -> {
                c.version(3, "0.2");
                c.unicastSrc = "10.77.0." + node;
                c.unicastPeers = new String[] {"10.77.0." + (node == 1 ? 2 : 1)};
            }
            case "v2-pass" -> {
                c.version(2, "1");
                c.authPass = "s3cr3t!";
            }
            default -> throw new IllegalArgumentException(mode);
        }
        c.priority(priority);
        return c;
    }

    private Process start(boolean javalived, int node, Conf c, String name) throws Exception {
        return javalived ? lab.javalived(node, c.text(), name) : lab.keepalived(node, c.text(), name);
    }

    private void crash(boolean javalived, Process p, String name) throws Exception {
        if (javalived) {
            p.destroyForcibly();
            VrrpLab.waitExit(p, 5);
        } else {
            lab.crashKeepalived(p, name);
        }
    }

    /** The client's neighbour entry for the VIP carries {@code node}'s MAC. */
    private boolean clientSees(int node) {
        try {
            String mac = lab.mac(node);
            return VrrpLab.out("ip -n " + lab.ns(CLIENT) + " neigh show " + VrrpLab.VIP).contains(mac);
        } catch (Exception e) {
            return false;
        }
    }

    private void assertMaster(int node, String logs) throws Exception {
        int other = node == 1 ? 2 : 1;
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(15),
                () -> lab.hasAddress(node, VrrpLab.VIP) && !lab.hasAddress(other, VrrpLab.VIP)))
                .as("node " + node + " should be the only VIP holder\n" + logs).isTrue();
    }

    @ParameterizedTest(name = "{0}, javalived is {1}")
    @CsvSource({"v2-mcast, master", "v2-mcast, backup", "v3-mcast, master", "v3-mcast, backup",
        "v3-ucast, master", "v3-ucast, backup", "v2-pass, master", "v2-pass, backup"})
    void interoperatesWithKeepalived(String mode, String javalivedRole) throws Exception {
        boolean jvIsHigh = javalivedRole.equals("master");
        String tag = mode + "-" + javalivedRole;
        // node 1 = priority 150, node 2 = priority 100
        Process high = start(jvIsHigh, 1, conf(mode, 1, 150), tag + "-n1");
        Process low = start(!jvIsHigh, 2, conf(mode, 2, 100), tag + "-n2");
        java.util.function.Supplier<String> logs = () -> "--- n1:\n" + lab.log(tag + "-n1") + "--- n2:\n"
                + lab.log(tag + "-n2");
        assertMaster(1, logs.get());
        Thread.sleep(1500); // both running: the backup must stay backup (it accepts the master's adverts)
        assertMaster(1, logs.get());

        // the client learns the VIP's MAC, then follows each gratuitous ARP
        VrrpLab.out("ip netns exec " + lab.ns(CLIENT) + " ping -c1 -W1 " + VrrpLab.VIP);
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(3), () -> clientSees(1))).isTrue();
        Thread.sleep(1100); // the kernel ignores ARP updates for locktime (1 s) after the last one

        crash(jvIsHigh, high, tag + "-n1");
        VrrpLab.out("ip -n " + lab.ns(1) + " addr del " + VrrpLab.VIP + "/24 dev eth0"); // stale VIP of the dead node
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(8), () -> lab.hasAddress(2, VrrpLab.VIP)))
                .as("failover to node 2\n" + logs.get()).isTrue();
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(4), () -> clientSees(2)))
                .as("client neighbour entry follows to node 2").isTrue();

        // node 1 returns with the higher priority and preempts; node 2 (the other implementation) hands back
        Thread.sleep(1100);
        String tag2 = tag + "-n1b";
        Process back = start(jvIsHigh, 1, conf(mode, 1, 150), tag2);
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(15),
                () -> lab.hasAddress(1, VrrpLab.VIP) && !lab.hasAddress(2, VrrpLab.VIP)))
                .as("node 1 takes back\n" + lab.log(tag2) + lab.log(tag + "-n2")).isTrue();
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(4), () -> clientSees(1)))
                .as("client neighbour entry follows back to node 1").isTrue();

        // graceful stop of the master (priority 0): the other takes over at once
        VrrpLab.stop(back, 5);
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(3), () -> lab.hasAddress(2, VrrpLab.VIP)))
                .as("handover on priority 0\n" + logs.get()).isTrue();
        assertThat(lab.hasAddress(1, VrrpLab.VIP)).isFalse();
        VrrpLab.stop(low, 5);
    }
}
