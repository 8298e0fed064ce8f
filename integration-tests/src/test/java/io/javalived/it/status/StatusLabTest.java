package io.javalived.it.status;

import static org.assertj.core.api.Assertions.assertThat;
import static io.javalived.it.lab.Shell.out;
import static io.javalived.it.lab.Shell.sh;

import io.javalived.checkers.CheckStatus;
import io.javalived.checkers.FailureClass;
import io.javalived.daemon.ControlClient;
import io.javalived.director.status.DaemonStatus;
import io.javalived.director.status.RealServerStatus;
import io.javalived.daemon.StatusJson;
import io.javalived.director.status.VirtualServerStatus;
import io.javalived.vrrp.runtime.InstanceStatus;
import io.javalived.vrrp.runtime.InstanceStatus.TrackerStatus;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code javalived status [--json]} against a lab with a known state (root; network namespaces; no IPVS needed:
 * the daemons run {@code --ipvs-dry-run}).
 *
 * <p>Lab (namespaces {@code jvstPID*}, one bridge): node A (10.78.0.1, priority 150, track_script chk_ok weight
 * +10) and node B (10.78.0.2, priority 100, chk_ok +10 and chk_bad weight -20) share VIP 10.78.0.100 in VRRP
 * instance VI_WEB; both run the virtual server 10.78.0.100:80 (rr NAT, quorum 1, sorry server 10.78.0.13:80) with
 * web1 10.78.0.11:80 (python3 http.server: healthy) and web2 10.78.0.12:80 (the address answers, nothing listens:
 * TCP_CHECK fails with connection refused). So A is MASTER with priority 160, B BACKUP with 90; web1 is UP and in
 * the pool, web2 DOWN with CONNECTION_REFUSED; quorum is up with 1 of 2 real servers.
 *
 * <p>The daemons are real {@code javalived run} processes (the cli classes on this test's class path, as the other
 * labs start them); {@code javalived status} runs as its own process, as an operator would run it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusLabTest {
    static final String VIP = "10.78.0.100";
    final String tag = "jvst" + ProcessHandle.current().pid() % 100000;
    final String bridge = tag + "b";
    final List<String> namespaces = new ArrayList<>();
    final List<Process> procs = new ArrayList<>();
    Path dir;
    Path pidA;
    Path pidB;

    @BeforeAll
    void lab() throws Exception {
        dir = Files.createTempDirectory(tag);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
            sh("ip netns add " + bridge);
            namespaces.add(bridge);
            sh("ip -n " + bridge + " link set lo up");
            sh("ip -n " + bridge + " link add br0 type bridge stp_state 0 mcast_snooping 0");
            sh("ip -n " + bridge + " link set br0 up");
            node(1, "a", "10.78.0.1");
            node(2, "b", "10.78.0.2");
            node(3, "w1", "10.78.0.11");
            node(4, "w2", "10.78.0.12");
            Path www = dir.resolve("www");
            Files.createDirectories(www);
            Files.writeString(www.resolve("index.html"), "web1\n");
            procs.add(new ProcessBuilder("ip", "netns", "exec", tag + "_w1", "/usr/bin/python3", "-m", "http.server",
                    "80", "--bind", "10.78.0.11", "--directory", www.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("web1.log").toFile()).start());
            pidA = dir.resolve("a.pid");
            pidB = dir.resolve("b.pid");
            procs.add(daemon("a", 150, "    track_script {\n        chk_ok\n    }\n"));
            procs.add(daemon("b", 100, "    track_script {\n        chk_ok\n        chk_bad\n    }\n"));
        } catch (IOException | RuntimeException e) {
            cleanUp();
            throw e;
        }
    }

    private void node(int i, String name, String addr) throws IOException {
        String ns = tag + "_" + name;
        sh("ip netns add " + ns);
        namespaces.add(ns);
        sh("ip link add " + tag + "v" + i + " netns " + ns + " type veth peer name p" + i + " netns " + bridge);
        sh("ip -n " + ns + " link set " + tag + "v" + i + " name eth0");
        sh("ip -n " + ns + " link set lo up");
        sh("ip -n " + ns + " addr add " + addr + "/24 dev eth0");
        sh("ip -n " + ns + " link set eth0 up");
        sh("ip -n " + bridge + " link set p" + i + " master br0");
        sh("ip -n " + bridge + " link set p" + i + " up");
    }

    static String conf(String node, int priority, String tracks) {
        return "global_defs {\n    router_id jvst_" + node + "\n    vrrp_garp_master_delay 1\n"
                + "    vrrp_garp_master_repeat 1\n}\n"
                + "vrrp_script chk_ok {\n    script \"/bin/true\"\n    interval 1\n    weight 10\n    rise 1\n"
                + "    fall 1\n}\n"
                + "vrrp_script chk_bad {\n    script \"/bin/false\"\n    interval 1\n    weight -20\n    rise 1\n"
                + "    fall 1\n}\n"
                + "vrrp_instance VI_WEB {\n    state BACKUP\n    interface eth0\n    virtual_router_id 78\n"
                + "    priority " + priority + "\n    advert_int 1\n" + tracks
                + "    virtual_ipaddress {\n        " + VIP + "/24 dev eth0\n    }\n}\n"
                + "virtual_server " + VIP + " 80 {\n    delay_loop 1\n    lb_algo rr\n    lb_kind NAT\n"
                + "    protocol TCP\n    quorum 1\n    sorry_server 10.78.0.13 80\n"
                + "    real_server 10.78.0.11 80 {\n        weight 1\n        TCP_CHECK {\n"
                + "            connect_timeout 1\n            retry 1\n            delay_before_retry 1\n"
                + "        }\n    }\n"
                + "    real_server 10.78.0.12 80 {\n        weight 1\n        TCP_CHECK {\n"
                + "            connect_timeout 1\n            retry 1\n            delay_before_retry 1\n"
                + "        }\n    }\n}\n";
    }

    private Process daemon(String node, int priority, String tracks) throws IOException {
        Path f = dir.resolve(node + ".conf");
        Files.writeString(f, conf(node, priority, tracks));
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", tag + "_" + node));
        cmd.addAll(java());
        cmd.addAll(List.of("run", "--ipvs-dry-run", "--no-metrics", "-p", dir.resolve(node + ".pid").toString(),
                "-f", f.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(node + ".log").toFile())
                .start();
    }

    /** java ... io.javalived.cli.Main (the launcher as a command line). */
    private static List<String> java() {
        return List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-XX:+UseSerialGC", "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp",
                System.getProperty("java.class.path"), "io.javalived.cli.Main");
    }

    private record Run(int code, String out, String err) {}

    /** {@code javalived ARGS} as a process (on the host: the socket is a file), bounded to 60 s. */
    private Run javalived(String... args) throws Exception {
        return javalivedIn(null, args);
    }

    /** {@code javalived ARGS} in namespace {@code node} (null: on the host), bounded to 60 s. */
    private Run javalivedIn(String node, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (node != null) {
            cmd.addAll(List.of("ip", "netns", "exec", tag + "_" + node));
        }
        cmd.addAll(java());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("javalived " + String.join(" ", args) + " finished")
                    .isTrue();
        } finally {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Polls the daemon's socket (in-process client) until {@code ok} holds; returns the last status. */
    private DaemonStatus await(Path pid, Predicate<DaemonStatus> ok, Duration limit) throws Exception {
        Path sock = Path.of(pid.toString().replace(".pid", ".sock"));
        long end = System.nanoTime() + limit.toNanos();
        DaemonStatus last = null;
        while (System.nanoTime() < end) {
            try {
                last = StatusJson.read(ControlClient.request(sock, "status", Duration.ofSeconds(5)));
                if (ok.test(last)) {
                    return last;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        return last;
    }

    private static boolean settled(DaemonStatus s, String state, int prio) {
        if (s.instances().size() != 1 || s.virtualServers().size() != 1) {
            return false;
        }
        InstanceStatus i = s.instances().get(0);
        VirtualServerStatus v = s.virtualServers().get(0);
        return i.state().equals(state) && i.effectivePriority() == prio && v.realServers().size() == 2
                && v.realServers().get(0).alive() && !v.realServers().get(1).alive()
                && v.realServers().get(1).checks().get(0).lastFailure() != null
                && v.realServers().get(0).checks().get(0).lastAt() != null;
    }

    @Test
    void statusJsonShowsTheLabsKnownState() throws Exception {
        assertThat(await(pidA, s -> settled(s, "MASTER", 160), Duration.ofSeconds(40))).as(log("a"))
                .matches(s -> settled(s, "MASTER", 160));
        assertThat(await(pidB, s -> settled(s, "BACKUP", 90), Duration.ofSeconds(20))).as(log("b"))
                .matches(s -> settled(s, "BACKUP", 90));

        // node A, through the real command line
        Run a = javalived("status", "--json", "-p", pidA.toString());
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(a.err()).isEmpty();
        @SuppressWarnings("unchecked")
        Map<String, Object> raw = (Map<String, Object>) StatusJson.parse(a.out());
        assertThat(raw).containsEntry("ipvs", "dry-run").containsEntry("configFile", dir.resolve("a.conf").toString());
        DaemonStatus sa = StatusJson.read(a.out());
        assertThat(sa.pid()).isEqualTo(Long.parseLong(Files.readString(pidA).trim()));
        assertThat(sa.startedAt()).isNotNull();
        InstanceStatus ia = sa.instances().get(0);
        assertThat(ia.name()).isEqualTo("VI_WEB");
        assertThat(ia.state()).isEqualTo("MASTER");
        assertThat(ia.basePriority()).isEqualTo(150);
        assertThat(ia.effectivePriority()).isEqualTo(160);
        assertThat(ia.vrid()).isEqualTo(78);
        assertThat(ia.interfaceName()).isEqualTo("eth0");
        assertThat(ia.virtualIps()).containsExactly(VIP + "/24 dev eth0");
        assertThat(ia.masterSince()).isNotNull().isBeforeOrEqualTo(java.time.Instant.now());
        // track_script, then the instance's own interface (tracked implicitly, weight 0: FAULT when down)
        assertThat(ia.trackers()).containsExactly(
                new TrackerStatus("script", "chk_ok", true, 10, false, 10, false, null),
                new TrackerStatus("interface", "eth0", true, 0, false, 0, false, null));
        assertThat(ia.counters().get("become_master")).isEqualTo(1);
        assertThat(ia.counters().get("advert_sent")).isPositive();
        assertThat(hasAddress("a", VIP)).isTrue(); // the status says what the kernel shows
        assertVirtualServer(sa.virtualServers().get(0));

        // node B
        Run b = javalived("status", "--json", "-p", pidB.toString());
        assertThat(b.code()).as(b.err()).isZero();
        DaemonStatus sb = StatusJson.read(b.out());
        InstanceStatus ib = sb.instances().get(0);
        assertThat(ib.state()).isEqualTo("BACKUP");
        assertThat(ib.basePriority()).isEqualTo(100);
        assertThat(ib.effectivePriority()).isEqualTo(90);
        assertThat(ib.masterSince()).isNull();
        assertThat(ib.stateSince()).isNotNull();
        assertThat(ib.trackers()).containsExactly(
                new TrackerStatus("script", "chk_ok", true, 10, false, 10, false, null),
                new TrackerStatus("script", "chk_bad", false, -20, false, -20, false, null),
                new TrackerStatus("interface", "eth0", true, 0, false, 0, false, null));
        assertThat(ib.counters().get("advert_rcvd")).isPositive();
        assertThat(hasAddress("b", VIP)).isFalse();
        assertVirtualServer(sb.virtualServers().get(0));

        // the JSON names the operator reads
        @SuppressWarnings("unchecked")
        Map<String, Object> trb = ((List<Map<String, Object>>) ((List<Map<String, Object>>) ((Map<String, Object>)
                StatusJson.parse(b.out())).get("instances")).get(0).get("trackers")).get(1);
        assertThat(trb).containsEntry("name", "chk_bad").containsEntry("state", "BAD");
    }

    private static void assertVirtualServer(VirtualServerStatus v) {
        assertThat(v.name()).isEqualTo("[" + VIP + "]:tcp:80");
        assertThat(v.scheduler()).isEqualTo("rr");
        assertThat(v.forwarding()).isEqualTo("NAT");
        assertThat(v.quorum()).isEqualTo(1);
        assertThat(v.quorumUp()).isTrue();
        assertThat(v.realServersUp()).isEqualTo(1);
        assertThat(v.realServersTotal()).isEqualTo(2);
        assertThat(v.aliveWeight()).isEqualTo(1);
        assertThat(v.sorryServer()).isEqualTo("10.78.0.13:80");
        assertThat(v.sorryActive()).isFalse();
        assertThat(v.suspended()).isFalse();
        RealServerStatus web1 = v.realServers().get(0);
        assertThat(web1.address()).isEqualTo("10.78.0.11:80");
        assertThat(web1.alive()).isTrue();
        assertThat(web1.inPool()).isTrue();
        assertThat(web1.weight()).isEqualTo(1);
        CheckStatus c1 = web1.checks().get(0);
        assertThat(c1.name()).contains("TCP_CHECK").contains("10.78.0.11");
        assertThat(c1.up()).isTrue();
        assertThat(c1.lastOk()).isTrue();
        assertThat(c1.consecutiveFailures()).isZero();
        assertThat(c1.lastDurationNanos()).isNotNegative();
        RealServerStatus web2 = v.realServers().get(1);
        assertThat(web2.address()).isEqualTo("10.78.0.12:80");
        assertThat(web2.alive()).isFalse();
        assertThat(web2.inPool()).isFalse();
        assertThat(web2.since()).isNotNull();
        CheckStatus c2 = web2.checks().get(0);
        assertThat(c2.up()).isFalse();
        assertThat(c2.lastOk()).isFalse();
        assertThat(c2.lastFailure()).isEqualTo(FailureClass.CONNECTION_REFUSED);
        assertThat(c2.lastReason()).contains("10.78.0.12");
        assertThat(c2.consecutiveFailures()).isPositive();
        assertThat(c2.failures()).isPositive();
    }

    @Test
    void statusTextAndTheDryRunTable() throws Exception {
        assertThat(await(pidA, s -> settled(s, "MASTER", 160), Duration.ofSeconds(40))).as(log("a"))
                .matches(s -> settled(s, "MASTER", 160));
        Run t = javalived("status", "--ipvs", "-p", pidA.toString());
        assertThat(t.code()).as(t.err()).isZero();
        String out = t.out();
        assertThat(out).containsPattern("(?m)^  VI_WEB  MASTER  prio 160 \\(base 150\\)  vrid 78  eth0  since "
                + "\\S+Z \\(\\S+\\)  VIPs 10\\.78\\.0\\.100/24$");
        assertThat(out).containsPattern("(?m)^    track_script chk_ok +GOOD  weight \\+10  effect \\+10$");
        assertThat(out).containsPattern("(?m)^  \\[10\\.78\\.0\\.100\\]:tcp:80  rr NAT  quorum UP \\(alive weight 1, "
                + "quorum 1\\)  real servers 1/2 up$");
        assertThat(out).containsPattern("(?m)^    10\\.78\\.0\\.11:80  UP    weight 1  in pool ");
        assertThat(out).containsPattern("(?m)^    10\\.78\\.0\\.12:80  DOWN  weight 1  not in pool ");
        assertThat(out).containsPattern("(?m)^      TCP_CHECK .*DOWN  last FAILED CONNECTION_REFUSED ");
        // the dry-run table: web1 in, web2 out
        assertThat(out).contains("IPVS table (dry run - what javalived would program; the kernel is not touched):\n"
                + "IP Virtual Server version 1.2.1 (size=4096)\n");
        assertThat(out).containsPattern("(?m)^TCP  10\\.78\\.0\\.100:80 rr$");
        assertThat(out).containsPattern("(?m)^  -> 10\\.78\\.0\\.11:80 +Masq +1 ");
        assertThat(out).doesNotContain("-> 10.78.0.12:80");
        Path sample = Path.of("target", "STATUS-SAMPLE.txt");
        Files.createDirectories(sample.getParent());
        Files.writeString(sample, "# javalived status --ipvs (node A of StatusLabTest)\n" + out);
    }

    @Test
    void noDaemonExits3WithAMessageAndASecondDaemonIsRefused() throws Exception {
        Path none = dir.resolve("none.pid");
        Run r = javalived("status", "--json", "-p", none.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().trim()).isEqualTo("javalived status: no javalived daemon answers on "
                + dir.resolve("none.sock") + " (no such socket) - is it running? (systemctl status javalived) - or "
                + "give --control-socket / -p of the running daemon");

        // the same -p as node A: refused before it touches anything
        assertThat(await(pidA, s -> !s.instances().isEmpty(), Duration.ofSeconds(40))).isNotNull();
        String pid = Files.readString(pidA).trim();
        // (in node A's namespace: were it not refused, it would act only inside the lab)
        Run again = javalivedIn("a", "run", "--ipvs-dry-run", "--no-metrics", "-p", pidA.toString(), "-f",
                dir.resolve("a.conf").toString());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("javalived run: another javalived is running (pid " + pid + ") on "
                + dir.resolve("a.sock") + " - stop it or give --control-socket");
        assertThat(Files.readString(pidA).trim()).isEqualTo(pid);
    }

    @Test
    void theSocketGoesWithTheDaemonAndAStaleOneIsReplaced() throws Exception {
        // a checkers-only daemon in web2's namespace (checks reach web1 inside the lab)
        Path f = dir.resolve("c.conf");
        Files.writeString(f, "virtual_server 10.78.0.200 80 {\n    delay_loop 1\n    lb_algo rr\n    lb_kind NAT\n"
                + "    protocol TCP\n    real_server 10.78.0.11 80 {\n        TCP_CHECK {\n"
                + "            connect_timeout 1\n        }\n    }\n}\n");
        Path pid = dir.resolve("c.pid");
        Path sock = dir.resolve("c.sock");
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", tag + "_w2"));
        cmd.addAll(java());
        cmd.addAll(List.of("run", "--ipvs-dry-run", "--no-metrics", "-p", pid.toString(), "-f", f.toString()));
        Predicate<DaemonStatus> up = s -> s.virtualServers().size() == 1;

        Process c = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("c1.log").toFile())
                .start();
        procs.add(c);
        assertThat(await(pid, up, Duration.ofSeconds(40))).as(log("c1")).matches(up);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock))).isEqualTo("rw-------");
        c.destroy(); // SIGTERM: a clean stop removes the socket
        assertThat(c.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(sock).doesNotExist();

        c = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("c2.log").toFile()).start();
        procs.add(c);
        assertThat(await(pid, up, Duration.ofSeconds(40))).as(log("c2")).matches(up);
        c.destroyForcibly(); // kill -9: the socket file stays, nobody answers
        assertThat(c.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(sock).exists();
        Run r = javalived("status", "-p", pid.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("no javalived daemon answers on " + sock + " (connection refused");

        c = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("c3.log").toFile()).start();
        procs.add(c);
        DaemonStatus s = await(pid, up, Duration.ofSeconds(40));
        assertThat(s).as(log("c3")).matches(up);
        assertThat(s.pid()).isEqualTo(c.pid()); // ip netns exec execs java: same pid
        assertThat(s.instances()).isEmpty();
    }

    private boolean hasAddress(String node, String addr) throws IOException {
        return out("ip -n " + tag + "_" + node + " -o addr show dev eth0").contains(" " + addr + "/");
    }

    private String log(String node) {
        try {
            return Files.readString(dir.resolve(node + ".log"));
        } catch (IOException e) {
            return "";
        }
    }

    @AfterAll
    void cleanUp() {
        for (Process p : procs) {
            if (p.isAlive()) {
                p.destroy(); // SIGTERM: the daemon releases its VIP and removes its socket
            }
        }
        for (Process p : procs) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String ns : namespaces) {
            try {
                out("ip netns del " + ns);
            } catch (IOException ignored) {
                // best effort
            }
        }
        if (dir != null && !Boolean.getBoolean("javalived.keepLab")) {
            try {
                out("rm -rf " + dir);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
