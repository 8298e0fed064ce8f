package io.javalived.it.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.it.lab.Shell;
import io.javalived.it.soak.SoakInvariants.ProcSample;
import io.javalived.it.soak.SoakInvariants.Request;
import io.javalived.it.soak.SoakInvariants.Sample;
import io.javalived.it.soak.SoakSchedule.Fault;
import io.javalived.it.soak.SoakSchedule.Kind;
import io.javalived.it.vrrp.VrrpLab;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The chaos soak (root; not part of {@code ./run-tests}): three VRRP nodes on the lab bridge share a VIP - nodes 1
 * and 2 run javalived (the launcher, {@code run -P}), node 3 Debian's keepalived - each with an HTTP responder bound
 * to the VIP, and node 4 runs a client loop through the VIP. A seeded random schedule ({@link SoakSchedule}) brings a
 * fault every few seconds: kill -9 and restart, SIGTERM and restart, SIGHUP with a new priority or a broken file,
 * VRRP dropped between two nodes for 10 s (nft in both namespaces; tc on the bridge ports without nft), link down
 * and up, CPU starvation of a javalived (its cgroup's cpu quota). The VIP's holders are sampled four times a second
 * and {@link SoakInvariants} judges the samples, the client's requests, the javalived logs and the daemons' threads
 * and fds after each reload. It prints the seed first, and at the end the faults run, the checks per invariant and
 * every violation; it fails on any violation. A failing schedule replays with its seed:
 *
 * <pre>
 * mvn -B -o -pl integration-tests test -Dtest=ChaosSoak -DexcludedGroups= -Dgroups=soak \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dsoak.minutes=30 -Dsoak.seed=N
 * </pre>
 * (-am with a fresh checkout; -Djavalived.keepLab=true keeps the configs and logs.)
 */
@Tag("soak")
class ChaosSoak {
    static final int ADVERT_MS = 1000;
    static final int PORT = 8080;
    static final String VIP = VrrpLab.VIP;
    static final int CLIENT = 4;
    /**
     * The client's neighbour timers (set short in its namespace: reachable 1-3 s, first probe after 1 s, 3 unicast
     * probes 1 s apart, then broadcast): a stale entry for the VIP is replaced within about 8 s; with a request's
     * 1 s timeout, the grace for requests after a healed split brain.
     */
    static final long NEIGHBOUR_GRACE_MS = 10_000;

    final long seed = Long.getLong("soak.seed", System.currentTimeMillis() % 1_000_000);
    final double minutes = Double.parseDouble(System.getProperty("soak.minutes", "3"));
    final long slackMs = Long.getLong("soak.slackMs", 1500);
    final long settleMs = SoakSchedule.settleMillis(ADVERT_MS, slackMs);

    VrrpLab lab;
    Path jar;
    final Map<Integer, Node> nodes = new TreeMap<>();
    final List<Process> helpers = new ArrayList<>();
    SoakInvariants inv;
    volatile boolean sampling = true;
    String cgroupDir;
    String cgroupRoot;
    final Map<Kind, Integer> faultsRun = new EnumMap<>(Kind.class);

    /** One VRRP node: its daemon and what the harness knows of it. */
    final class Node {
        final int n;
        final boolean javalived;
        int priority;
        Process proc;
        int starts;
        String logName;
        volatile boolean running;
        volatile boolean linkUp = true;
        volatile Long downSince;
        int reloads;

        Node(int n, boolean javalived, int priority) {
            this.n = n;
            this.javalived = javalived;
            this.priority = priority;
        }

        String conf(boolean broken) {
            String s = "global_defs {\n    router_id soak" + n + "\n    vrrp_garp_master_delay 1\n"
                    + "    vrrp_garp_master_repeat 2\n}\n"
                    + "vrrp_instance VI_1 {\n    state BACKUP\n    interface eth0\n    virtual_router_id 51\n"
                    + "    priority " + priority + "\n    advert_int 1\n    virtual_ipaddress {\n        " + VIP
                    + "/24 dev eth0\n    }\n}\n";
            // broken: an instance left open and a bad router id - the reload must be refused
            return broken ? s + "vrrp_instance VI_BROKEN {\n    interface eth0\n    virtual_router_id 300\n" : s;
        }

        Path confFile() {
            return lab.dir.resolve("n" + n + ".conf");
        }

        void start() throws IOException {
            starts++;
            logName = (javalived ? "n" : "k") + n + "-s" + starts;
            downSince = null;
            running = false;
            if (javalived) {
                Files.writeString(confFile(), conf(false));
                Path tmp = lab.dir.resolve("n" + n + "-tmp");
                Files.createDirectories(tmp);
                List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", lab.ns(n),
                        launcherDir().resolve("javalived").toString(), "run", "-P", "--no-metrics", "-f",
                        confFile().toString(), "-p", lab.dir.resolve("n" + n + ".pid").toString(), "-S",
                        lab.dir.resolve("n" + n + ".sock").toString(), "--state-file",
                        lab.dir.resolve("n" + n + ".state").toString(), "--tmp-dir", tmp.toString()));
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(lab.dir.resolve(logName + ".log").toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                pb.environment().put("JAVALIVED_JAR", jar.toString());
                pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
                pb.environment().put("JAVALIVED_JAVA_OPTS", "-XX:+UseSerialGC -Xmx96m -XX:TieredStopAtLevel=1");
                pb.environment().remove("_JAVA_SR_SIGNUM");
                proc = pb.start();
            } else {
                proc = lab.keepalived(n, conf(false), logName);
            }
        }

        /** Waits until the daemon runs its VRRP instance; false if it died or took {@code seconds}. */
        boolean awaitRunning(int seconds) {
            boolean ok = VrrpLab.waitFor(Duration.ofSeconds(seconds), () -> !proc.isAlive() || (javalived
                    ? log().contains("javalived running")
                    : log().contains("Entering BACKUP STATE") || log().contains("Entering MASTER STATE")));
            running = ok && proc.isAlive();
            return running;
        }

        String log() {
            try {
                return Files.readString(lab.dir.resolve(logName + ".log"));
            } catch (IOException e) {
                return "";
            }
        }

        /** kill -9 (keepalived: its VRRP child too, as a crash). */
        void kill9() throws IOException {
            running = false;
            if (!javalived) {
                Shell.out("kill -STOP " + proc.pid());
                Path child = lab.dir.resolve(logName + "_vrrp.pid");
                if (Files.exists(child)) {
                    String pid = Files.readString(child).trim();
                    if (!pid.isEmpty()) {
                        Shell.out("kill -KILL " + pid);
                    }
                }
            }
            proc.destroyForcibly();
            VrrpLab.waitExit(proc, 15);
            scanLog();
        }

        /** SIGTERM, waiting for the exit; the node is down (no VIP allowed) from then. */
        void term() {
            running = false;
            proc.destroy();
            VrrpLab.waitExit(proc, 20);
            if (proc.isAlive()) {
                inv.check("SIGTERM stops the daemon within 20 s", false, logName);
                proc.destroyForcibly();
                VrrpLab.waitExit(proc, 5);
            } else {
                inv.check("SIGTERM stops the daemon within 20 s", true, logName);
            }
            downSince = System.currentTimeMillis();
            scanLog();
        }

        void scanLog() {
            if (javalived) {
                inv.log(logName, log());
            }
        }

        int count(String what) {
            String l = log();
            int c = 0;
            for (int i = l.indexOf(what); i >= 0; i = l.indexOf(what, i + 1)) {
                c++;
            }
            return c;
        }

        /** SIGHUP and wait for the outcome's log line; then the daemon's threads and fds. */
        boolean hup(String outcome) throws IOException {
            int before = count(outcome);
            Shell.sh("kill -HUP " + proc.pid());
            boolean ok = VrrpLab.waitFor(Duration.ofSeconds(30), () -> count(outcome) > before);
            reloads++;
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int threads = countDir("/proc/" + proc.pid() + "/task");
            int fds = countDir("/proc/" + proc.pid() + "/fd");
            if (threads > 0) {
                inv.proc(new ProcSample("node " + n + " pid " + proc.pid(), reloads, threads, fds));
            }
            return ok && proc.isAlive();
        }
    }

    static int countDir(String dir) {
        File[] f = new File(dir).listFiles();
        return f == null ? 0 : f.length;
    }

    private static Path launcherDir() {
        Path top = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (top != null && !(Files.isRegularFile(top.resolve("javalived")) && Files.exists(top.resolve("pom.xml")))) {
            top = top.getParent();
        }
        assertThat(top).as("checkout with the javalived launcher").isNotNull();
        return top;
    }

    /** A manifest-only jar whose Class-Path is this test's: the launcher runs the code under test. */
    private Path manifestJar() throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "io.javalived.cli.Main");
        StringBuilder cp = new StringBuilder();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            cp.append(cp.length() == 0 ? "" : " ").append(new File(e).toURI());
        }
        mf.getMainAttributes().put(Attributes.Name.CLASS_PATH, cp.toString());
        Path j = lab.dir.resolve("javalived.jar");
        try (OutputStream o = Files.newOutputStream(j); JarOutputStream x = new JarOutputStream(o, mf)) {
            // manifest only
        }
        return j;
    }

    private Process helper(int node, String log, String... cmd) throws IOException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", lab.ns(node)));
        c.addAll(List.of(cmd));
        Process p = new ProcessBuilder(c).redirectErrorStream(true).redirectOutput(lab.dir.resolve(log).toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        helpers.add(p);
        return p;
    }

    private void writeScripts() throws IOException {
        // an HTTP responder on the VIP (IP_FREEBIND: bound whether the node holds the VIP or not)
        Files.writeString(lab.dir.resolve("responder.py"), """
                import socket, sys
                vip, port, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
                s = socket.socket()
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.setsockopt(socket.SOL_IP, 15, 1)
                s.bind((vip, port))
                s.listen(128)
                while True:
                    c, _ = s.accept()
                    try:
                        c.settimeout(1)
                        c.recv(1024)
                        body = name.encode()
                        c.sendall(b"HTTP/1.0 200 OK\\r\\nContent-Length: %d\\r\\n\\r\\n%s" % (len(body), body))
                    except Exception:
                        pass
                    c.close()
                """);
        // the client loop: one line per request, 'END_MS 1 NODE' or 'END_MS 0 ERROR', until the stop file exists
        Files.writeString(lab.dir.resolve("client.py"), """
                import os, socket, sys, time
                vip, port, stop, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
                f = open(out, "w", buffering=1)
                end = time.time() + 7 * 24 * 3600
                while not os.path.exists(stop) and time.time() < end:
                    try:
                        c = socket.create_connection((vip, port), timeout=1)
                        c.settimeout(1)
                        c.sendall(b"GET / HTTP/1.0\\r\\n\\r\\n")
                        d = b""
                        while True:
                            x = c.recv(4096)
                            if not x:
                                break
                            d += x
                        c.close()
                        if d.startswith(b"HTTP/1.0 200"):
                            f.write("%d 1 %s\\n" % (time.time() * 1000, d.split(b"\\r\\n\\r\\n", 1)[-1].decode()))
                        else:
                            f.write("%d 0 answer %r\\n" % (time.time() * 1000, d[:40]))
                    except Exception as e:
                        f.write("%d 0 %s\\n" % (time.time() * 1000, str(e).replace("\\n", " ")))
                    time.sleep(0.1)
                f.close()
                """);
    }

    /** Samples which nodes hold the VIP, with what the harness knows of each node at that moment. */
    private void sampler() {
        StringBuilder script = new StringBuilder();
        for (int n : nodes.keySet()) {
            script.append("echo '#").append(n).append("'; ip -n ").append(lab.ns(n))
                    .append(" -o -4 addr show dev eth0; ");
        }
        while (sampling) {
            try {
                String out = Shell.out(script.toString());
                long t = System.currentTimeMillis();
                Set<Integer> holders = new HashSet<>();
                int cur = 0;
                for (String l : out.split("\n")) {
                    if (l.startsWith("#")) {
                        cur = Integer.parseInt(l.substring(1).trim());
                    } else if (l.contains(" " + VIP + "/")) {
                        holders.add(cur);
                    }
                }
                Map<Integer, Integer> live = new HashMap<>();
                Map<Integer, Long> down = new HashMap<>();
                for (Node x : nodes.values()) {
                    if (x.running && x.linkUp) {
                        live.put(x.n, x.priority);
                    }
                    if (x.downSince != null) {
                        down.put(x.n, x.downSince);
                    }
                }
                inv.sample(new Sample(t, holders, live, down));
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                // next round
            }
        }
    }

    /** nft in both namespaces when there is nft, else tc on the bridge's ports (a blackhole band for VRRP). */
    private void blockVrrp(int a, int b, boolean block) throws IOException {
        boolean nft = !Shell.out("command -v nft").isBlank();
        for (int[] p : new int[][] {{a, b}, {b, a}}) {
            if (nft) {
                if (block) {
                    Shell.sh("ip netns exec " + lab.ns(p[0]) + " nft -f - <<'X'\ntable inet soak {\n  chain in {\n"
                            + "    type filter hook input priority 0;\n    ip saddr 10.77.0." + p[1]
                            + " ip protocol vrrp drop\n  }\n}\nX");
                } else {
                    Shell.sh("ip netns exec " + lab.ns(p[0]) + " nft delete table inet soak");
                }
            } else {
                String dev = "ip netns exec " + lab.ns(0).replace("_0", "b") + " tc ";
                String port = " dev p" + p[0];
                if (block) {
                    Shell.sh(dev + "qdisc add" + port + " root handle 1: htb default 10 && " + dev + "class add" + port
                            + " parent 1: classid 1:10 htb rate 10gbit && " + dev + "class add" + port
                            + " parent 1: classid 1:30 htb rate 10gbit && " + dev + "qdisc add" + port
                            + " parent 1:30 handle 30: blackhole && " + dev + "filter add" + port
                            + " parent 1: protocol ip prio 1 u32 match ip protocol 112 0xff match ip src 10.77.0."
                            + p[1] + "/32 flowid 1:30");
                } else {
                    Shell.sh(dev + "qdisc del" + port + " root");
                }
            }
        }
    }

    /**
     * Holds a javalived's process to 3% of one CPU (cgroup v2 cpu.max, else v1 cfs quota; its real-time VRRP thread to
     * 3% of real-time time), or lets it go.
     */
    private void starve(Node x, boolean on) throws IOException {
        if (cgroupDir == null) {
            String tag = "jvsoak" + ProcessHandle.current().pid();
            if (Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))
                    && Files.readString(Path.of("/sys/fs/cgroup/cgroup.controllers")).contains("cpu")) {
                cgroupRoot = "/sys/fs/cgroup";
                cgroupDir = cgroupRoot + "/" + tag;
                Shell.sh("mkdir -p " + cgroupDir + " && echo '3000 100000' > " + cgroupDir + "/cpu.max");
            } else {
                cgroupRoot = "/sys/fs/cgroup/cpu";
                cgroupDir = cgroupRoot + "/" + tag;
                // v1: a process with a real-time thread (javalived's VRRP thread is SCHED_RR, as keepalived's) moves
                // only into a group with a real-time budget
                Shell.sh("mkdir -p " + cgroupDir + " && echo 100000 > " + cgroupDir + "/cpu.cfs_period_us && echo 3000 > "
                        + cgroupDir + "/cpu.cfs_quota_us && echo 30000 > " + cgroupDir + "/cpu.rt_runtime_us");
            }
        }
        Shell.sh("echo " + x.proc.pid() + " > " + (on ? cgroupDir : cgroupRoot) + "/cgroup.procs");
    }

    private void runFault(Fault f, long t0) throws Exception {
        Node x = nodes.get(f.node());
        long start = System.currentTimeMillis();
        System.out.printf("[soak] t=%6.1fs %s%n", (start - t0) / 1000.0, f);
        faultsRun.merge(f.kind(), 1, Integer::sum);
        switch (f.kind()) {
            case KILL9_RESTART, SIGTERM_RESTART -> {
                int w = inv.open(start, f.toString());
                if (f.kind() == Kind.KILL9_RESTART) {
                    x.kill9();
                } else {
                    x.term();
                }
                Thread.sleep(f.holdMillis());
                x.start();
                boolean ok = x.awaitRunning(120);
                inv.check("a restarted daemon runs", ok, x.logName + "\n" + x.log());
                inv.close(w, System.currentTimeMillis());
            }
            case HUP_PRIORITY -> {
                int w = inv.open(start, f.toString());
                x.priority = f.priority();
                Files.writeString(x.confFile(), x.conf(false));
                boolean ok = x.hup("Reload done");
                inv.check("a reload with a new priority is applied", ok, x.logName + "\n" + x.log());
                inv.close(w, System.currentTimeMillis());
            }
            case HUP_BROKEN -> {
                // no window: a refused reload must not disturb anything
                Files.writeString(x.confFile(), x.conf(true));
                boolean ok = x.hup("Reload failed, keeping the running configuration");
                inv.check("a broken reload is refused and the daemon keeps running", ok,
                        x.logName + "\n" + x.log());
                Files.writeString(x.confFile(), x.conf(false));
            }
            case BLOCK_VRRP -> {
                int w = inv.open(start, f.toString(), NEIGHBOUR_GRACE_MS);
                blockVrrp(f.node(), f.peer(), true);
                Thread.sleep(f.holdMillis());
                blockVrrp(f.node(), f.peer(), false);
                inv.close(w, System.currentTimeMillis());
            }
            case LINK_FLAP -> {
                int w = inv.open(start, f.toString());
                Shell.sh("ip -n " + lab.ns(f.node()) + " link set eth0 down");
                x.linkUp = false;
                x.downSince = System.currentTimeMillis();
                Thread.sleep(f.holdMillis());
                x.downSince = null;
                Shell.sh("ip -n " + lab.ns(f.node()) + " link set eth0 up");
                x.linkUp = true;
                inv.close(w, System.currentTimeMillis());
            }
            case CPU_STARVE -> {
                int w = inv.open(start, f.toString(), NEIGHBOUR_GRACE_MS);
                starve(x, true);
                Thread.sleep(f.holdMillis());
                starve(x, false);
                inv.close(w, System.currentTimeMillis());
            }
            default -> throw new IllegalStateException(f.toString());
        }
    }

    @Test
    void chaosSoak() throws Exception {
        long durationMs = (long) (minutes * 60_000);
        System.out.printf("[soak] seed %d, %.1f min, settle %d ms after each fault (replay: -Dsoak.seed=%d)%n", seed,
                minutes, settleMs, seed);
        List<Fault> schedule = SoakSchedule.generate(seed, durationMs, 5000, 2000, 6000);
        inv = new SoakInvariants(settleMs, 1000, 6, 8);
        lab = new VrrpLab(4);
        Thread sampler = null;
        try {
            jar = manifestJar();
            writeScripts();
            for (int n : SoakSchedule.NODES) {
                nodes.put(n, new Node(n, SoakSchedule.JAVALIVED.contains(n), SoakSchedule.START_PRIORITIES.get(n)));
                helper(n, "responder" + n + ".log", "python3", lab.dir.resolve("responder.py").toString(), VIP,
                        "" + PORT, "node" + n);
            }
            for (Node x : nodes.values()) {
                x.start();
            }
            for (Node x : nodes.values()) {
                assertThat(x.awaitRunning(120)).as(x.logName + "\n" + x.log()).isTrue();
            }
            assertThat(VrrpLab.waitFor(Duration.ofSeconds(30), () -> lab.hasAddress(1, VIP)
                    && !lab.hasAddress(2, VIP) && !lab.hasAddress(3, VIP))).as("node 1 (150) MASTER").isTrue();
            Shell.sh("ip netns exec " + lab.ns(CLIENT) + " sysctl -qw net.ipv4.neigh.eth0.base_reachable_time_ms=2000"
                    + " net.ipv4.neigh.eth0.delay_first_probe_time=1 net.ipv4.neigh.eth0.retrans_time_ms=1000"
                    + " net.ipv4.neigh.eth0.ucast_solicit=3");
            Path requests = lab.dir.resolve("requests.txt");
            Path stop = lab.dir.resolve("client.stop");
            helper(CLIENT, "client.log", "python3", lab.dir.resolve("client.py").toString(), VIP, "" + PORT,
                    stop.toString(), requests.toString());
            sampler = new Thread(this::sampler, "soak-sampler");
            sampler.setDaemon(true);
            sampler.start();

            long t0 = System.currentTimeMillis();
            long nextAt = t0 + schedule.get(0).atMillis();
            int run = 0;
            for (int i = 0; i < schedule.size(); i++) {
                Fault f = schedule.get(i);
                long now = System.currentTimeMillis();
                if (now - t0 >= durationMs) {
                    break;
                }
                if (nextAt > now) {
                    Thread.sleep(nextAt - now);
                }
                runFault(f, t0);
                run++;
                if (i + 1 < schedule.size()) { // the schedule's gap, after the fault is over and VRRP settled
                    Fault g = schedule.get(i + 1);
                    long gap = g.atMillis() - f.atMillis() - f.holdMillis();
                    nextAt = System.currentTimeMillis() + (f.kind() == Kind.HUP_BROKEN ? 0 : settleMs) + gap;
                }
            }
            long end = Math.max(nextAt, System.currentTimeMillis() + settleMs);
            Thread.sleep(Math.max(0, end - System.currentTimeMillis()));
            sampling = false;
            sampler.join(10_000);
            Files.writeString(stop, "");
            VrrpLab.waitFor(Duration.ofSeconds(10), () -> helpers.stream().noneMatch(p -> p.isAlive()
                    && p.info().commandLine().orElse("").contains("client.py")));
            long ok = 0;
            long failed = 0;
            for (String l : Files.readAllLines(requests)) {
                String[] p = l.split(" ", 3);
                if (p.length < 3 || !p[0].matches("\\d+")) {
                    continue;
                }
                boolean good = p[1].equals("1");
                if (good) {
                    ok++;
                } else {
                    failed++;
                }
                inv.request(new Request(Long.parseLong(p[0]), good, p[2]));
            }
            for (Node x : nodes.values()) {
                x.scanLog();
            }
            inv.evaluate();
            double[] load = loadAverage();
            System.out.printf("[soak] seed %d: %d of %d scheduled faults in %.1f min: %s; requests %d answered, %d"
                    + " failed (all failed inside fault windows unless listed); load average %.2f %.2f %.2f%n", seed,
                    run, schedule.size(), (System.currentTimeMillis() - t0) / 60_000.0, faultsRun, ok, failed,
                    load[0], load[1], load[2]);
            System.out.print(inv.report());
            assertThat(inv.violations()).as("violations (replay with -Dsoak.seed=" + seed + ")").isEmpty();
        } finally {
            sampling = false;
            if (sampler != null) {
                sampler.interrupt();
            }
            for (Node x : nodes.values()) {
                if (x.proc != null) {
                    VrrpLab.stop(x.proc, 15);
                }
            }
            for (Process p : helpers) {
                VrrpLab.stop(p, 3);
            }
            if (cgroupDir != null) {
                Shell.out("rmdir " + cgroupDir);
            }
            lab.close();
        }
    }

    private static double[] loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
        } catch (IOException e) {
            return new double[3];
        }
    }
}
