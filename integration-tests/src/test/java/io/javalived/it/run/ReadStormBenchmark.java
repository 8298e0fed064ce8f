package io.javalived.it.run;

import static io.javalived.it.run.RunLabs.adverts;
import static io.javalived.it.run.RunLabs.count;
import static io.javalived.it.run.RunLabs.inNs;
import static io.javalived.it.run.RunLabs.java;
import static io.javalived.it.run.RunLabs.launcherEnv;
import static io.javalived.it.run.RunLabs.memory;
import static io.javalived.it.run.RunLabs.realServersUp;
import static io.javalived.it.run.RunLabs.tail;
import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.it.checkers.BenchServers;
import io.javalived.it.lab.Percentile;
import io.javalived.it.vrrp.VrrpLab;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 item 8, "read load stalls the VRRP thread": does a storm of reads ({@code /metrics} and the status
 * socket) on a large director delay its VRRP adverts?
 *
 * <p>A {@link VrrpLab} of two nodes on its own bridge. Node 1: {@code javalived run --ipvs-dry-run} started by the
 * launcher (its daemon JVM flags, or {@code -Dbench.javaOpts}), VRRPv3 advert_int 0.1, priority 200 (MASTER), and
 * {@code bench.realServers} (2,000) TCP_CHECK real servers at delay_loop 5 in 20 virtual servers, checking listeners
 * of {@link BenchServers} on node 1's loopback (own JVM). Node 2: Debian's keepalived 2.2.7, priority 100, BACKUP.
 * Once every real server is up, for {@code bench.duration} s (60): two {@code curl} loops scrape {@code /metrics}
 * (in node 1) and two threads of this JVM read {@code status} from the control socket (what
 * {@code javalived status --json} reads), back to back. tcpdump on the bridge records the adverts (pcap times).
 *
 * <p>Reported: the max and p99 gap between javalived's adverts (target: max ≤ advert_int + 20 ms = 120 ms),
 * keepalived's transitions to MASTER (its log) and any advert it sent, scrape and status counts and sizes, the load
 * average, and the daemon's Rss / Pss (peak over 1 s samples, from /proc/PID/smaps_rollup; under ZGC Rss counts the
 * multi-mapped heap up to three times, Pss does not) with the heap's own figures. The adverts are also captured on
 * javalived's own eth0 ("as sent"): equal gaps there mean javalived sent late, not that the bridge delayed them.
 * Figures and their reading: README, Benchmarks.
 * {@code -Dbench.jfr=PATH} records JFR ({@code settings=profile}) during the load into PATH.
 *
 * <pre>
 * mvn -B -o -pl integration-tests test -Dtest=ReadStormBenchmark -DexcludedGroups= -Dgroups=benchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.duration=60] [-Dbench.realServers=2000] \
 *     [-Dbench.launcher=/path/to/javalived] [-Dbench.jar=/path/to/javalived.jar] [-Dbench.javaOpts='...']
 * </pre>
 * (the jar must be built first: {@code mvn -B -o -q -pl cli -am package -DskipTests}).
 */
@Tag("benchmark")
class ReadStormBenchmark {
    private static final int DURATION = Integer.getInteger("bench.duration", 60);
    private static final int REAL_SERVERS = Integer.getInteger("bench.realServers", 2000);
    private static final int VIRTUAL_SERVERS = 20;
    private static final int PORT = 8080;
    private static final double ADVERT_MS = 100;
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    private static String conf() {
        StringBuilder sb = new StringBuilder("""
                global_defs {
                    router_id jvstorm
                    vrrp_version 3
                }
                vrrp_instance VI_1 {
                    state MASTER
                    interface eth0
                    virtual_router_id 51
                    priority 200
                    advert_int 0.1
                    virtual_ipaddress {
                        %s/24 dev eth0
                    }
                }
                """.formatted(VrrpLab.VIP));
        int per = (REAL_SERVERS + VIRTUAL_SERVERS - 1) / VIRTUAL_SERVERS;
        for (int v = 0, rs = 0; v < VIRTUAL_SERVERS && rs < REAL_SERVERS; v++) {
            sb.append("virtual_server 10.99.0.").append(v + 1).append(" 80 {\n")
                    .append("    delay_loop 5\n    lb_algo rr\n    lb_kind NAT\n    protocol TCP\n");
            for (int i = 0; i < per && rs < REAL_SERVERS; i++, rs++) {
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
                    router_id jvstormb
                    vrrp_version 3
                }
                vrrp_instance VI_1 {
                    state BACKUP
                    interface eth0
                    virtual_router_id 51
                    priority 100
                    advert_int 0.1
                    virtual_ipaddress {
                        %s/24 dev eth0
                    }
                }
                """.formatted(VrrpLab.VIP);
    }

    @Test
    void readStorm() throws Exception {
        String launcher = System.getProperty("bench.launcher", ROOT.resolve("javalived").toString());
        String jar = System.getProperty("bench.jar", ROOT.resolve("cli/target/javalived.jar").toString());
        String javaOpts = System.getProperty("bench.javaOpts", "");
        String jfr = System.getProperty("bench.jfr", "");
        assertThat(Path.of(jar)).as("the jar (mvn -B -o -q -pl cli -am package -DskipTests)").exists();
        List<String> report = new ArrayList<>();
        try (VrrpLab lab = new VrrpLab(2)) {
            Path conf = lab.dir.resolve("storm.conf");
            Files.writeString(conf, conf());
            Path sock = lab.dir.resolve("storm.sock");
            Path log = lab.dir.resolve("javalived.log");
            Path pcap = lab.dir.resolve("adverts.pcap");
            Process servers = null;
            Process node = null;
            Process keepalived = null;
            Process tcpdump = null;
            Process egress = null;
            Process floor = null; // the machine's floor (cyclictest) over the storm's window
            Path egressPcap = lab.dir.resolve("egress.pcap");
            List<Process> scrapers = new ArrayList<>();
            try {
                servers = inNs(lab, List.of(java(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                        BenchServers.class.getName(), String.valueOf(REAL_SERVERS), "tcp", String.valueOf(PORT)),
                        lab.dir.resolve("servers.log"), "");
                String ready = new String(servers.getInputStream().readNBytes(5), StandardCharsets.UTF_8);
                assertThat(ready).as("listeners started (" + lab.dir.resolve("servers.log") + ")").isEqualTo("READY");
                List<String> cmd = new ArrayList<>(List.of(launcher, "run", "--ipvs-dry-run", "-f", conf.toString(),
                        "-p", lab.dir.resolve("storm.pid").toString(), "-S", sock.toString(), "--metrics",
                        "127.0.0.1:9650"));
                String env = launcherEnv(jar, javaOpts);
                node = inNs(lab, cmd, log, env);
                Process n = node;
                boolean up = VrrpLab.waitFor(Duration.ofSeconds(180), () -> n.isAlive()
                        && lab.hasAddress(1, VrrpLab.VIP) && realServersUp(sock) >= REAL_SERVERS);
                assertThat(up).as("javalived MASTER with every real server up:\n" + tail(log)).isTrue();
                long pid = node.pid();
                keepalived = lab.keepalived(2, backupConf(), "keepalived");
                tcpdump = new ProcessBuilder("ip", "netns", "exec", lab.bridgeNamespace(), "tcpdump",
                        "-i", "br0", "-nn", "-U", "-w", pcap.toString(), "proto 112")
                        .redirectErrorStream(true).redirectOutput(lab.dir.resolve("tcpdump.log").toFile()).start();
                egress = new ProcessBuilder("ip", "netns", "exec", lab.ns(1), "tcpdump", "-i", "eth0", "-nn", "-U",
                        "-w", egressPcap.toString(), "proto 112 and src host 10.77.0.1")
                        .redirectErrorStream(true).redirectOutput(lab.dir.resolve("egress.log").toFile()).start();
                Thread.sleep(3000); // keepalived settles in BACKUP; tcpdump is listening
                if (!jfr.isEmpty()) {
                    VrrpLab.out("jcmd " + pid + " JFR.start name=storm settings=profile filename=" + jfr);
                }
                String load0 = VrrpLab.out("cat /proc/loadavg").trim();
                Path floorOut = lab.dir.resolve("cyclictest.txt");
                floor = VrrpSoakBenchmark.platformFloor(floorOut, DURATION, (int) ADVERT_MS);
                double startEpoch = System.currentTimeMillis() / 1000.0;
                long end = System.nanoTime() + DURATION * 1_000_000_000L;
                for (int i = 0; i < 2; i++) {
                    scrapers.add(new ProcessBuilder("ip", "netns", "exec", lab.ns(1), "bash", "-c",
                            "end=$((SECONDS+" + DURATION + ")); while [ $SECONDS -lt $end ]; do curl -s -m 60 -o "
                                    + "/dev/null -w '%{http_code} %{size_download} %{time_total}\\n' "
                                    + "http://127.0.0.1:9650/metrics; done")
                            .redirectError(ProcessBuilder.Redirect.DISCARD)
                            .redirectOutput(lab.dir.resolve("scrape" + i + ".txt").toFile()).start());
                }
                AtomicLong statusCount = new AtomicLong();
                AtomicLong statusBytes = new AtomicLong();
                AtomicLong statusMaxBytes = new AtomicLong();
                AtomicLong statusFailed = new AtomicLong();
                AtomicLong statusMaxNanos = new AtomicLong();
                List<Thread> readers = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    Thread t = new Thread(() -> {
                        while (System.nanoTime() < end) {
                            long s = System.nanoTime();
                            long b = readStatus(sock);
                            if (b <= 0) {
                                statusFailed.incrementAndGet();
                                continue;
                            }
                            statusCount.incrementAndGet();
                            statusBytes.addAndGet(b);
                            statusMaxBytes.accumulateAndGet(b, Math::max);
                            statusMaxNanos.accumulateAndGet(System.nanoTime() - s, Math::max);
                        }
                    }, "status-loop-" + i);
                    t.start();
                    readers.add(t);
                }
                long rssMax = 0;
                long pssMax = 0;
                while (System.nanoTime() < end) {
                    long[] m = memory(pid);
                    rssMax = Math.max(rssMax, m[0]);
                    pssMax = Math.max(pssMax, m[1]);
                    Thread.sleep(1000);
                }
                for (Thread t : readers) {
                    t.join(30_000);
                }
                for (Process p : scrapers) {
                    VrrpLab.waitExit(p, 30);
                }
                String load1 = VrrpLab.out("cat /proc/loadavg").trim();
                String heap = VrrpLab.out("jcmd " + pid + " GC.heap_info 2>/dev/null | head -3").trim();
                if (!jfr.isEmpty()) {
                    VrrpLab.out("jcmd " + pid + " JFR.stop name=storm");
                }
                Thread.sleep(500);
                tcpdump.destroy();
                VrrpLab.waitExit(tcpdump, 5);
                egress.destroy();
                VrrpLab.waitExit(egress, 5);

                // ---- figures
                List<double[]> adverts = adverts(pcap);
                double from = startEpoch; // the load window
                List<Double> gaps = new ArrayList<>();
                List<String> lateAt = new ArrayList<>(); // when each gap over target ended: s into the window, epoch
                double prev = -1;
                int keepalivedAdverts = 0;
                int inWindow = 0;
                for (double[] a : adverts) {
                    if (a[1] == 2) {
                        keepalivedAdverts++;
                        continue;
                    }
                    if (prev >= 0 && a[0] >= from) {
                        double gap = (a[0] - prev) * 1000;
                        gaps.add(gap);
                        inWindow++;
                        if (gap > ADVERT_MS + 20) {
                            lateAt.add(String.format(Locale.ROOT, "%.1f ms at +%.1f s (%.3f)", gap, a[0] - from,
                                    a[0]));
                        }
                    }
                    prev = a[0];
                }
                List<Double> sent = new ArrayList<>();
                double last = -1;
                for (double[] a : adverts(egressPcap)) {
                    if (last >= 0 && a[0] >= from) {
                        sent.add((a[0] - last) * 1000);
                    }
                    last = a[0];
                }
                Path kaLogFile = lab.dir.resolve("keepalived.log");
                int kaMaster = Files.exists(kaLogFile) ? count(Files.readString(kaLogFile), "Entering MASTER STATE")
                        : -1; // -1: the log is gone (the lab directory was removed under us)
                long[] scrape = scrapes(lab.dir.resolve("scrape0.txt"), lab.dir.resolve("scrape1.txt"));
                double max = Percentile.of(gaps, 100);
                double p99 = Percentile.of(gaps, 99);
                report.add(String.format(Locale.ROOT, "read storm, %d real servers (TCP_CHECK, delay_loop 5, %d "
                                + "virtual servers), VRRPv3 advert_int 0.1, keepalived 2.2.7 BACKUP, %d s, JVM: %s",
                        REAL_SERVERS, VIRTUAL_SERVERS, DURATION, javaOpts.isEmpty() ? "launcher defaults" : javaOpts));
                report.add(String.format(Locale.ROOT, "  adverts on the bridge (as keepalived gets them): %d gaps | max %.1f ms | p99 %.1f ms | p50 %.1f ms"
                                + " | target max <= %.0f ms: %s", inWindow, max, p99, Percentile.of(gaps, 50),
                        ADVERT_MS + 20, max <= ADVERT_MS + 20 ? "MET" : "MISSED"));
                report.add(String.format(Locale.ROOT, "  gaps over %.0f ms: %d of %d %s", ADVERT_MS + 20,
                        lateAt.size(), gaps.size(), lateAt));
                report.add("  the machine's floor (what it leaves an idle real-time thread in the same window): "
                        + VrrpSoakBenchmark.floorLine(floor, floorOut, (int) ADVERT_MS));
                report.add(String.format(Locale.ROOT, "  as sent (tcpdump on eth0 in javalived's namespace): %d gaps"
                                + " | max %.1f ms | p99 %.1f ms", sent.size(), Percentile.of(sent, 100),
                        Percentile.of(sent, 99)));
                report.add(String.format(Locale.ROOT, "  keepalived: %d transitions to MASTER, %d adverts sent",
                        kaMaster, keepalivedAdverts));
                report.add(String.format(Locale.ROOT, "  /metrics: %d scrapes (%d not 200), %.2f MB each, max %.0f ms"
                                + " | status: %d reads (%d failed), %.2f MB max, mean %.2f MB, max %.0f ms",
                        scrape[0], scrape[1], scrape[2] / 1e6, scrape[3] / 1e3, statusCount.get(),
                        statusFailed.get(), statusMaxBytes.get() / 1e6,
                        statusCount.get() == 0 ? 0 : statusBytes.get() / 1e6 / statusCount.get(),
                        statusMaxNanos.get() / 1e6));
                report.add(String.format(Locale.ROOT, "  javalived peak VmRSS %.0f MB, peak Pss %.0f MB | %s",
                        rssMax / 1024.0, pssMax / 1024.0, heap.replace('\n', ' ')));
                report.add("  load average before: " + load0 + " | after: " + load1);
                report.add("  (lab dir " + lab.dir + ")");
                System.out.println("\n==== read storm benchmark ====");
                report.forEach(System.out::println);
                assertThat(inWindow).as("adverts captured").isGreaterThan(DURATION * 5);
                assertThat(scrape[0]).as("scrapes").isGreaterThan(0);
                assertThat(statusCount.get()).as("status reads").isGreaterThan(0);
            } finally {
                for (Process p : scrapers) {
                    p.destroy();
                }
                if (tcpdump != null) {
                    tcpdump.destroy();
                }
                if (egress != null) {
                    egress.destroy();
                }
                if (floor != null) {
                    floor.destroy();
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

    /** The status socket's answer length, or -1. */
    private static long readStatus(Path sock) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            ch.write(ByteBuffer.wrap("status\n".getBytes(StandardCharsets.US_ASCII)));
            InputStream in = Channels.newInputStream(ch);
            byte[] buf = new byte[65536];
            long n = 0;
            boolean first = true;
            for (int r; (r = in.read(buf)) > 0; ) {
                if (first && buf[0] != '{') {
                    return -1;
                }
                first = false;
                n += r;
            }
            return n;
        } catch (IOException e) {
            return -1;
        }
    }

    /** {count, failed, mean size, max time in ms} of the scrape loops' curl lines. */
    private static long[] scrapes(Path... files) throws IOException {
        long n = 0;
        long failed = 0;
        long bytes = 0;
        double maxSeconds = 0;
        for (Path f : files) {
            if (!Files.exists(f)) {
                continue;
            }
            for (String l : Files.readAllLines(f)) {
                String[] w = l.trim().split(" ");
                if (w.length < 3) {
                    continue;
                }
                n++;
                if (!w[0].equals("200")) {
                    failed++;
                    continue;
                }
                bytes += Long.parseLong(w[1]);
                maxSeconds = Math.max(maxSeconds, Double.parseDouble(w[2]));
            }
        }
        return new long[] {n, failed, n == failed ? 0 : bytes / (n - failed), Math.round(maxSeconds * 1e6)};
    }
}
