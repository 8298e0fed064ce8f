package io.javalived.it.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two javalived nodes (separate JVMs, {@code ip netns exec NS java ... run -f CONF}) on a private bridge: election,
 * crash and graceful failover, preemption rules, trackers, notify scripts, dual master, unicast, IPv6.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JavalivedVrrpTest {
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

    private static Conf v3fast() {
        Conf c = new Conf();
        c.version(3, "0.1");
        return c;
    }

    private boolean holds(int node, String addr, Duration within) {
        return VrrpLab.waitFor(within, () -> lab.hasAddress(node, addr));
    }

    private void assertOnlyHolder(int node, String addr) {
        assertThat(lab.holder(addr)).as("holder of " + addr).isEqualTo(node);
        for (int i = 1; i <= 3; i++) {
            if (i != node) {
                assertThat(lab.hasAddress(i, addr)).as("node " + i + " must not hold " + addr).isFalse();
            }
        }
    }

    @Test
    void electionCrashFailoverPreemptionGracefulHandoverAndNotify() throws Exception {
        Path notify = lab.dir.resolve("notify.sh");
        Path notes = lab.dir.resolve("notify.txt");
        Files.writeString(notify, "#!/bin/sh\necho \"$(hostname) $@\" >> " + notes + "\n");
        Files.setPosixFilePermissions(notify, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path master = lab.dir.resolve("master.txt");
        Conf c1 = v3fast().priority(150);
        c1.extraInstance = "    notify " + notify + "\n    notify_master \"/bin/touch " + master + "\"\n";
        Conf c2 = v3fast().priority(100);
        c2.extraInstance = "    notify " + notify + "\n";

        Process n1 = lab.javalived(1, c1.text(), "e1");
        assertThat(holds(1, VrrpLab.VIP, Duration.ofSeconds(15))).as(lab.log("e1")).isTrue();
        Process n2 = lab.javalived(2, c2.text(), "e2");
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(15), () -> lab.log("e2").contains("Entering BACKUP STATE")))
                .isTrue();
        Thread.sleep(800);
        assertOnlyHolder(1, VrrpLab.VIP);
        assertThat(lab.log("e1")).contains("VRRP_Instance(VI_1) Entering MASTER STATE");
        assertThat(lab.log("e2")).contains("VRRP_Instance(VI_1) Entering BACKUP STATE")
                .doesNotContain("Entering MASTER STATE");
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(3), () -> Files.exists(master))).isTrue();

        // crash: kill -9 the master; the backup takes over after master_down (3 x 0.1 s + skew)
        n1.destroyForcibly();
        VrrpLab.waitExit(n1, 5);
        long t0 = System.nanoTime();
        assertThat(holds(2, VrrpLab.VIP, Duration.ofSeconds(5))).as(lab.log("e2")).isTrue();
        assertThat((System.nanoTime() - t0) / 1_000_000).as("crash failover ms").isLessThan(3000);
        assertThat(lab.log("e2")).contains("VRRP_Instance(VI_1) Entering MASTER STATE");

        // restart the higher priority node: it clears its stale VIP and preempts
        n1 = lab.javalived(1, c1.text(), "e1b");
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(15),
                () -> lab.hasAddress(1, VrrpLab.VIP) && !lab.hasAddress(2, VrrpLab.VIP)))
                .as(lab.log("e1b") + lab.log("e2")).isTrue();

        // graceful: SIGTERM sends priority 0 and removes the VIP; the backup takes over after the skew alone
        n1.destroy();
        t0 = System.nanoTime();
        assertThat(holds(2, VrrpLab.VIP, Duration.ofSeconds(3))).isTrue();
        long handover = (System.nanoTime() - t0) / 1_000_000;
        VrrpLab.waitExit(n1, 5);
        assertThat(n1.isAlive()).isFalse();
        assertThat(lab.hasAddress(1, VrrpLab.VIP)).as("VIP removed on SIGTERM").isFalse();
        assertThat(handover).as("graceful handover ms (master_down would be ~360)").isLessThan(1500);
        assertThat(lab.log("e1b")).contains("removing protocol VIPs");
        VrrpLab.stop(n2, 5);

        String lines = Files.readString(notes);
        assertThat(lines).contains("INSTANCE VI_1 MASTER 150", "INSTANCE VI_1 BACKUP 100",
                "INSTANCE VI_1 MASTER 100", "INSTANCE VI_1 STOP 150");
    }

    @Test
    void nopreemptKeepsTheLowerMasterAndPreemptDelayWaits() throws Exception {
        Conf low = v3fast().priority(100);
        Process n2 = lab.javalived(2, low.text(), "p2");
        assertThat(holds(2, VrrpLab.VIP, Duration.ofSeconds(15))).isTrue();

        Conf high = v3fast().priority(150);
        high.nopreempt = true;
        Process n1 = lab.javalived(1, high.text(), "p1");
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(15), () -> lab.log("p1").contains("Entering BACKUP STATE")))
                .as(lab.log("p1")).isTrue();
        Thread.sleep(1500);
        assertOnlyHolder(2, VrrpLab.VIP);
        VrrpLab.stop(n1, 5);

        high.nopreempt = false;
        high.preemptDelay = "3";
        n1 = lab.javalived(1, high.text(), "p1b");
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(15), () -> lab.log("p1b").contains("Entering BACKUP STATE")))
                .isTrue();
        long t0 = System.nanoTime();
        Thread.sleep(1500);
        assertOnlyHolder(2, VrrpLab.VIP);
        assertThat(holds(1, VrrpLab.VIP, Duration.ofSeconds(6))).as(lab.log("p1b")).isTrue();
        assertThat((System.nanoTime() - t0) / 1_000_000).as("preempt after the delay").isGreaterThan(2000);
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(2), () -> !lab.hasAddress(2, VrrpLab.VIP))).isTrue();
        VrrpLab.stop(n1, 5);
        VrrpLab.stop(n2, 5);
    }

    @Test
    void failingTrackScriptMovesTheVipAwayAndBack() throws Exception {
        Path flag = lab.dir.resolve("healthy");
        Files.writeString(flag, "ok");
        Conf c1 = v3fast().priority(150);
        c1.extraTop = "vrrp_script chk {\n    script \"/usr/bin/test -f " + flag + "\"\n    interval 1\n"
                + "    weight -100\n    fall 1\n    rise 1\n}\n";
        c1.extraInstance = "    track_script {\n        chk\n    }\n";
        lab.javalived(1, c1.text(), "s1");
        lab.javalived(2, v3fast().priority(100).text(), "s2");
        assertThat(holds(1, VrrpLab.VIP, Duration.ofSeconds(15))).isTrue();
        Thread.sleep(500);
        assertOnlyHolder(1, VrrpLab.VIP);

        Files.delete(flag);
        assertThat(holds(2, VrrpLab.VIP, Duration.ofSeconds(6))).as(lab.log("s1")).isTrue();
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(2), () -> !lab.hasAddress(1, VrrpLab.VIP))).isTrue();
        assertThat(lab.log("s1")).contains("VRRP_Script(chk) failed", "Changing effective priority from 150 to 50");

        Files.writeString(flag, "ok");
        assertThat(holds(1, VrrpLab.VIP, Duration.ofSeconds(6))).as(lab.log("s1")).isTrue();
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(2), () -> !lab.hasAddress(2, VrrpLab.VIP))).isTrue();
        assertThat(lab.log("s1")).contains("VRRP_Script(chk) succeeded");
    }

    @Test
    void trackFileValueTimesWeightMovesTheVip() throws Exception {
        Path file = lab.dir.resolve("tf.value");
        Conf c1 = v3fast().priority(150);
        c1.extraTop = "track_file tf {\n    file " + file + "\n    weight -10\n    init_file 0\n}\n";
        c1.extraInstance = "    track_file {\n        tf\n    }\n";
        lab.javalived(1, c1.text(), "f1");
        lab.javalived(2, v3fast().priority(100).text(), "f2");
        assertThat(holds(1, VrrpLab.VIP, Duration.ofSeconds(15))).as(lab.log("f1")).isTrue();
        assertThat(Files.readString(file).trim()).as("init_file").isEqualTo("0");
        Files.writeString(file, "10\n"); // 150 + 10 x -10 = 50 < 100
        assertThat(holds(2, VrrpLab.VIP, Duration.ofSeconds(5))).as(lab.log("f1")).isTrue();
        assertThat(lab.log("f1")).contains("Changing effective priority from 150 to 50");
        Files.writeString(file, "0\n");
        assertThat(holds(1, VrrpLab.VIP, Duration.ofSeconds(5))).as(lab.log("f1")).isTrue();
    }

    @Test
    void downedTrackedLinkSendsTheInstanceToFault() throws Exception {
        String ns1 = lab.ns(1);
        VrrpLab.sh("ip -n " + ns1 + " link add trk0 type veth peer name trk1");
        try {
            VrrpLab.sh("ip -n " + ns1 + " link set trk0 up && ip -n " + ns1 + " link set trk1 up");
            Conf c1 = v3fast().priority(150);
            c1.extraInstance = "    track_interface {\n        trk0\n    }\n";
            lab.javalived(1, c1.text(), "t1");
            lab.javalived(2, v3fast().priority(100).text(), "t2");
            assertThat(holds(1, VrrpLab.VIP, Duration.ofSeconds(15))).isTrue();

            VrrpLab.sh("ip -n " + ns1 + " link set trk1 down"); // trk0 loses carrier
            assertThat(holds(2, VrrpLab.VIP, Duration.ofSeconds(4))).as(lab.log("t1")).isTrue();
            assertThat(lab.log("t1")).contains("VRRP_Instance(VI_1) Entering FAULT STATE");
            assertThat(lab.hasAddress(1, VrrpLab.VIP)).isFalse();

            VrrpLab.sh("ip -n " + ns1 + " link set trk1 up");
            assertThat(holds(1, VrrpLab.VIP, Duration.ofSeconds(5))).as(lab.log("t1")).isTrue();

            // the instance's own interface going down is a FAULT too; it recovers when the link is back
            VrrpLab.sh("ip -n " + ns1 + " link set eth0 down");
            assertThat(holds(2, VrrpLab.VIP, Duration.ofSeconds(4))).as(lab.log("t1")).isTrue();
            assertThat(lab.log("t1")).contains("Netlink reports eth0 down");
            VrrpLab.sh("ip -n " + ns1 + " link set eth0 up");
            assertThat(VrrpLab.waitFor(Duration.ofSeconds(8),
                    () -> lab.hasAddress(1, VrrpLab.VIP) && !lab.hasAddress(2, VrrpLab.VIP)))
                    .as(lab.log("t1")).isTrue();
        } finally {
            VrrpLab.out("ip -n " + ns1 + " link del trk0");
        }
    }

    @Test
    void syncGroupMembersMoveTogetherAndScriptsRunAsTheirUser() throws Exception {
        Path flag = lab.dir.resolve("vi2-ok");
        Files.writeString(flag, "ok");
        Path notify = lab.dir.resolve("gnotify.sh");
        Path notes = lab.dir.resolve("gnotify.txt");
        Files.writeString(notify, "#!/bin/sh\necho \"$@\" >> " + notes + "\n");
        Files.setPosixFilePermissions(notify, PosixFilePermissions.fromString("rwxr-xr-x"));
        String group = "vrrp_sync_group G1 {\n    group {\n        VI_1\n        VI_2\n    }\n    notify " + notify
                + "\n}\n";
        Conf c1 = v3fast().priority(150);
        c1.extraTop = group + "vrrp_script chk2 {\n    script \"/usr/bin/test -f " + flag + "\"\n    interval 1\n"
                + "    user nobody\n    fall 1\n    rise 1\n}\n";
        Conf c1b = v3fast().priority(150);
        c1b.extraInstance = "    track_script {\n        chk2\n    }\n";
        String t1 = c1.text() + c1b.instanceText("VI_2", 52, 150, VrrpLab.VIP2 + "/24");
        Conf c2 = v3fast().priority(100);
        c2.extraTop = group;
        String t2 = c2.text() + c2.instanceText("VI_2", 52, 100, VrrpLab.VIP2 + "/24");
        lab.javalived(1, t1, "g1");
        lab.javalived(2, t2, "g2");
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(15),
                () -> lab.hasAddress(1, VrrpLab.VIP) && lab.hasAddress(1, VrrpLab.VIP2))).as(lab.log("g1")).isTrue();
        Thread.sleep(800);
        assertOnlyHolder(1, VrrpLab.VIP);
        assertOnlyHolder(1, VrrpLab.VIP2);

        // VI_2's weight-0 script (run as nobody) fails: VI_2 goes to FAULT and takes VI_1 with it
        Files.delete(flag);
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(6),
                () -> lab.hasAddress(2, VrrpLab.VIP) && lab.hasAddress(2, VrrpLab.VIP2))).as(lab.log("g1")).isTrue();
        assertThat(lab.hasAddress(1, VrrpLab.VIP)).isFalse();
        assertThat(lab.log("g1")).contains("VRRP_Instance(VI_2) Entering FAULT STATE",
                "VRRP_Instance(VI_1) Entering FAULT STATE");

        Files.writeString(flag, "ok");
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(8),
                () -> lab.hasAddress(1, VrrpLab.VIP) && lab.hasAddress(1, VrrpLab.VIP2))).as(lab.log("g1")).isTrue();
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(3), () -> {
            try {
                return Files.readString(notes).contains("GROUP G1 FAULT");
            } catch (java.io.IOException e) {
                return false;
            }
        })).isTrue();
        assertThat(Files.readString(notes)).contains("GROUP G1 MASTER", "GROUP G1 BACKUP");
    }

    @Test
    void gratuitousArpBurstsFollowGarpMasterDelayRepeatAndRefresh() throws Exception {
        Path pcap = lab.dir.resolve("garp.pcap");
        Process tcpdump = new ProcessBuilder("ip", "netns", "exec", lab.ns(3), "tcpdump", "-i", "eth0", "-nn", "-U",
                "-w", pcap.toString(), "arp").redirectErrorStream(true)
                .redirectOutput(lab.dir.resolve("garp.tcpdump.log").toFile()).start();
        try {
            Thread.sleep(700);
            Conf c = v3fast().priority(150);
            c.extraInstance = "    garp_master_delay 1\n    garp_master_repeat 3\n    garp_master_refresh 2\n";
            lab.javalived(1, c.text(), "garp");
            assertThat(holds(1, VrrpLab.VIP, Duration.ofSeconds(15))).isTrue();
            Thread.sleep(3300);
        } finally {
            tcpdump.destroy();
            VrrpLab.waitExit(tcpdump, 5);
        }
        String mac = lab.mac(1);
        java.util.List<Double> ts = new java.util.ArrayList<>();
        for (String l : VrrpLab.out("tcpdump -r " + pcap + " -tt -nn -e 2>/dev/null").lines().toList()) {
            if (l.contains(mac + " > ff:ff:ff:ff:ff:ff") && l.contains("who-has " + VrrpLab.VIP + " ")
                    && l.contains("tell " + VrrpLab.VIP + ",")) {
                ts.add(Double.parseDouble(l.substring(0, l.indexOf(' '))));
            }
        }
        assertThat(ts).as("gratuitous ARPs").hasSizeGreaterThanOrEqualTo(7);
        double t0 = ts.get(0);
        long burst0 = ts.stream().filter(t -> t - t0 < 0.5).count();
        long burst1 = ts.stream().filter(t -> t - t0 >= 0.5 && t - t0 < 1.5).count();
        long refresh = ts.stream().filter(t -> t - t0 >= 1.5 && t - t0 < 2.5).count();
        assertThat(burst0).as("garp_master_repeat at takeover").isEqualTo(3);
        assertThat(burst1).as("garp_master_repeat after garp_master_delay").isEqualTo(3);
        assertThat(refresh).as("garp_master_refresh (refresh_repeat 1)").isEqualTo(1);
    }

    @Test
    void dualMasterTwoInstancesInOneProcess() throws Exception {
        Conf c1 = v3fast().priority(150);
        Conf c2 = v3fast().priority(100);
        String t1 = c1.text() + c1.instanceText("VI_2", 52, 100, VrrpLab.VIP2 + "/24")
                + "virtual_server " + VrrpLab.VIP + " 80 {\n    lb_algo rr\n    lb_kind NAT\n    protocol TCP\n"
                + "    real_server 10.77.0.9 80 {\n        weight 1\n    }\n}\n";
        String t2 = c2.text() + c2.instanceText("VI_2", 52, 150, VrrpLab.VIP2 + "/24");
        lab.javalived(1, t1, "d1");
        lab.javalived(2, t2, "d2");
        assertThat(holds(1, VrrpLab.VIP, Duration.ofSeconds(15))).isTrue();
        assertThat(holds(2, VrrpLab.VIP2, Duration.ofSeconds(5))).isTrue();
        Thread.sleep(800);
        assertOnlyHolder(1, VrrpLab.VIP);
        assertOnlyHolder(2, VrrpLab.VIP2);
        assertThat(lab.log("d1")).contains(", VRRP only");
    }

    @Test
    void unicastPeersElectAndFailOver() throws Exception {
        Conf c1 = v3fast().priority(150);
        c1.extraInstance = "    virtual_ipaddress_excluded {\n        " + VrrpLab.VIP2 + "/24 dev eth0\n    }\n";
        c1.unicastSrc = "10.77.0.1";
        c1.unicastPeers = new String[] {"10.77.0.2"};
        Conf c2 = v3fast().priority(100);
        c2.unicastSrc = "10.77.0.2";
        c2.unicastPeers = new String[] {"10.77.0.1"};
        c2.extraInstance = c1.extraInstance;
        Process n1 = lab.javalived(1, c1.text(), "u1");
        lab.javalived(2, c2.text(), "u2");
        assertThat(holds(1, VrrpLab.VIP, Duration.ofSeconds(15))).isTrue();
        Thread.sleep(800);
        assertOnlyHolder(1, VrrpLab.VIP);
        assertOnlyHolder(1, VrrpLab.VIP2); // virtual_ipaddress_excluded: added with the VIPs, not advertised
        n1.destroyForcibly();
        assertThat(holds(2, VrrpLab.VIP, Duration.ofSeconds(4))).as(lab.log("u2")).isTrue();
    }

    @Test
    void vrrpV3OverIpv6() throws Exception {
        Conf c1 = v3fast().priority(150);
        c1.vip = VrrpLab.VIP6 + "/64";
        Conf c2 = v3fast().priority(100);
        c2.vip = VrrpLab.VIP6 + "/64";
        Process n1 = lab.javalived(1, c1.text(), "v1");
        lab.javalived(2, c2.text(), "v2");
        assertThat(holds(1, VrrpLab.VIP6, Duration.ofSeconds(15))).as(lab.log("v1")).isTrue();
        Thread.sleep(800);
        assertOnlyHolder(1, VrrpLab.VIP6);
        assertThat(lab.log("v1")).contains("VRRPv3 multicast source fe80:");
        // the client learns the VIP's MAC by neighbour discovery, then follows the unsolicited NA
        VrrpLab.out("ip netns exec " + lab.ns(3) + " ping -6 -c1 -W1 " + VrrpLab.VIP6);
        String mac1 = lab.mac(1);
        String mac2 = lab.mac(2);
        assertThat(VrrpLab.out("ip -n " + lab.ns(3) + " -6 neigh show " + VrrpLab.VIP6)).contains(mac1);
        n1.destroy();
        assertThat(holds(2, VrrpLab.VIP6, Duration.ofSeconds(4))).as(lab.log("v2")).isTrue();
        VrrpLab.waitExit(n1, 5);
        assertThat(lab.hasAddress(1, VrrpLab.VIP6)).isFalse();
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(3), () -> {
            try {
                return VrrpLab.out("ip -n " + lab.ns(3) + " -6 neigh show " + VrrpLab.VIP6).contains(mac2);
            } catch (java.io.IOException e) {
                return false;
            }
        })).as("client follows the unsolicited neighbour advertisement").isTrue();
    }
}
