package io.javalived.it.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * use_vmac against Debian's keepalived using use_vmac on the other node, in both roles: the MASTER holds the VIP on a
 * private-mode macvlan {@code vrrp.51} with the virtual MAC 00:00:5e:00:01:33, the adverts on the wire carry that
 * MAC, a client's neighbour entry for the VIP is the virtual MAC and stays so across a crash failover; javalived's
 * VMAC is removed at stop and the base interface's ARP settings restored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VmacInteropTest {
    private static final int CLIENT = 3;
    private static final String VMAC = "vrrp.51";
    private static final String VMAC_MAC = "00:00:5e:00:01:33";
    private VrrpLab lab;

    @BeforeAll
    void up() throws Exception {
        lab = new VrrpLab(3);
        // The VIP shares eth0's subnet, so the master answers the client out of eth0 (the first route to it) and,
        // without a neighbour entry for the client there, asks for it with the VIP as sender and eth0's MAC - which
        // moves the client's entry for the VIP to eth0's MAC. keepalived 2.2.7 does the same (checked by hand in
        // this lab); arp_announce 2 on the base interface, the operator's setting for a VMAC, makes that ARP
        // request carry eth0's own address instead. Set on both nodes, for both implementations.
        for (int i = 1; i <= 2; i++) {
            VrrpLab.out("ip netns exec " + lab.ns(i) + " sysctl -q -w net.ipv4.conf.eth0.arp_announce=2");
        }
    }

    @AfterEach
    void reset() {
        lab.reset();
        for (int i = 1; i <= 2; i++) {
            try {
                VrrpLab.out("ip -n " + lab.ns(i) + " link del " + VMAC + " 2>/dev/null");
            } catch (Exception ignored) {
                // not there
            }
        }
    }

    @AfterAll
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    private static Conf conf(int priority) {
        Conf c = new Conf().priority(priority);
        c.vipDev = null; // on the VMAC, as keepalived puts an instance's VIPs
        c.extraInstance = "    use_vmac\n";
        return c;
    }

    private String ip(int node, String args) {
        try {
            return VrrpLab.out("ip -n " + lab.ns(node) + " " + args);
        } catch (Exception e) {
            return "";
        }
    }

    private boolean vipOnVmac(int node) {
        return ip(node, "-o addr show dev " + VMAC).contains(" " + VrrpLab.VIP + "/");
    }

    private boolean clientSeesVirtualMac() {
        try {
            VrrpLab.out("ip netns exec " + lab.ns(CLIENT) + " ping -c1 -W1 " + VrrpLab.VIP + " >/dev/null 2>&1 || true");
            return VrrpLab.out("ip -n " + lab.ns(CLIENT) + " neigh show " + VrrpLab.VIP).contains(VMAC_MAC);
        } catch (Exception e) {
            return false;
        }
    }

    private String sysctl(int node, String key) throws Exception {
        return VrrpLab.out("ip netns exec " + lab.ns(node) + " cat /proc/sys/net/ipv4/conf/" + key).trim();
    }

    @ParameterizedTest(name = "javalived is {0}")
    @ValueSource(strings = {"master", "backup"})
    void vmacInteroperatesWithKeepalived(String javalivedRole) throws Exception {
        boolean jvHigh = javalivedRole.equals("master");
        int jvNode = jvHigh ? 1 : 2;
        String tag = "vmac-" + javalivedRole;
        String arpIgnoreBefore = sysctl(jvNode, "eth0/arp_ignore");
        // node 1 = priority 150, node 2 = priority 100
        Process high = jvHigh ? lab.javalived(1, conf(150).text(), tag + "-n1")
                : lab.keepalived(1, conf(150).text(), tag + "-n1");
        Process low = jvHigh ? lab.keepalived(2, conf(100).text(), tag + "-n2")
                : lab.javalived(2, conf(100).text(), tag + "-n2");
        java.util.function.Supplier<String> logs = () -> "--- n1:\n" + lab.log(tag + "-n1") + "--- n2:\n"
                + lab.log(tag + "-n2") + "--- links n1:\n" + ip(1, "-d addr") + "--- links n2:\n" + ip(2, "-d addr");
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(60), () -> vipOnVmac(1) && !vipOnVmac(2)))
                .as("node 1 MASTER with the VIP on its VMAC\n" + logs.get()).isTrue();
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(60), () -> ip(2, "link show " + VMAC).contains(VMAC_MAC)))
                .as("the backup has its VMAC too\n" + logs.get()).isTrue();

        // javalived's VMAC: a private macvlan over eth0 with the virtual MAC, up, ARP settings as keepalived's
        String link = ip(jvNode, "-d link show " + VMAC);
        assertThat(link).contains("link/ether " + VMAC_MAC).contains("macvlan mode private").contains("@eth0")
                .containsPattern("<[^>]*\\bUP\\b");
        assertThat(sysctl(jvNode, VMAC + "/arp_ignore")).isEqualTo("1");
        assertThat(sysctl(jvNode, VMAC + "/accept_local")).isEqualTo("1");
        assertThat(sysctl(jvNode, VMAC + "/rp_filter")).isEqualTo("0");
        assertThat(sysctl(jvNode, "eth0/arp_ignore")).isEqualTo("1");
        assertThat(sysctl(jvNode, "eth0/arp_filter")).isEqualTo("1");

        // the master's adverts carry the virtual MAC on the wire (seen from the client)
        String wire = VrrpLab.out("ip netns exec " + lab.ns(CLIENT) + " timeout 5 tcpdump -c 2 -e -n -i eth0 "
                + "'ip proto 112' 2>/dev/null || true");
        assertThat(wire).as("adverts seen by the client").contains(VMAC_MAC + " > 01:00:5e:00:00:12");

        // the client resolves the VIP to the virtual MAC
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(5), this::clientSeesVirtualMac))
                .as("client neighbour entry is the virtual MAC\n" + ip(CLIENT, "neigh") + "--- n1:\n" + ip(1, "neigh")
                        + "--- n2:\n" + ip(2, "neigh")).isTrue();

        // crash failover: node 2 takes over; the client's entry stays the virtual MAC and the VIP answers
        if (jvHigh) {
            high.destroyForcibly();
            VrrpLab.waitExit(high, 5);
            VrrpLab.out("ip -n " + lab.ns(1) + " link del " + VMAC); // a killed JVM cannot remove it
        } else {
            lab.crashKeepalived(high, tag + "-n1");
            ip(1, "link del " + VMAC);
        }
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(10), () -> vipOnVmac(2)))
                .as("failover to node 2\n" + logs.get()).isTrue();
        assertThat(VrrpLab.out("ip -n " + lab.ns(CLIENT) + " neigh show " + VrrpLab.VIP)).contains(VMAC_MAC);
        // three tries: the new master's gratuitous ARP from the VMAC moves the bridge's entry for it, which may
        // come a moment after the VIP is on the VMAC (ping's status is 0 when any reply came)
        assertThat(VrrpLab.out("ip netns exec " + lab.ns(CLIENT) + " ping -c3 -i0.5 -W2 " + VrrpLab.VIP
                + " >/dev/null 2>&1 && echo ok || echo no").trim()).as("the VIP answers after failover").isEqualTo("ok");
        assertThat(VrrpLab.out("ip -n " + lab.ns(CLIENT) + " neigh show " + VrrpLab.VIP)).contains(VMAC_MAC)
                .as("same neighbour entry: no MAC change on failover");

        // graceful stop of node 2: javalived removes its VMAC and restores eth0's ARP settings
        VrrpLab.stop(low, 10);
        if (!jvHigh) {
            assertThat(VrrpLab.waitFor(Duration.ofSeconds(5), () -> !ip(2, "link show").contains(VMAC)))
                    .as("javalived removed its VMAC at stop\n" + logs.get()).isTrue();
            assertThat(sysctl(2, "eth0/arp_ignore")).isEqualTo(arpIgnoreBefore);
        }
    }
}
