package io.javalived.it.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.checkers.CheckScheduler;
import io.javalived.director.Director;
import io.javalived.config.KeepalivedConfigReader;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.it.checkers.BenchServers;
import io.javalived.it.vrrp.VrrpLab;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The two timing figures of the director (issue 6, "must show", last bullet).
 *
 * <p><b>1. VRRP advert jitter under check load</b> ({@link #vrrpAdvertJitter()}). A two-node namespace lab
 * ({@link VrrpLab}): node 1 runs {@link VrrpUnderLoadNode} — the VrrpDaemon (VRRPv3, advert_int 0.05, MASTER) and a
 * CheckScheduler with 10,000 TCP_CHECKs at delay_loop 1 s in ONE JVM started with the launcher's flags
 * ({@code -XX:+UseZGC -Xms64m -Xmx512m}); the 10,000 listeners ({@link BenchServers}, own JVM) listen on node 1's
 * loopback, 127.1.x.y:8080. IPVS is absent on this host, which is why this wiring is used instead of
 * {@code javalived run}. Node 2 captures the adverts with tcpdump for {@code bench.duration} seconds (default 60); the
 * inter-advert intervals give p50/p99/max deviation from 50 ms. The same is measured without the checks (baseline)
 * and for keepalived 2.2.7 at advert_int 0.05 in the same lab. Target: p99 deviation ≤ 5 ms with the load.
 *
 * <p><b>2. Backend failure to removal</b> ({@link #failureToRemoval()}). Director + CheckScheduler in this JVM with an
 * in-memory kernel ({@link RecordingKernel}); 20 real servers (loopback listeners), each TCP_CHECK delay_loop 1 s,
 * connect_timeout 1 s, retry 1, delay_before_retry 1 s; each listener is closed at an independent random time (so a
 * random phase of its check cycle), and the time until the Director deletes that destination from the kernel is
 * measured. keepalived's semantics: a failed check with retries left is repeated after delay_before_retry, the
 * server goes down on the (retry+1)-th consecutive failure, each attempt lasting at most connect_timeout, and the
 * next regular check comes delay_loop after the last good one. So the bound is
 * {@code delay_loop + (retry+1) x connect_timeout + retry x delay_before_retry} = 1 + 2 + 1 = 4 s; for a closed
 * listener (connection refused at once) the attempts take ~0 and the expected range is
 * {@code [retry x delay_before_retry, delay_loop + retry x delay_before_retry]} = [1 s, 2 s].
 *
 * <pre>
 * cd /work/main &amp;&amp; mvn -B -o -pl integration-tests test -Dtest=RunBenchmark -DexcludedGroups= -Dgroups=benchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.duration=60] [-Dbench.checks=10000]
 * </pre>
 *
 * <p>Measured 2026-11-24 on the 2-CPU build host (shared with other builds), 60 s, deviation |interval - 50 ms|:
 * javalived + 10,000 checks (9,991 checks/s achieved, 0 failed): p50 0.012 ms, p99 0.722 ms, max 8.068 ms;
 * javalived without checks: p50 0.023, p99 1.322, max 22.742 ms; keepalived 2.2.7: p50 0.100, p99 0.393,
 * max 6.045 ms. Failure to removal (20 trials): min 1096, median 1696, p99/max 2002 ms (bound 4000 ms).
 */
@Tag("benchmark")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunBenchmark {
    private static final int DURATION = Integer.getInteger("bench.duration", 60);
    private static final int CHECKS = Integer.getInteger("bench.checks", 10_000);
    private static final int TRIALS = 20;
    private static final int PORT = 8080;
    private final List<String> report = Collections.synchronizedList(new ArrayList<>());

    @AfterAll
    void print() {
        System.out.println("\n==== javalived run benchmark ====");
        report.forEach(System.out::println);
    }

    // ---------------------------------------------------------------- part 1

    private static String conf() {
        return """
                global_defs {
                    router_id jvrun
                    vrrp_version 3
                }
                vrrp_instance VI_1 {
                    state MASTER
                    interface eth0
                    virtual_router_id 51
                    priority 200
                    advert_int 0.05
                    virtual_ipaddress {
                        %s/24 dev eth0
                    }
                }
                """.formatted(VrrpLab.VIP);
    }

    @Test
    void vrrpAdvertJitter() throws Exception {
        try (VrrpLab lab = new VrrpLab(2)) {
            Path conf = lab.dir.resolve("jitter.conf");
            Files.writeString(conf, conf());
            jitter(lab, conf, "javalived + " + CHECKS + " checks", CHECKS, false);
            jitter(lab, conf, "javalived, no checks", 0, false);
            jitter(lab, conf, "keepalived 2.2.7", 0, true);
        }
    }

    private void jitter(VrrpLab lab, Path conf, String label, int checks, boolean keepalived) throws Exception {
        String tag = label.replaceAll("[^a-z0-9]+", "_");
        Process servers = null;
        Process node = null;
        Process tcpdump = null;
        String checksLine = "";
        Path pcap = lab.dir.resolve(tag + ".pcap");
        try {
            if (checks > 0) {
                servers = limited(lab, List.of(java(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                        BenchServers.class.getName(), String.valueOf(checks), "tcp", String.valueOf(PORT)),
                        lab.dir.resolve(tag + ".servers.log"));
                expectReady(servers, "listeners");
            }
            if (keepalived) {
                node = lab.keepalived(1, Files.readString(conf), tag);
            } else {
                node = limited(lab, List.of(java(), "-XX:+UseZGC", "-Xms64m", "-Xmx512m",
                        "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                        VrrpUnderLoadNode.class.getName(), conf.toString(), String.valueOf(checks),
                        String.valueOf(PORT)), lab.dir.resolve(tag + ".log"));
                expectReady(node, "node");
            }
            assertThat(VrrpLab.waitFor(Duration.ofSeconds(15), () -> lab.hasAddress(1, VrrpLab.VIP)))
                    .as(label + " became MASTER").isTrue();
            Thread.sleep(1000);
            tcpdump = new ProcessBuilder("ip", "netns", "exec", lab.ns(2), "tcpdump", "-i", "eth0", "-nn", "-U", "-w",
                    pcap.toString(), "proto 112 and src host 10.77.0.1").redirectErrorStream(true)
                    .redirectOutput(lab.dir.resolve(tag + ".tcpdump.log").toFile()).start();
            Thread.sleep(DURATION * 1000L + 700);
        } finally {
            if (tcpdump != null) {
                tcpdump.destroy();
                VrrpLab.waitExit(tcpdump, 5);
            }
            if (node != null && !keepalived) {
                node.getOutputStream().close();
                checksLine = readLine(node, "CHECKS", 15);
            }
            if (node != null) {
                VrrpLab.stop(node, 5);
            }
            if (servers != null) {
                servers.getOutputStream().close();
                VrrpLab.stop(servers, 10);
            }
            VrrpLab.out("ip -n " + lab.ns(1) + " addr del " + VrrpLab.VIP + "/24 dev eth0 2>/dev/null");
        }
        List<Double> ts = advertTimes(pcap);
        List<Double> dev = new ArrayList<>();
        for (int i = 1; i < ts.size(); i++) {
            dev.add(Math.abs((ts.get(i) - ts.get(i - 1)) * 1000 - 50));
        }
        String perSec = checks == 0 || checksLine.isEmpty() ? "" : String.format(Locale.ROOT, " | checks/s achieved %s (failed %s)",
                checksLine.split(" ")[1], checksLine.split(" ")[2]);
        String line = String.format(Locale.ROOT,
                "VRRPv3 advert_int 0.05, %-30s | %5d adverts in %d s (expected %d) | |interval-50ms| p50 %.3f ms"
                        + " p99 %.3f ms max %.3f ms%s%s",
                label, ts.size(), DURATION, DURATION * 20, pct(dev, 50), pct(dev, 99), pct(dev, 100), perSec,
                checks > 0 ? (pct(dev, 99) <= 5 ? " | target p99 <= 5 ms: MET" : " | target p99 <= 5 ms: MISSED")
                        : "");
        report.add(line);
        System.out.println(line);
        assertThat(ts.size()).as(label + " adverts captured").isGreaterThan(DURATION * 20 / 2);
        if (checks > 0) {
            assertThat(checksLine).as("check load ran").startsWith("CHECKS");
        }
    }

    /** Starts CMD inside node 1 with the descriptor limit raised (10,000 listeners / checks). */
    private static Process limited(VrrpLab lab, List<String> cmd, Path log) throws IOException {
        StringBuilder sb = new StringBuilder("ulimit -n 65536 2>/dev/null || ulimit -n $(ulimit -Hn); exec ip netns exec ")
                .append(lab.ns(1));
        for (String s : cmd) {
            sb.append(" '").append(s.replace("'", "'\\''")).append('\'');
        }
        return new ProcessBuilder("sh", "-c", sb.toString()).redirectError(log.toFile()).start();
    }

    private static void expectReady(Process p, String what) throws Exception {
        String l = readLine(p, "READY", 120);
        if (l.isEmpty()) {
            throw new IllegalStateException(what + " did not start (see the lab's logs)");
        }
    }

    /** Reads p's stdout until a line starting with prefix (or EOF / timeout); returns it or "". */
    private static String readLine(Process p, String prefix, int seconds) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        String[] found = {""};
        Thread t = new Thread(() -> {
            try {
                for (String l; (l = r.readLine()) != null; ) {
                    if (l.startsWith(prefix)) {
                        found[0] = l;
                        return;
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
        });
        t.setDaemon(true);
        t.start();
        t.join(Math.max(1, (end - System.nanoTime()) / 1_000_000));
        return found[0];
    }

    private static final Pattern ADVERT = Pattern.compile("^(\\d+\\.\\d+) IP 10\\.77\\.0\\.1 > .*VRRPv3, Advertisement");

    private static List<Double> advertTimes(Path pcap) throws IOException {
        Process p = new ProcessBuilder("tcpdump", "-r", pcap.toString(), "-tt", "-nn")
                .redirectError(new File("/dev/null")).start();
        List<Double> out = new ArrayList<>();
        for (String l : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
            Matcher m = ADVERT.matcher(l);
            if (m.find()) {
                out.add(Double.parseDouble(m.group(1)));
            }
        }
        return out;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    // ---------------------------------------------------------------- part 2

    @Test
    void failureToRemoval() throws Exception {
        List<ServerSocket> listeners = new ArrayList<>();
        StringBuilder rs = new StringBuilder();
        try {
            for (int i = 0; i < TRIALS; i++) {
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                listeners.add(s);
                rs.append("  real_server 127.0.0.1 ").append(s.getLocalPort())
                        .append(" {\n    TCP_CHECK {\n      connect_timeout 1\n      retry 1\n"
                                + "      delay_before_retry 1\n    }\n  }\n");
            }
            String text = "virtual_server 10.0.0.100 80 {\n  delay_loop 1\n  lb_algo rr\n  lb_kind NAT\n"
                    + "  protocol TCP\n" + rs + "}\n";
            KeepalivedConfig cfg = KeepalivedConfigReader.read(text, Path.of("removal.conf")).config();
            RecordingKernel kernel = new RecordingKernel();
            List<Double> ms = new ArrayList<>();
            try (CheckScheduler checks = new CheckScheduler()) {
                Director d = Director.start(cfg, kernel, checks, new Director.Options(true, s -> { }));
                try {
                    assertThat(VrrpLab.waitFor(Duration.ofSeconds(10), () -> kernel.addedAt.size() == TRIALS))
                            .as("all real servers in the table").isTrue();
                    Thread.sleep(3000); // a few check cycles
                    assertThat(kernel.removedAt).as("nothing removed while all are healthy").isEmpty();
                    Random rnd = new Random();
                    long start = System.nanoTime();
                    long[] killAt = new long[TRIALS];
                    List<Integer> order = new ArrayList<>();
                    for (int i = 0; i < TRIALS; i++) {
                        killAt[i] = start + (long) (rnd.nextDouble() * 5e9);
                        order.add(i);
                    }
                    order.sort((a, b) -> Long.compare(killAt[a], killAt[b]));
                    long[] killed = new long[TRIALS];
                    for (int i : order) {
                        long wait = killAt[i] - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        killed[i] = System.nanoTime();
                        listeners.get(i).close();
                    }
                    VrrpLab.waitFor(Duration.ofSeconds(10), () -> kernel.removedAt.size() == TRIALS);
                    for (int i = 0; i < TRIALS; i++) {
                        Long at = kernel.removedAt.get(listeners.get(i).getLocalPort());
                        if (at != null) {
                            ms.add((at - killed[i]) / 1e6);
                        }
                    }
                } finally {
                    d.close();
                }
            }
            String line = String.format(Locale.ROOT,
                    "failure->removal, TCP_CHECK delay_loop 1 connect_timeout 1 retry 1 delay_before_retry 1,"
                            + " %d trials: min %.0f ms median %.0f ms p99 %.0f ms max %.0f ms | bound delay_loop"
                            + " + (retry+1) x connect_timeout + retry x delay_before_retry = 4000 ms (refused"
                            + " connection: expected 1000..2000 ms)",
                    ms.size(), pct(ms, 0), pct(ms, 50), pct(ms, 99), pct(ms, 100));
            report.add(line);
            report.add("    raw (ms): " + fmt(ms));
            System.out.println(line);
            assertThat(ms).as("every killed backend removed").hasSize(TRIALS);
            assertThat(pct(ms, 100)).as("max within the configured bound").isLessThanOrEqualTo(4000);
        } finally {
            for (ServerSocket s : listeners) {
                s.close();
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static double pct(List<Double> v, int p) {
        return io.javalived.it.lab.Percentile.of(v, p);
    }

    private static String fmt(List<Double> v) {
        StringBuilder sb = new StringBuilder();
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        for (double d : s) {
            sb.append(String.format(Locale.ROOT, "%.0f ", d));
        }
        return sb.toString().trim();
    }
}
