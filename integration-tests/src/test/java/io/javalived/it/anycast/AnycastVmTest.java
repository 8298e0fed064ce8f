package io.javalived.it.anycast;

import static io.javalived.it.lab.Shell.out;
import static io.javalived.it.lab.Shell.sh;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Anycast with real IPVS (the IPVS VM), real BIRD 2 and {@code lb_algo mh} with {@code mh-port}, {@code lb_kind DR}:
 * the topology of {@link AnycastLabTest}, but the directors run {@code javalived run} (no dry run) and the real
 * servers answer the client directly (VIP on their lo, arp_ignore=1 / arp_announce=2, the router as gateway):
 *
 * <pre>
 *   client ── router (BIRD: BGP to d1 and d2, "merge paths on", L4 ECMP hash) ──────────────┐ (real servers' gateway)
 *               ├── d1 (javalived: IPVS mh DR + BIRD) ─┐                                       │
 *               └── d2 (javalived: IPVS mh DR + BIRD) ─┴─ LAN ── s1 s2 s3 (VIP on lo, HTTP "who") ┘
 * </pre>
 *
 * (1) The router has an ECMP route with two next hops; flows from distinct source ports reach both directors (read
 * from each director's {@code ipvsadm -Lnc}). (2) One flow (fixed client address:port) reaches the same real server
 * through either director: flows recorded with both directors up; d1 loses quorum (its LAN link down), its route is
 * withdrawn, the same source ports again all go through d2: the same real server per port. (3) While d1 loses quorum
 * a client loop keeps sending: failures and convergence time are printed and written to
 * integration-tests/target/anycast-vm-figures.txt.
 */
@Tag("vm")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnycastVmTest {
    static final String T = "acv" + ProcessHandle.current().pid() % 100000;
    static final String R = T + "r", C = T + "c", L = T + "l", D1 = T + "d1", D2 = T + "d2";
    static final String VIP = "10.96.100.1";
    static final String CLIENT = "10.96.9.2";
    static final double HOLD_DOWN = 1, MIN_UP = 1;
    /** BGP hold time: longer than the host lab's 3 s, the emulated VM stalls for seconds at times. */
    static final int BGP_HOLD = 10;
    static final int FLOWS = 40, FIRST_PORT = 41001;
    static Path dir;
    static final Map<String, Process> procs = new LinkedHashMap<>();
    /** Source port → real server answering, with both directors up (test 1). */
    static final Map<Integer, String> before = new TreeMap<>();
    /** Source port → director that carried it, with both directors up (test 1). */
    static final Map<Integer, String> directorOf = new TreeMap<>();
    static final Thread HOOK = new Thread(AnycastVmTest::teardown, "anycast-vm-cleanup");

    static final String CONF = """
            virtual_server %s 80 {
                protocol TCP
                lb_algo mh
                mh-port
                lb_kind DR
                delay_loop 1
                anycast {
                    interface lo
                    table 100
                    min_up %s
                    hold_down %s
                }
                real_server 10.96.5.11 80 {
                    TCP_CHECK {
                        connect_timeout 1
                    }
                }
                real_server 10.96.5.12 80 {
                    TCP_CHECK {
                        connect_timeout 1
                    }
                }
                real_server 10.96.5.13 80 {
                    TCP_CHECK {
                        connect_timeout 1
                    }
                }
            }
            """.formatted(VIP, MIN_UP, HOLD_DOWN);

    static final String ROUTER_BIRD = """
            log stderr all;
            router id 10.96.9.1;
            protocol device { scan time 1; }
            protocol kernel { ipv4 { import none; export all; }; merge paths on; }
            template bgp dir {
              local as 65000;
              hold time %1$d;
              keepalive time 1;
              connect retry time 1;
              ipv4 { import all; export none; };
            }
            protocol bgp d1 from dir { neighbor 10.96.1.2 as 65001; }
            protocol bgp d2 from dir { neighbor 10.96.2.2 as 65001; }
            """.formatted(BGP_HOLD);

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
        AnycastLabTest.link(R, "r-d1", D1, "up0");
        AnycastLabTest.link(R, "r-d2", D2, "up0");
        AnycastLabTest.link(R, "r-c", C, "eth0");
        sh("ip -n " + R + " addr add 10.96.1.1/24 dev r-d1 && ip -n " + D1 + " addr add 10.96.1.2/24 dev up0");
        sh("ip -n " + R + " addr add 10.96.2.1/24 dev r-d2 && ip -n " + D2 + " addr add 10.96.2.2/24 dev up0");
        sh("ip -n " + R + " addr add 10.96.9.1/24 dev r-c && ip -n " + C + " addr add " + CLIENT + "/24 dev eth0"
                + " && ip -n " + C + " route add default via 10.96.9.1");
        sh("ip -n " + L + " link add br0 type bridge && ip -n " + L + " link set br0 up");
        String[] lan = {D1, D2, T + "s1", T + "s2", T + "s3", R};
        for (int i = 0; i < lan.length; i++) {
            AnycastLabTest.link(lan[i], "lan0", L, "p" + i);
            sh("ip -n " + L + " link set p" + i + " master br0");
        }
        // the router is the real servers' gateway: their replies (from the VIP) go to the client directly, so the
        // router must not drop them for arriving on another interface than its route to the VIP (rp_filter off)
        sh("ip -n " + R + " addr add 10.96.5.254/24 dev lan0 && ip netns exec " + R
                + " sh -c 'sysctl -qw net.ipv4.ip_forward=1 net.ipv4.fib_multipath_hash_policy=1;"
                + " for f in /proc/sys/net/ipv4/conf/*/rp_filter; do echo 0 > $f; done'");
        sh("ip -n " + D1 + " addr add 10.96.5.1/24 dev lan0 && ip -n " + D2 + " addr add 10.96.5.2/24 dev lan0");
        sh("ip -n " + D1 + " route add 10.96.9.0/24 via 10.96.1.1 && ip -n " + D2 + " route add 10.96.9.0/24 via 10.96.2.1");
        for (int k = 1; k <= 3; k++) {
            String n = T + "s" + k;
            // LVS-DR real server: the VIP on lo, never answered in ARP
            sh("ip -n " + n + " addr add 10.96.5.1" + k + "/24 dev lan0 && ip -n " + n + " addr add " + VIP
                    + "/32 dev lo && ip -n " + n + " route add default via 10.96.5.254 && ip netns exec " + n
                    + " sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2");
            web("s" + k, n);
        }
        Files.writeString(dir.resolve("router.conf"), ROUTER_BIRD);
        start("bird-r", "ip", "netns", "exec", R, "bird", "-f", "-c", dir.resolve("router.conf").toString(), "-s",
                dir.resolve("r.sock").toString(), "-P", dir.resolve("r.pid").toString());
        Files.writeString(dir.resolve("lab.conf"), CONF);
        // the anycast lease interface is a TUN device: the VM's /dev may lack the node (the module loads on open)
        sh("modprobe tun 2>/dev/null; [ -e /dev/net/tun ] || { mkdir -p /dev/net && mknod /dev/net/tun c 10 200; }");
        for (int d = 1; d <= 2; d++) { // both JVMs start in parallel (10-120 s each in the VM)
            sh("ip netns exec " + ns(d) + " sysctl -qw net.ipv4.ip_forward=1");
            Files.writeString(dir.resolve("d" + d + ".conf"), AnycastLabTest.directorBird(d).replace("10.95.", "10.96.")
                    .replace("hold time " + (int) AnycastLabTest.BGP_HOLD + ";", "hold time " + BGP_HOLD + ";"));
            start("bird-d" + d, "ip", "netns", "exec", ns(d), "bird", "-f", "-c",
                    dir.resolve("d" + d + ".conf").toString(), "-s", dir.resolve("d" + d + ".sock").toString(), "-P",
                    dir.resolve("d" + d + ".pid").toString());
            startJavalived(d);
        }
    }

    static void startJavalived(int d) throws IOException {
        Path jar = Path.of(System.getProperty("javalived.jar", "cli/target/javalived.jar")).toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns(d), AnycastLabTest.javaBin(),
                "-XX:+UseSerialGC", "-Xmx128m", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(List.of("-cp", Files.isRegularFile(jar) ? jar.toString() : System.getProperty("java.class.path"),
                "io.javalived.cli.Main"));
        cmd.addAll(List.of("run", "-f", dir.resolve("lab.conf").toString(), "-p",
                dir.resolve("j" + d + ".pid").toString(), "-S", dir.resolve("j" + d + ".sock").toString(),
                "--tmp-dir", dir.toString()));
        start("javalived-d" + d, cmd.toArray(String[]::new));
    }

    static void web(String name, String ns) throws IOException {
        Path www = dir.resolve("www-" + name);
        Files.createDirectories(www);
        Files.writeString(www.resolve("who"), name + "\n");
        start("web-" + name, "ip", "netns", "exec", ns, "python3", "-m", "http.server", "80", "--bind", "0.0.0.0",
                "--directory", www.toString());
    }

    static void start(String name, String... cmd) throws IOException {
        procs.put(name, new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile())).start());
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
        for (Map.Entry<String, Process> e : procs.entrySet()) {
            if (e.getKey().startsWith("javalived") && e.getValue().isAlive()) {
                e.getValue().destroy();
            }
        }
        for (Map.Entry<String, Process> e : procs.entrySet()) {
            Process p = e.getValue();
            try {
                // javalived removes its routes and IPVS services on SIGTERM; the others (BIRD, web) are killed
                if (!e.getKey().startsWith("javalived") || !p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
        procs.clear();
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

    static String diagnostics() throws IOException {
        return out("ip -n " + R + " route; birdc -s " + dir.resolve("r.sock") + " show protocols; for n in " + D1
                + " " + D2 + "; do echo == $n; ip -n $n route show table 100; ip netns exec $n ipvsadm -Ln; done; "
                + "tail -n 15 " + dir.resolve("javalived-d1.log") + " " + dir.resolve("javalived-d2.log") + " "
                + dir.resolve("bird-d1.log") + " " + dir.resolve("bird-r.log"));
    }

    static double waitHops(int n, double seconds, String what) throws Exception {
        double t0 = now();
        while (now() - t0 < seconds) {
            if (nextHops().size() == n) {
                return now() - t0;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(what + ": the router has " + nextHops() + " after " + seconds + " s, not " + n
                + " next hop(s)\n" + diagnostics());
    }

    static void waitLog(int d, String line, double seconds) throws Exception {
        Path log = dir.resolve("javalived-d" + d + ".log");
        double t0 = now();
        while (now() - t0 < seconds) {
            if (Files.readString(log).contains(line)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no \"" + line + "\" in " + log + " after " + seconds + " s\n" + diagnostics());
    }

    /** One request per source port from the client (one shell): port → the real server's name, or "FAIL". */
    static Map<Integer, String> requests(int firstPort, int n, double timeout) throws IOException {
        String o = out("for p in $(seq " + firstPort + " " + (firstPort + n - 1) + "); do r=$(ip netns exec " + C
                + " curl -s -m " + timeout + " --local-port $p http://" + VIP + "/who); echo \"$p ${r:-FAIL}\"; done");
        Map<Integer, String> m = new TreeMap<>();
        for (String line : o.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length == 2 && f[0].matches("\\d+")) {
                m.put(Integer.parseInt(f[0]), f[1]);
            }
        }
        assertThat(m).as(o).hasSize(n);
        return m;
    }

    /** The client source ports in director d's IPVS connection table → the real server address IPVS chose. */
    static Map<Integer, String> connections(int d) throws IOException {
        String o = sh("ip netns exec " + ns(d) + " ipvsadm -Lnc");
        Map<Integer, String> m = new TreeMap<>();
        for (String line : o.split("\n")) {
            String[] f = line.trim().split("\\s+");
            // pro expire state source virtual destination
            if (f.length >= 6 && f[3].startsWith(CLIENT + ":") && f[4].equals(VIP + ":80")) {
                m.put(Integer.parseInt(f[3].substring(CLIENT.length() + 1)), f[5].replace(":80", ""));
            }
        }
        return m;
    }

    static void figure(String line) throws IOException {
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        String text = line + " (load " + load + ")";
        System.out.println("ANYCAST VM FIGURE " + text);
        Path f = Path.of("integration-tests", "target", "anycast-vm-figures.txt");
        if (!Files.isDirectory(f.getParent())) {
            f = Path.of("target", "anycast-vm-figures.txt");
        }
        Files.createDirectories(f.getParent());
        Files.writeString(f, text + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static String server(String ip) {
        return "s" + ip.substring(ip.length() - 1); // 10.96.5.1k → sk
    }

    // ------------------------------------------------------------------------------------------------ tests

    @Test
    @Order(1)
    void ecmpOverBothDirectorsWithRealIpvsMhDr() throws Exception {
        double t = waitHops(2, 300, "both directors announcing");
        assertThat(nextHops()).containsExactlyInAnyOrder("10.96.1.2", "10.96.2.2");
        waitLog(1, "javalived running", 60);
        waitLog(2, "javalived running", 60);
        for (int d = 1; d <= 2; d++) {
            String svc = sh("ip netns exec " + ns(d) + " ipvsadm -Ln");
            // the scheduler flag reaches the kernel: Maglev hashing on address and port
            assertThat(svc).as(svc).containsPattern("TCP  " + VIP.replace(".", "\\.") + ":80 mh \\(mh-port\\)")
                    .containsPattern("10\\.96\\.5\\.11:80\\s+Route").containsPattern("10\\.96\\.5\\.12:80\\s+Route")
                    .containsPattern("10\\.96\\.5\\.13:80\\s+Route");
        }
        Map<Integer, String> served = requests(FIRST_PORT, FLOWS, 3);
        Map<Integer, String> c1 = connections(1), c2 = connections(2);
        Map<String, Integer> byDirector = new TreeMap<>(), byServer = new TreeMap<>();
        for (Map.Entry<Integer, String> e : served.entrySet()) {
            int port = e.getKey();
            assertThat(e.getValue()).as("port " + port + "\n" + diagnostics()).matches("s[123]");
            assertThat(c1.containsKey(port) ^ c2.containsKey(port)).as("port " + port + " in exactly one"
                    + " director's connection table: d1 " + c1.keySet() + " d2 " + c2.keySet()).isTrue();
            String d = c1.containsKey(port) ? "d1" : "d2";
            String rs = server((d.equals("d1") ? c1 : c2).get(port));
            assertThat(rs).as("IPVS destination of port " + port + " = the real server that answered")
                    .isEqualTo(e.getValue());
            before.put(port, e.getValue());
            directorOf.put(port, d);
            byDirector.merge(d, 1, Integer::sum);
            byServer.merge(e.getValue(), 1, Integer::sum);
        }
        figure(String.format(Locale.ROOT, "both directors announcing %.1f s after the lab start; %d flows from"
                + " distinct source ports: by director %s, by real server %s", t, FLOWS, byDirector, byServer));
        assertThat(byDirector.getOrDefault("d1", 0)).isGreaterThan(3);
        assertThat(byDirector.getOrDefault("d2", 0)).isGreaterThan(3);
        assertThat(byServer).hasSize(3);
    }

    @Test
    @Order(2)
    void quorumLostOnOneDirectorItsFlowsMoveToTheOtherAndKeepTheirRealServer() throws Exception {
        assertThat(before).as("test 1 ran").hasSize(FLOWS);
        // a client loop during the convergence, one shell in the client's namespace (a process per request from
        // the JVM is slow in the emulated VM): a new source port per request, 1 s timeout, 50 ms apart
        Path loopLog = dir.resolve("loop.log"), stopFile = dir.resolve("loop.stop");
        Process loop = new ProcessBuilder("ip", "netns", "exec", C, "bash", "-c", "for p in $(seq 46001 46999); do [ -e "
                + stopFile + " ] && break; t=$(date +%s.%N); r=$(curl -s -m 1 --local-port $p http://" + VIP
                + "/who); echo \"$t $p ${r:-FAIL}\"; sleep 0.05; done").redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(loopLog.toFile()).start();
        procs.put("client-loop", loop);
        double cut0 = System.currentTimeMillis() / 1000.0;
        while (Files.readString(loopLog).lines().count() < 10 && System.currentTimeMillis() / 1000.0 - cut0 < 60) {
            Thread.sleep(100);
        }
        double cut = System.currentTimeMillis() / 1000.0;
        sh("ip -n " + D1 + " link set lan0 down"); // d1's checks of all three real servers fail: quorum lost
        try {
            double t = waitHops(1, 120, "d1 withdrawn after quorum loss");
            assertThat(nextHops()).containsExactly("10.96.2.2");
            // the loop keeps going a little after the convergence: requests succeed through d2
            long n = Files.readString(loopLog).lines().count();
            double t1 = now();
            while (Files.readString(loopLog).lines().count() < n + 10 && now() - t1 < 60) {
                Thread.sleep(100);
            }
            Files.writeString(stopFile, "");
            loop.waitFor(30, TimeUnit.SECONDS);
            List<String[]> results = new ArrayList<>();
            for (String line : Files.readString(loopLog).split("\n")) {
                String[] f = line.trim().split(" ");
                if (f.length == 3 && f[0].matches("[0-9.]+")) {
                    results.add(f);
                }
            }
            long failed = results.stream().filter(f -> f[2].equals("FAIL")).count();
            long afterCut = results.stream().filter(f -> Double.parseDouble(f[0]) >= cut).count();
            double lastFail = results.stream().filter(f -> f[2].equals("FAIL"))
                    .mapToDouble(f -> Double.parseDouble(f[0]) - cut).max().orElse(0);
            figure(String.format(Locale.ROOT, "d1 quorum lost (LAN link down) -> router has one next hop after"
                    + " %.2f s (checks fail + hold_down %.0f s + BGP); client loop: %d of %d requests failed (%d sent"
                    + " after the cut; 1 s timeout, 50 ms apart), last failure started %.2f s after the cut", t,
                    HOLD_DOWN, failed, results.size(), afterCut, lastFail));
            assertThat(results.subList(results.size() - 3, results.size())).as("requests after convergence")
                    .noneMatch(f -> f[2].equals("FAIL"));
            assertThat(Files.readString(dir.resolve("javalived-d1.log")))
                    .contains("Lost quorum").contains("Anycast: withdrawing " + VIP + "/32 from table 100");

            // the same source ports again: all through d2 now, each to the real server it reached before
            Map<Integer, String> after = requests(FIRST_PORT, FLOWS, 3);
            Map<Integer, String> c2 = connections(2);
            int moved = 0;
            List<String> differ = new ArrayList<>();
            for (int port : before.keySet()) {
                // (not every port need still be in d2's connection table: the real server may hold the previous
                // connection of the same address:port in TIME_WAIT, and a refused SYN + RST ends IPVS's entry)
                if (directorOf.get(port).equals("d1")) {
                    moved++;
                }
                if (!after.get(port).equals(before.get(port))) {
                    differ.add(port + ": " + directorOf.get(port) + "/" + before.get(port) + " -> d2/"
                            + after.get(port));
                }
            }
            figure("same " + FLOWS + " source ports after d1 withdrew: " + moved + " moved from d1 to d2 (" + c2.keySet()
                    .stream().filter(before::containsKey).count() + " of " + FLOWS + " in d2's IPVS connection table), "
                    + differ.size() + " reached another real server " + differ);
            assertThat(c2.keySet().stream().filter(p -> directorOf.get(p) != null && directorOf.get(p).equals("d1")))
                    .as("flows of d1 now in d2's connection table").isNotEmpty();
            assertThat(connections(1).keySet().stream().filter(before::containsKey).filter(p -> !directorOf.get(p)
                    .equals("d1"))).as("d2's flows never reached d1").isEmpty();
            assertThat(moved).isGreaterThan(3);
            assertThat(differ).as("flows that changed real server when moving between directors").isEmpty();
        } finally {
            Files.writeString(stopFile, "");
            sh("ip -n " + D1 + " link set lan0 up");
        }
        double back = waitHops(2, 120, "d1 announcing again");
        figure(String.format(Locale.ROOT, "d1's real servers back -> two next hops after %.2f s (checks + min_up"
                + " %.0f s + BGP)", back, MIN_UP));
    }
}
