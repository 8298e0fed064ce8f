package io.javalived.it.run;

import static io.javalived.it.run.RunLabs.adverts;
import static io.javalived.it.run.RunLabs.count;
import static io.javalived.it.run.RunLabs.gaps;
import static io.javalived.it.run.RunLabs.inNs;
import static io.javalived.it.run.RunLabs.java;
import static io.javalived.it.run.RunLabs.launcherEnv;
import static io.javalived.it.run.RunLabs.memory;
import static io.javalived.it.run.RunLabs.realServersUp;
import static io.javalived.it.run.RunLabs.tail;
import static io.javalived.it.run.RunLabs.tcpdump;
import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.it.checkers.BenchServers;
import io.javalived.it.lab.Percentile;
import io.javalived.it.vrrp.VrrpLab;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, "VRRP under load": the real {@code javalived run --ipvs-dry-run} (started by the launcher with its daemon
 * JVM options, or {@code -Dbench.javaOpts}) as VRRPv3 MASTER at advert_int 0.02 while the same JVM runs
 * {@code bench.checks} (10,000) TCP_CHECK real servers at delay_loop 1 — 10,000 checks/s — for {@code bench.duration}
 * seconds (600), with Debian's keepalived 2.2.7 as BACKUP (priority 100) on the peer node of a {@link VrrpLab}.
 * The real servers are {@link BenchServers} listeners on node 1's loopback (own JVM).
 *
 * <p>Targets: no spurious transition (keepalived never enters MASTER, javalived logs no state change after it
 * became MASTER), and the deviation of javalived's advert gaps from 20 ms, from pcap timestamps on the lab's bridge
 * (what keepalived receives): p99 ≤ 2 ms, max ≤ 10 ms. Also printed: the gaps as sent (tcpdump on javalived's own
 * eth0), p50/p99/max of the gaps themselves, the largest gaps with their time, the checks/s achieved as sent (the
 * connects of node 1's namespace, TcpActiveOpens: only the daemon connects there) and as received (the listeners'
 * accepted handshakes, TcpPassiveOpens), both from the kernel's counters so that nothing reads the daemon during the
 * window ({@code /metrics} of 10,000 checkers is itself a read load), the daemon's CPU and peak Pss, and the
 * load average before and after (the machine's other work shows in every figure). The check load must reach 99 % of
 * its nominal rate for the run to count. When {@code cyclictest} (Debian's rt-tests) is installed it runs over the
 * same window at the VRRP thread's policy and priority, waking every 20 ms, and its lateness is printed as the
 * machine's floor: a maximum gap below that floor is the platform's, not the daemon's.
 *
 * <pre>
 * mvn -B -o -q -pl cli -am package -DskipTests
 * mvn -B -o -pl integration-tests test -Dtest=VrrpSoakBenchmark -DexcludedGroups= -Dgroups=benchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.duration=600] [-Dbench.checks=10000] \
 *     [-Dbench.javaOpts='...'] [-Dbench.launcher=/path/to/javalived] [-Dbench.jar=/path/to/javalived.jar]
 * </pre>
 * Figures and their reading: README, Benchmarks.
 */
@Tag("benchmark")
class VrrpSoakBenchmark {
    private static final int DURATION = Integer.getInteger("bench.duration", 600);
    private static final int CHECKS = Integer.getInteger("bench.checks", 10_000);
    private static final int PER_VIRTUAL_SERVER = 250;
    private static final int PORT = 8080;
    private static final double ADVERT_MS = 20;
    private static final double P99_TARGET_MS = 2;
    private static final double MAX_TARGET_MS = 10;
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    private static String conf() {
        StringBuilder sb = new StringBuilder("""
                global_defs {
                    router_id jvsoak
                    vrrp_version 3
                }
                vrrp_instance VI_1 {
                    state MASTER
                    interface eth0
                    virtual_router_id 51
                    priority 200
                    advert_int 0.02
                    virtual_ipaddress {
                        %s/24 dev eth0
                    }
                }
                """.formatted(VrrpLab.VIP));
        for (int v = 0, rs = 0; rs < CHECKS; v++) {
            sb.append("virtual_server 10.99.").append(v / 250).append('.').append(v % 250 + 1).append(" 80 {\n")
                    .append("    delay_loop 1\n    lb_algo rr\n    lb_kind NAT\n    protocol TCP\n");
            for (int i = 0; i < PER_VIRTUAL_SERVER && rs < CHECKS; i++, rs++) {
                sb.append("    real_server ").append(BenchServers.address(rs)).append(' ').append(PORT)
                        .append(" {\n        weight 1\n        TCP_CHECK {\n            connect_timeout 2\n"
                                + "        }\n    }\n");
            }
            sb.append("}\n");
        }
        return sb.toString();
    }

    private static String backupConf() {
        return """
                global_defs {
                    router_id jvsoakb
                    vrrp_version 3
                }
                vrrp_instance VI_1 {
                    state BACKUP
                    interface eth0
                    virtual_router_id 51
                    priority 100
                    advert_int 0.02
                    virtual_ipaddress {
                        %s/24 dev eth0
                    }
                }
                """.formatted(VrrpLab.VIP);
    }

    /** What is read at each end of the window. */
    private record Snapshot(double epoch, long activeOpens, long attemptFails, long passiveOpens, long cpuTicks,
                            String load) {
    }

    @Test
    void vrrpSoak() throws Exception {
        String launcher = System.getProperty("bench.launcher", ROOT.resolve("javalived").toString());
        String jar = System.getProperty("bench.jar", ROOT.resolve("cli/target/javalived.jar").toString());
        String javaOpts = System.getProperty("bench.javaOpts", "");
        assertThat(Path.of(jar)).as("the jar (mvn -B -o -q -pl cli -am package -DskipTests)").exists();
        List<String> report = new ArrayList<>();
        try (VrrpLab lab = new VrrpLab(2)) {
            Path conf = lab.dir.resolve("soak.conf");
            Files.writeString(conf, conf());
            Path sock = lab.dir.resolve("soak.sock");
            Path log = lab.dir.resolve("javalived.log");
            Path pcap = lab.dir.resolve("bridge.pcap");
            Path egressPcap = lab.dir.resolve("egress.pcap");
            Process servers = null;
            Process node = null;
            Process keepalived = null;
            Process bridge = null;
            Process egress = null;
            Process floor = null;
            try {
                servers = inNs(lab, List.of(java(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                        BenchServers.class.getName(), String.valueOf(CHECKS), "tcp", String.valueOf(PORT)),
                        lab.dir.resolve("servers.log"), "");
                String ready = new String(servers.getInputStream().readNBytes(5), StandardCharsets.UTF_8);
                assertThat(ready).as("listeners started (" + lab.dir.resolve("servers.log") + ")").isEqualTo("READY");
                long started = System.nanoTime();
                node = inNs(lab, List.of(launcher, "run", "--ipvs-dry-run", "-f", conf.toString(),
                        "-p", lab.dir.resolve("soak.pid").toString(), "-S", sock.toString()), log, launcherEnv(jar, javaOpts));
                Process n = node;
                boolean up = VrrpLab.waitFor(Duration.ofSeconds(300), () -> {
                    if (!n.isAlive() || !lab.hasAddress(1, VrrpLab.VIP) || realServersUp(sock) < CHECKS) {
                        sleep(2000);
                        return false;
                    }
                    return true;
                });
                assertThat(up).as("javalived MASTER with every real server up:\n" + tail(log)).isTrue();
                double upSeconds = (System.nanoTime() - started) / 1e9;
                long pid = node.pid();
                keepalived = lab.keepalived(2, backupConf(), "keepalived");
                bridge = tcpdump(lab.bridgeNamespace(), "br0", pcap, "");
                egress = tcpdump(lab.ns(1), "eth0", egressPcap, "src host 10.77.0.1");
                Thread.sleep(3000); // keepalived settles in BACKUP; tcpdump is listening
                floor = platformFloor(lab.dir.resolve("cyclictest.txt"), DURATION, (int) ADVERT_MS);
                long logMark = Files.size(log);
                Snapshot s0 = snapshot(lab, pid);
                long end = System.nanoTime() + DURATION * 1_000_000_000L;
                long pssMax = 0;
                while (System.nanoTime() < end) {
                    pssMax = Math.max(pssMax, memory(pid)[1]);
                    Thread.sleep(Math.min(5000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                }
                Snapshot s1 = snapshot(lab, pid);
                String heap = VrrpLab.out("jcmd " + pid + " GC.heap_info 2>/dev/null | head -3").trim();
                Thread.sleep(300);
                bridge.destroy();
                VrrpLab.waitExit(bridge, 5);
                egress.destroy();
                VrrpLab.waitExit(egress, 5);

                // ---- figures
                List<double[]> onBridge = adverts(pcap);
                List<Double> received = gaps(onBridge, 1, s0.epoch());
                List<Double> sent = gaps(adverts(egressPcap), 1, s0.epoch());
                int keepalivedAdverts = (int) onBridge.stream().filter(a -> a[1] == 2).count();
                Path kaLogFile = lab.dir.resolve("keepalived.log");
                int kaMaster = count(Files.readString(kaLogFile), "Entering MASTER STATE");
                String jvLog = Files.readString(log);
                String window = jvLog.substring((int) Math.min(logMark, jvLog.length()));
                int jvTransitions = (int) window.lines().filter(l -> l.contains("Entering ") && l.contains(" STATE")).count();
                double secs = s1.epoch() - s0.epoch();
                double failed = (s1.attemptFails() - s0.attemptFails()) / secs;
                double connects = (s1.activeOpens() - s0.activeOpens()) / secs;
                double accepted = (s1.passiveOpens() - s0.passiveOpens()) / secs;
                double cpu = (s1.cpuTicks() - s0.cpuTicks()) / 100.0 / secs;
                List<Double> dev = received.stream().map(g -> Math.abs(g - ADVERT_MS)).toList();
                List<Double> devSent = sent.stream().map(g -> Math.abs(g - ADVERT_MS)).toList();
                double p99 = Percentile.of(dev, 99);
                double max = Percentile.of(dev, 100);
                report.add(String.format(Locale.ROOT, "VRRP soak: VRRPv3 advert_int 0.02 MASTER + %d TCP_CHECK at "
                                + "delay_loop 1 in one JVM (javalived run --ipvs-dry-run), keepalived 2.2.7 BACKUP, "
                                + "%.0f s, JVM: %s", CHECKS, secs,
                        javaOpts.isEmpty() ? "launcher defaults" : javaOpts));
                report.add(String.format(Locale.ROOT, "  start to MASTER with every real server up: %.1f s",
                        upSeconds));
                report.add(gapLine("received (bridge)", received, dev));
                report.add(gapLine("sent (javalived's eth0)", sent, devSent));
                report.add(String.format(Locale.ROOT, "  checks/s: as sent %.0f (connects, TcpActiveOpens; failed "
                                + "%.1f/s) | as received %.0f (the listeners' TcpPassiveOpens)", connects, failed,
                        accepted));
                report.add("  largest gaps received (s into the window: ms): " + largest(onBridge, s0.epoch()));
                report.add(String.format(Locale.ROOT, "  javalived CPU %.2f cores, peak Pss %.0f MB | %s", cpu,
                        pssMax / 1024.0, heap.replace('\n', ' ')));
                report.add(String.format(Locale.ROOT, "  keepalived: %d transitions to MASTER, %d adverts sent | "
                        + "javalived: %d state changes in the window", kaMaster, keepalivedAdverts, jvTransitions));
                report.add("  load average before: " + s0.load() + " | after: " + s1.load());
                report.add("  the machine's floor: "
                        + floorLine(floor, lab.dir.resolve("cyclictest.txt"), (int) ADVERT_MS));
                report.add(verdict("keepalived transitions to MASTER = 0", kaMaster == 0));
                report.add(verdict("javalived spurious transitions = 0", jvTransitions == 0));
                report.add(verdict(String.format(Locale.ROOT, "gap deviation p99 <= %.0f ms (%.3f)", P99_TARGET_MS,
                        p99), p99 <= P99_TARGET_MS));
                report.add(verdict(String.format(Locale.ROOT, "gap deviation max <= %.0f ms (%.3f)", MAX_TARGET_MS,
                        max), max <= MAX_TARGET_MS));
                report.add(verdict(String.format(Locale.ROOT, "check load >= 99 %% of %d/s (as received %.0f)",
                        CHECKS, accepted), accepted >= 0.99 * CHECKS));
                report.add("  (lab dir " + lab.dir + ")");
                System.out.println("\n==== VRRP soak benchmark ====");
                report.forEach(System.out::println);
                assertThat(received.size()).as("adverts captured").isGreaterThan((int) (DURATION * 1000 / ADVERT_MS / 2));
            } finally {
                for (Process p : new Process[] {bridge, egress, floor}) {
                    if (p != null) {
                        p.destroy();
                    }
                }
                if (keepalived != null) {
                    VrrpLab.stop(keepalived, 5);
                }
                if (node != null) {
                    VrrpLab.stop(node, 10);
                }
                if (servers != null) {
                    servers.getOutputStream().close();
                    VrrpLab.stop(servers, 10);
                }
            }
        }
    }

    private static String gapLine(String what, List<Double> gaps, List<Double> dev) {
        return String.format(Locale.ROOT, "  adverts %s: %d gaps | gap p50 %.3f p99 %.3f max %.3f ms | "
                        + "|gap - 20 ms| p50 %.3f p99 %.3f max %.3f ms", what, gaps.size(), Percentile.of(gaps, 50),
                Percentile.of(gaps, 99), Percentile.of(gaps, 100), Percentile.of(dev, 50), Percentile.of(dev, 99),
                Percentile.of(dev, 100));
    }

    /** The 8 largest gaps of node 1's adverts after FROM, in time order. */
    private static String largest(List<double[]> adverts, double from) {
        List<double[]> g = new ArrayList<>();
        double prev = -1;
        for (double[] a : adverts) {
            if (a[1] != 1) {
                continue;
            }
            if (prev >= 0 && a[0] >= from) {
                g.add(new double[] {prev - from, (a[0] - prev) * 1000});
            }
            prev = a[0];
        }
        return g.stream().sorted((x, y) -> Double.compare(y[1], x[1])).limit(8)
                .sorted((x, y) -> Double.compare(x[0], y[0]))
                .map(x -> String.format(Locale.ROOT, "%.1f: %.1f", x[0], x[1])).toList().toString();
    }

    /**
     * The machine's own wake-up latency over the same window: cyclictest (rt-tests), one thread per CPU pinned to it
     * ({@code -S}), at the VRRP threads' policy and priority (SCHED_RR 10, {@code javalived.vrrp.rtPriority}), waking
     * every advert interval beside the running load, for {@code seconds}. What it shows is what no daemon can do
     * better than on this machine (a hypervisor that stops a vCPU - no timer fires on it meanwhile -, a long softirq):
     * one thread per CPU, because such a stall holds only the threads whose CPU it stops. Null when cyclictest is not
     * installed.
     */
    static Process platformFloor(Path out, int seconds, int intervalMs) throws IOException {
        if (VrrpLab.out("command -v cyclictest").isBlank()) {
            return null;
        }
        return new ProcessBuilder("cyclictest", "-q", "-m", "-S", "--policy=rr", "-p", "10", "-i",
                String.valueOf(intervalMs * 1000), "-D", String.valueOf(seconds), "-h", "40000")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    /**
     * cyclictest's latency p50 / p99 / max over the window, every CPU's thread together, from its histogram (a line
     * per microsecond: the count of each thread), and each CPU's max.
     */
    static String floorLine(Process floor, Path out, int intervalMs) throws IOException, InterruptedException {
        if (floor == null) {
            return "not measured (apt-get install rt-tests for cyclictest)";
        }
        if (!floor.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            floor.destroy();
            floor.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        List<Double> lat = new ArrayList<>();
        long over = 0;
        List<String> maxPerCpu = new ArrayList<>();
        double max = 0;
        for (String l : Files.readAllLines(out)) {
            String[] w = l.trim().split("\\s+");
            if (l.matches("^\\d+(\\s+\\d+)+\\s*$")) {
                double us = Double.parseDouble(w[0]);
                for (int c = 1; c < w.length; c++) {
                    for (long k = Long.parseLong(w[c]); k > 0; k--) {
                        lat.add(us / 1000.0);
                    }
                }
            } else if (l.startsWith("# Histogram Overflows:")) {
                for (int c = 3; c < w.length; c++) {
                    over += Long.parseLong(w[c]);
                }
            } else if (l.startsWith("# Max Latencies:")) {
                for (int c = 3; c < w.length; c++) {
                    double ms = Long.parseLong(w[c]) / 1000.0;
                    max = Math.max(max, ms);
                    maxPerCpu.add(String.format(Locale.ROOT, "%.1f", ms));
                }
            }
        }
        if (lat.isEmpty()) {
            return "cyclictest gave no histogram (" + out + ")";
        }
        return String.format(Locale.ROOT, "cyclictest SCHED_RR 10 every %d ms, a thread per CPU: %d wake-ups, late "
                + "p50 %.3f p99 %.3f max %.3f ms (per CPU %s)%s", intervalMs, lat.size() + over,
                Percentile.of(lat, 50), Percentile.of(lat, 99), max, String.join(" / ", maxPerCpu),
                over > 0 ? " (" + over + " over 40 ms)" : "");
    }

    private static String verdict(String target, boolean met) {
        return "  target " + target + ": " + (met ? "MET" : "MISSED");
    }

    private static Snapshot snapshot(VrrpLab lab, long pid) throws IOException {
        long[] tcp = tcpCounters(VrrpLab.out("ip netns exec " + lab.ns(1) + " cat /proc/net/snmp"));
        double epoch = System.currentTimeMillis() / 1000.0;
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return new Snapshot(epoch, tcp[0], tcp[1], tcp[2], ticks, VrrpLab.out("cat /proc/loadavg").trim());
    }

    /** {ActiveOpens, AttemptFails, PassiveOpens} of a /proc/net/snmp text. */
    private static long[] tcpCounters(String snmp) {
        List<String> tcp = snmp.lines().filter(l -> l.startsWith("Tcp:")).toList();
        String[] names = tcp.get(0).split("\\s+");
        String[] values = tcp.get(1).split("\\s+");
        long[] out = new long[3];
        List<String> wanted = List.of("ActiveOpens", "AttemptFails", "PassiveOpens");
        for (int i = 1; i < names.length; i++) {
            int k = wanted.indexOf(names[i]);
            if (k >= 0) {
                out[k] = Long.parseLong(values[i]);
            }
        }
        return out;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
