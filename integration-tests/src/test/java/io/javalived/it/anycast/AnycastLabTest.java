package io.javalived.it.anycast;

import static io.javalived.it.lab.Shell.out;
import static io.javalived.it.lab.Shell.sh;
import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.it.config.ConfigCorpus;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Anycast with real BIRD 2 and the real kernel (host lab, no IPVS: {@code run --ipvs-dry-run}; each director answers
 * on the VIP itself with a small web server naming the director, so that the flows the router sends show):
 *
 * <pre>
 *   client ── router (BIRD: BGP to d1 and d2, kernel "merge paths on", L4 ECMP hash)
 *               ├── d1 (javalived + BIRD from config-samples/bird-anycast.conf) ─┐
 *               └── d2 (javalived + BIRD)                                         ├─ LAN ── s1 s2 s3 (TCP_CHECK)
 * </pre>
 *
 * Both directors announce → the router has an ECMP route with two next hops and flows from distinct source ports
 * reach both. d1 loses its real servers (its LAN link down: quorum lost) → its route is withdrawn (hold_down +
 * BGP), requests keep succeeding. javalived on d1 killed -9 → the kernel removes its route (lease interface), BIRD
 * withdraws. Director d2 frozen (SIGSTOP: a hung or powered-off machine) → the router drops it at the BGP hold
 * time (3 s). The
 * figures are printed and written to target/anycast-lab-figures.txt.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnycastLabTest {
    static final String T = "acl" + ProcessHandle.current().pid() % 100000;
    static final String R = T + "r", C = T + "c", L = T + "l", D1 = T + "d1", D2 = T + "d2";
    static final String VIP = "10.95.100.1";
    static final double HOLD_DOWN = 1, MIN_UP = 1, BGP_HOLD = 3;
    static Path dir;
    static final Map<String, Process> procs = new LinkedHashMap<>();
    static final Map<String, Double> figures = new LinkedHashMap<>();
    static final Thread HOOK = new Thread(AnycastLabTest::teardown, "anycast-lab-cleanup");

    static final String CONF = """
            virtual_server %s 80 {
                protocol TCP
                lb_kind DR
                delay_loop 1
                anycast {
                    interface lo
                    table 100
                    min_up %s
                    hold_down %s
                }
                real_server 10.95.5.11 80 {
                    TCP_CHECK {
                        connect_timeout 1
                    }
                }
                real_server 10.95.5.12 80 {
                    TCP_CHECK {
                        connect_timeout 1
                    }
                }
                real_server 10.95.5.13 80 {
                    TCP_CHECK {
                        connect_timeout 1
                    }
                }
            }
            """.formatted(VIP, MIN_UP, HOLD_DOWN);

    static final String ROUTER_BIRD = """
            log stderr all;
            router id 10.95.9.1;
            protocol device { scan time 1; }
            protocol kernel { ipv4 { import none; export all; }; merge paths on; }
            template bgp dir {
              local as 65000;
              hold time %1$d;
              keepalive time 1;
              connect retry time 1;
              ipv4 { import all; export none; };
            }
            protocol bgp d1 from dir { neighbor 10.95.1.2 as 65001; }
            protocol bgp d2 from dir { neighbor 10.95.2.2 as 65001; }
            """.formatted((int) BGP_HOLD);

    static String ns(int d) {
        return d == 1 ? D1 : D2;
    }

    @BeforeAll
    static void lab() throws Exception {
        Runtime.getRuntime().addShutdownHook(HOOK);
        dir = Files.createTempDirectory(T);
        List<String> all = new ArrayList<>(List.of(R, C, L, D1, D2));
        for (int k = 1; k <= 3; k++) {
            all.add(T + "s" + k);
        }
        for (String n : all) {
            sh("ip netns add " + n + " && ip -n " + n + " link set lo up");
        }
        link(R, "r-d1", D1, "up0");
        link(R, "r-d2", D2, "up0");
        link(R, "r-c", C, "eth0");
        sh("ip -n " + R + " addr add 10.95.1.1/24 dev r-d1 && ip -n " + D1 + " addr add 10.95.1.2/24 dev up0");
        sh("ip -n " + R + " addr add 10.95.2.1/24 dev r-d2 && ip -n " + D2 + " addr add 10.95.2.2/24 dev up0");
        sh("ip -n " + R + " addr add 10.95.9.1/24 dev r-c && ip -n " + C + " addr add 10.95.9.2/24 dev eth0"
                + " && ip -n " + C + " route add default via 10.95.9.1");
        sh("ip netns exec " + R + " sysctl -qw net.ipv4.ip_forward=1 net.ipv4.fib_multipath_hash_policy=1");
        sh("ip -n " + L + " link add br0 type bridge && ip -n " + L + " link set br0 up");
        String[] lan = {D1, D2, T + "s1", T + "s2", T + "s3"};
        for (int i = 0; i < lan.length; i++) {
            link(lan[i], "lan0", L, "p" + i);
            sh("ip -n " + L + " link set p" + i + " master br0");
        }
        sh("ip -n " + D1 + " addr add 10.95.5.1/24 dev lan0 && ip -n " + D2 + " addr add 10.95.5.2/24 dev lan0");
        sh("ip -n " + D1 + " route add 10.95.9.0/24 via 10.95.1.1 && ip -n " + D2 + " route add 10.95.9.0/24 via 10.95.2.1");
        for (int k = 1; k <= 3; k++) {
            String n = T + "s" + k;
            sh("ip -n " + n + " addr add 10.95.5.1" + k + "/24 dev lan0");
            web("s" + k, n, "10.95.5.1" + k);
        }
        Files.writeString(dir.resolve("router.conf"), ROUTER_BIRD);
        start("bird-r", "ip", "netns", "exec", R, "bird", "-f", "-c", dir.resolve("router.conf").toString(), "-s",
                dir.resolve("r.sock").toString(), "-P", dir.resolve("r.pid").toString());
        Files.writeString(dir.resolve("lab.conf"), CONF);
        for (int d = 1; d <= 2; d++) {
            Files.writeString(dir.resolve("d" + d + ".conf"), directorBird(d));
            startBird(d);
            startJavalived(d);
        }
    }

    /** config-samples/bird-anycast.conf with this lab's addresses. */
    static String directorBird(int d) throws IOException {
        String sample = Files.readString(ConfigCorpus.configSamplesDir().resolve("bird-anycast.conf"));
        return sample.replace("log syslog all;", "log stderr all;")
                .replace("router id 192.0.2.2;", "router id 10.95." + d + ".2;")
                .replace("neighbor 192.0.2.1 as 65000;", "neighbor 10.95." + d + ".1 as 65000;")
                .replace("hold time 3;", "hold time " + (int) BGP_HOLD + ";");
    }

    static void startBird(int d) throws IOException {
        start("bird-d" + d, "ip", "netns", "exec", ns(d), "bird", "-f", "-c", dir.resolve("d" + d + ".conf").toString(),
                "-s", dir.resolve("d" + d + ".sock").toString(), "-P", dir.resolve("d" + d + ".pid").toString());
    }

    static void startJavalived(int d) throws IOException {
        Path jar = Path.of(System.getProperty("javalived.jar", "../cli/target/javalived.jar")).toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns(d), javaBin(), "-XX:+UseSerialGC",
                "-Xmx128m", "-XX:TieredStopAtLevel=1"));
        if (Files.isRegularFile(jar)) {
            cmd.addAll(List.of("-jar", jar.toString()));
        } else {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.javalived.cli.Main"));
        }
        cmd.addAll(List.of("run", "--ipvs-dry-run", "-f", dir.resolve("lab.conf").toString(), "-p",
                dir.resolve("j" + d + ".pid").toString(), "-S", dir.resolve("j" + d + ".sock").toString(),
                "--metrics", "127.0.0.1:19" + (650 + d), "--tmp-dir", dir.toString()));
        start("javalived-d" + d, cmd.toArray(String[]::new));
        if (!procs.containsKey("web-d" + d)) {
            // the director answers on the VIP itself (no IPVS on this host); any address: the VIP comes later
            web("d" + d, ns(d), "0.0.0.0");
        }
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static void web(String name, String ns, String addr) throws IOException {
        Path www = dir.resolve("www-" + name);
        Files.createDirectories(www);
        Files.writeString(www.resolve("who"), name + "\n");
        start("web-" + name, "ip", "netns", "exec", ns, "python3", "-m", "http.server", "80", "--bind", addr,
                "--directory", www.toString());
    }

    static void start(String name, String... cmd) throws IOException {
        procs.put(name, new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile())).start());
    }

    static void kill9(String name) throws InterruptedException {
        Process p = procs.remove(name);
        if (p != null && p.isAlive()) {
            p.destroyForcibly(); // SIGKILL by PID (ip netns exec execs the program: same process)
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static void link(String ns1, String if1, String ns2, String if2) throws IOException {
        sh("ip link add " + T + "x netns " + ns1 + " type veth peer name " + T + "y netns " + ns2
                + " && ip -n " + ns1 + " link set " + T + "x name " + if1 + " && ip -n " + ns2 + " link set " + T
                + "y name " + if2 + " && ip -n " + ns1 + " link set " + if1 + " up && ip -n " + ns2 + " link set "
                + if2 + " up");
    }

    @AfterAll
    static void cleanup() {
        teardown();
        try {
            Runtime.getRuntime().removeShutdownHook(HOOK);
        } catch (IllegalStateException e) {
            // shutting down
        }
    }

    static synchronized void teardown() {
        for (String name : new ArrayList<>(procs.keySet())) {
            Process p = procs.get(name);
            if (name.startsWith("javalived") && p.isAlive()) {
                p.destroy();
                try {
                    p.waitFor(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        for (String name : new ArrayList<>(procs.keySet())) {
            try {
                kill9(name);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            StringBuilder del = new StringBuilder();
            for (String n : List.of(R, C, L, D1, D2, T + "s1", T + "s2", T + "s3")) {
                del.append("ip netns del ").append(n).append(" 2>/dev/null; ");
            }
            out(del + "true");
        } catch (IOException e) {
            // best effort
        }
        if (dir != null && Files.exists(dir) && System.getProperty("anycast.keep") == null) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException e) {
                // best effort
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** The router's next hops for the VIP (the directors' uplink addresses). */
    static List<String> nextHops() throws IOException {
        String r = out("ip -n " + R + " route show " + VIP);
        List<String> hops = new ArrayList<>();
        for (String line : r.split("\n")) {
            int i = line.indexOf(" via ");
            if (i >= 0) {
                hops.add(line.substring(i + 5).trim().split(" ")[0]);
            }
        }
        return hops;
    }

    static double now() {
        return System.nanoTime() / 1e9;
    }

    /** Waits until the router has {@code n} next hops; the seconds it took. */
    static double waitHops(int n, double seconds, String what) throws Exception {
        double t0 = now();
        while (now() - t0 < seconds) {
            if (nextHops().size() == n) {
                return now() - t0;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(what + ": the router has " + nextHops() + " after " + seconds + " s, not " + n
                + " next hop(s)\n" + out("ip -n " + R + " route; birdc -s " + dir.resolve("r.sock")
                + " show protocols; ip -n " + D1 + " route show table 100; ip -n " + D2 + " route show table 100; "
                + "tail -n 5 " + dir.resolve("javalived-d1.log") + " " + dir.resolve("javalived-d2.log")));
    }

    /** One request from the client with a fixed source port: the director that answered, or "FAIL". */
    static String request(int port, double timeout) throws IOException {
        String r = out("ip netns exec " + C + " curl -s -m " + timeout + " --local-port " + port + " http://" + VIP
                + "/who || echo FAIL").trim();
        return r.isEmpty() ? "FAIL" : r;
    }

    static Map<String, Integer> requests(int firstPort, int n) throws IOException {
        Map<String, Integer> m = new java.util.TreeMap<>();
        for (int p = firstPort; p < firstPort + n; p++) {
            m.merge(request(p, 3), 1, Integer::sum);
        }
        return m;
    }

    static void figure(String name, double value) throws IOException {
        figures.put(name, value);
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        String line = String.format(Locale.ROOT, "%s = %.2f s (load %s)", name, value, load);
        System.out.println("ANYCAST FIGURE " + line);
        Files.writeString(Path.of("target", "anycast-lab-figures.txt"), line + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    /** javalived_anycast_announced{table="100",vip=VIP,virtual_server=...} of director d. */
    static double announcedMetric(int d) throws IOException {
        String m = metrics(d);
        for (String line : m.split("\n")) {
            if (line.startsWith("javalived_anycast_announced{") && line.contains("vip=\"" + VIP + "\"")
                    && line.contains("table=\"100\"") && line.contains("virtual_server=\"[" + VIP + "]:tcp:80\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no javalived_anycast_announced for " + VIP + " in\n" + m);
    }

    static String metrics(int d) throws IOException {
        return out("ip netns exec " + ns(d) + " curl -s -m 5 http://127.0.0.1:19" + (650 + d) + "/metrics");
    }

    // ------------------------------------------------------------------------------------------------ tests

    @Test
    @Order(1)
    void bothDirectorsAnnounceAndTheRouterSpreadsFlows() throws Exception {
        double t = waitHops(2, 300, "both directors announcing");
        assertThat(nextHops()).containsExactlyInAnyOrder("10.95.1.2", "10.95.2.2");
        assertThat(out("ip -n " + D1 + " route show table 100 proto 99")).contains(VIP + " dev javalived-ac");
        Map<String, Integer> served = requests(40001, 40);
        System.out.println("ANYCAST flows by director: " + served);
        assertThat(served).containsOnlyKeys("d1", "d2");
        assertThat(served.get("d1")).isGreaterThan(3);
        assertThat(served.get("d2")).isGreaterThan(3);
        assertThat(announcedMetric(1)).isEqualTo(1.0);
        System.out.println("ANYCAST both announcing " + String.format(Locale.ROOT, "%.1f", t) + " s after start");
    }

    @Test
    @Order(2)
    void quorumLostWithdrawsWithinHoldDownAndRequestsKeepSucceeding() throws Exception {
        sh("ip -n " + D1 + " link set lan0 down"); // d1's checks of all three real servers fail
        try {
            quorumLost();
        } finally {
            sh("ip -n " + D1 + " link set lan0 up");
        }
        double back = waitHops(2, 60, "d1 announcing again");
        figure("real servers back -> two next hops again (checks + min_up " + MIN_UP + " s + BGP)", back);
    }

    void quorumLost() throws Exception {
        double t = waitHops(1, 60, "d1 withdrawn after quorum loss");
        assertThat(nextHops()).containsExactly("10.95.2.2");
        figure("quorum lost -> router has one next hop (checks fail + hold_down " + HOLD_DOWN + " s + BGP)", t);
        assertThat(requests(42001, 20)).containsOnlyKeys("d2");
        assertThat(Files.readString(dir.resolve("javalived-d1.log")))
                .contains("Lost quorum").contains("Anycast: withdrawing " + VIP + "/32 from table 100");
        assertThat(announcedMetric(1)).isEqualTo(0.0);
        String st = out("ip netns exec " + D1 + " " + javaBin() + " -jar "
                + Path.of("../cli/target/javalived.jar").toAbsolutePath() + " status -S " + dir.resolve("j1.sock"));
        assertThat(st).as(st).contains("anycast " + VIP + "/32 table 100  withdrawn");
    }

    @Test
    @Order(3)
    void javalivedKilledTheKernelRemovesItsRoute() throws Exception {
        double t0 = now();
        kill9("javalived-d1");
        double t = waitHops(1, 60, "d1's route gone after javalived -9");
        figure("javalived -9 on d1 -> router has one next hop (lease interface gone, BIRD withdraws)", t);
        assertThat(out("ip -n " + D1 + " route show table 100")).doesNotContain(VIP);
        assertThat(out("ip -n " + D1 + " link show javalived-ac")).contains("does not exist");
        assertThat(requests(43001, 10)).containsOnlyKeys("d2");
        startJavalived(1);
        waitHops(2, 300, "d1 announcing after its restart");
        assertThat(now() - t0).isPositive();
    }

    @Test
    @Order(4)
    void directorFrozenTheRouterConvergesAtTheBgpHoldTime() throws Exception {
        List<String> results = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Double> failedAt = java.util.Collections.synchronizedList(new ArrayList<>());
        double[] killedAt = {0};
        Thread loop = new Thread(() -> {
            int port = 44001;
            double end = now() + 15;
            while (now() < end && port < 45000) {
                try {
                    String r = request(port++, 0.5);
                    results.add(r);
                    if (r.equals("FAIL")) {
                        failedAt.add(now());
                    }
                    Thread.sleep(50);
                } catch (Exception e) {
                    return;
                }
            }
        });
        loop.start();
        Thread.sleep(3000);
        killedAt[0] = now();
        // a director that stops answering without closing anything (hung, powered off): its processes are frozen,
        // so no TCP FIN/RST tells the router; only the BGP hold time does
        for (String name : List.of("javalived-d2", "bird-d2", "web-d2")) {
            sh("kill -STOP " + procs.get(name).pid());
        }
        double t = waitHops(1, 60, "d2 dropped by the router");
        loop.join(60_000);
        long failed = results.stream().filter("FAIL"::equals).count();
        double failWindow = failedAt.isEmpty() ? 0 : failedAt.get(failedAt.size() - 1) - killedAt[0];
        figure("director d2 frozen (javalived, BIRD, web: SIGSTOP) -> router has one next hop (BGP hold time "
                + BGP_HOLD + " s)", t);
        figure("director d2 frozen: last failed request after the freeze (" + failed + " of " + results.size()
                + " requests failed, 0.5 s timeout, 50 ms apart)", failWindow);
        assertThat(nextHops()).containsExactly("10.95.1.2");
        assertThat(t).isGreaterThan(BGP_HOLD - 1.5).isLessThan(BGP_HOLD + 5);
        assertThat(failWindow).isLessThan(BGP_HOLD + 5);
        assertThat(requests(45001, 10)).containsOnlyKeys("d1");
        // then the processes die (kill -9): their sockets close, nothing more changes for the router
        kill9("javalived-d2");
        kill9("bird-d2");
        kill9("web-d2");
        assertThat(requests(45101, 5)).containsOnlyKeys("d1");
    }
}
