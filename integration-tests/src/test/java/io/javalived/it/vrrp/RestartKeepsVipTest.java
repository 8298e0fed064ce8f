package io.javalived.it.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A non-owner master (priority 150, advert_int 1) killed with -9 and started again keeps its VIP: a TCP client on
 * another node connecting to a server bound to the VIP on the director loses nothing, and {@code ip monitor address}
 * in the director's namespace records no deletion of the VIP. With a master that wins the election present (Debian's
 * keepalived, higher priority, or equal priority and higher address) the restarted node releases the VIP and is
 * BACKUP. {@code --clean-start} keeps keepalived's start: the VIP is removed and added back master_down later.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestartKeepsVipTest {
    static final int PORT = 7007;
    private VrrpLab lab;
    private final List<Process> helpers = new ArrayList<>();

    @BeforeAll
    void up() throws Exception {
        lab = new VrrpLab(3);
        Files.writeString(lab.dir.resolve("server.py"), """
                import socket, sys, time
                vip, port, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
                s = socket.socket()
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.setsockopt(socket.SOL_IP, 15, 1)  # IP_FREEBIND: bind whether the VIP is there or not
                s.bind((vip, port))
                s.listen(128)
                s.settimeout(0.5)
                end = time.time() + seconds
                while time.time() < end:
                    try:
                        c, _ = s.accept()
                    except socket.timeout:
                        continue
                    c.sendall(b"ok\\n")
                    c.close()
                """);
        Files.writeString(lab.dir.resolve("client.py"), """
                import os, socket, sys, time
                vip, port, stop, out, seconds = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], float(sys.argv[5])
                ok = 0
                failed = []
                end = time.time() + seconds
                while time.time() < end and not os.path.exists(stop):
                    t = time.time()
                    try:
                        c = socket.create_connection((vip, port), timeout=0.5)
                        c.settimeout(0.5)
                        d = c.recv(16)
                        c.close()
                        if d.startswith(b"ok"):
                            ok += 1
                        else:
                            failed.append((round(t, 3), "answer %r" % d))
                    except Exception as e:
                        failed.append((round(t, 3), str(e)))
                    time.sleep(0.05)
                with open(out + ".tmp", "w") as f:
                    f.write("%d %d\\n%r\\n" % (ok, len(failed), failed))
                os.rename(out + ".tmp", out)
                """);
    }

    @AfterEach
    void reset() {
        for (Process p : helpers) {
            VrrpLab.stop(p, 3);
        }
        helpers.clear();
        lab.reset();
    }

    @AfterAll
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    private Process helper(int node, String logName, String... cmd) throws IOException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", lab.ns(node)));
        c.addAll(List.of(cmd));
        Process p = new ProcessBuilder(c).redirectErrorStream(true)
                .redirectOutput(lab.dir.resolve(logName).toFile()).start();
        helpers.add(p);
        return p;
    }

    private static Conf master150() {
        Conf c = new Conf();
        c.state = "MASTER";
        c.priority(150);
        return c;
    }

    private String read(String name) {
        try {
            return Files.readString(lab.dir.resolve(name));
        } catch (IOException e) {
            return "";
        }
    }

    private boolean logHas(String logName, String text) {
        return lab.log(logName).contains(text);
    }

    private void await(String what, Duration limit, String logName, java.util.function.BooleanSupplier c) {
        assertThat(VrrpLab.waitFor(limit, c)).as(what + "\n--- " + logName + ":\n" + lab.log(logName)).isTrue();
    }

    /** Starts node 1 (priority 150, state MASTER) and waits until it is MASTER with the VIP. */
    private Process firstMaster(String conf) throws Exception {
        Process p = lab.javalived(1, conf, "n1-first");
        await("first MASTER", Duration.ofSeconds(30), "n1-first",
                () -> logHas("n1-first", "Entering MASTER STATE") && lab.hasAddress(1, VrrpLab.VIP));
        return p;
    }

    /** {@code ip monitor address} in node 1's namespace, to a file. */
    private void monitorAddresses(String file) throws Exception {
        helper(1, file, "ip", "monitor", "address");
        Thread.sleep(300); // subscribed before anything happens
    }

    /** Lines of the monitor's record that delete the VIP. */
    private List<String> vipDeletions(String file) {
        return read(file).lines().filter(l -> l.startsWith("Deleted") && l.contains(" " + VrrpLab.VIP + "/"))
                .toList();
    }

    /** Starts the server on the VIP in node 1 and the client loop in node 2; returns the client's result file. */
    private Path clientLoop(String name, int seconds) throws Exception {
        helper(1, name + "-server.log", "python3", lab.dir.resolve("server.py").toString(), VrrpLab.VIP,
                "" + PORT, "" + (seconds + 30));
        Path out = lab.dir.resolve(name + "-client.txt");
        Path stop = lab.dir.resolve(name + "-client.stop");
        Thread.sleep(500);
        helper(2, name + "-client.log", "python3", lab.dir.resolve("client.py").toString(), VrrpLab.VIP, "" + PORT,
                stop.toString(), out.toString(), "" + seconds);
        return out;
    }

    /** Stops the client loop; returns {ok, failed} and prints its record. */
    private long[] stopClient(Path out) throws Exception {
        Files.writeString(Path.of(out.toString().replace("-client.txt", "-client.stop")), "");
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(10), () -> Files.exists(out))).as("client result").isTrue();
        String text = Files.readString(out);
        System.out.println("client loop: " + text.lines().findFirst().orElse("") + " (ok failed)");
        String[] f = text.lines().findFirst().orElseThrow().split(" ");
        if (!"0".equals(f[1])) {
            System.out.println("client failures: " + text);
        }
        return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
    }

    @Test
    void tenKillNineRestartsKeepTheVipAndLoseNoRequest() throws Exception {
        String conf = master150().text();
        Process p = firstMaster(conf);
        monitorAddresses("monitor.txt");
        Path client = clientLoop("ten", 600);
        await("client loop running", Duration.ofSeconds(20), "ten-client.log",
                () -> lab.hasAddress(1, VrrpLab.VIP));
        Thread.sleep(1000);
        List<String> figures = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            p.destroyForcibly(); // SIGKILL: ip netns exec has exec'd java under the same pid
            VrrpLab.waitExit(p, 10);
            assertThat(p.isAlive()).isFalse();
            assertThat(lab.hasAddress(1, VrrpLab.VIP)).as("the kernel keeps the VIP of a killed daemon").isTrue();
            String name = "n1-restart" + i;
            long t0 = System.nanoTime();
            p = lab.javalived(1, conf, name);
            Process started = p;
            await("restart " + i + " running", Duration.ofSeconds(60), name,
                    () -> logHas(name, "javalived running") || !started.isAlive());
            long running = System.nanoTime();
            await("restart " + i + " MASTER", Duration.ofSeconds(30), name,
                    () -> logHas(name, "Entering MASTER STATE"));
            long master = System.nanoTime();
            String log = lab.log(name);
            assertThat(log).contains("VRRP_Instance(VI_1) Found its VIPs set at start - keeping them while listening"
                    + " for a master for 3.414062 s")
                    .doesNotContain("Entering BACKUP STATE").doesNotContain("removing protocol VIPs");
            assertThat(lab.hasAddress(1, VrrpLab.VIP)).isTrue();
            figures.add(String.format("restart %d: running after %d ms, MASTER after %d ms", i,
                    (running - t0) / 1_000_000, (master - t0) / 1_000_000));
            Thread.sleep(500);
        }
        figures.forEach(System.out::println);
        long[] r = stopClient(client);
        assertThat(r[1]).as("requests lost across 10 kill -9 + restart cycles").isZero();
        assertThat(r[0]).as("requests answered").isGreaterThan(100);
        assertThat(vipDeletions("monitor.txt")).as("ip monitor address: the VIP is never deleted\n"
                + read("monitor.txt")).isEmpty();
        System.out.println("ip monitor address recorded " + read("monitor.txt").lines().count() + " line(s), "
                + vipDeletions("monitor.txt").size() + " deletion(s) of " + VrrpLab.VIP);
    }

    /** A master that wins the election against the restarted node: higher priority, or equal and higher address. */
    @ParameterizedTest(name = "keepalived peer priority {0}")
    @CsvSource({"200", "150"})
    void aWinningKeepalivedMasterMakesTheRestartedNodeReleaseTheVip(int peerPriority) throws Exception {
        Process p = firstMaster(master150().text());
        p.destroyForcibly();
        VrrpLab.waitExit(p, 10);
        assertThat(lab.hasAddress(1, VrrpLab.VIP)).isTrue();
        Conf peer = new Conf().priority(peerPriority);
        lab.keepalived(2, peer.text(), "k2");
        await("keepalived MASTER on node 2", Duration.ofSeconds(30), "k2", () -> lab.hasAddress(2, VrrpLab.VIP));
        monitorAddresses("monitor-peer" + peerPriority + ".txt");
        String name = "n1-peer" + peerPriority;
        lab.javalived(1, master150().text(), name);
        await("restarted node BACKUP", Duration.ofSeconds(60), name, () -> logHas(name, "Entering BACKUP STATE"));
        String reason = peerPriority > 150 ? "with higher priority " + peerPriority + ", ours 150"
                : "with same priority 150 but higher IP address than ours";
        assertThat(lab.log(name)).contains("VRRP_Instance(VI_1) Found its VIPs set at start")
                .contains("VRRP_Instance(VI_1) Received advert from 10.77.0.2 " + reason + " - releasing its VIPs");
        await("VIP released", Duration.ofSeconds(5), name, () -> !lab.hasAddress(1, VrrpLab.VIP));
        Thread.sleep(5000); // several master_down intervals: it stays BACKUP
        assertThat(lab.log(name)).doesNotContain("Entering MASTER STATE");
        assertThat(lab.hasAddress(1, VrrpLab.VIP)).isFalse();
        assertThat(lab.hasAddress(2, VrrpLab.VIP)).isTrue();
        assertThat(vipDeletions("monitor-peer" + peerPriority + ".txt")).hasSize(1);
    }

    /** keepalived's start, kept behind --clean-start: the VIP is deleted at start and requests are lost. */
    @Test
    void cleanStartRemovesTheVipAsKeepalived() throws Exception {
        String conf = master150().text();
        Process p = firstMaster(conf);
        monitorAddresses("monitor-clean.txt");
        Path client = clientLoop("clean", 120);
        Thread.sleep(1500);
        p.destroyForcibly();
        VrrpLab.waitExit(p, 10);
        lab.javalived(1, conf, "n1-clean", "--clean-start");
        await("MASTER again", Duration.ofSeconds(60), "n1-clean", () -> logHas("n1-clean", "Entering MASTER STATE"));
        Thread.sleep(1000);
        long[] r = stopClient(client);
        assertThat(lab.log("n1-clean")).contains("VRRP_Instance(VI_1) Entering BACKUP STATE (init)")
                .doesNotContain("Found its VIPs");
        assertThat(vipDeletions("monitor-clean.txt")).hasSize(1);
        assertThat(r[1]).as("keepalived's start loses requests for about master_down").isGreaterThan(0);
    }
}
