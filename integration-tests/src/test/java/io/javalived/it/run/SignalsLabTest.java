package io.javalived.it.run;

import static io.javalived.it.lab.Shell.out;
import static io.javalived.it.lab.Shell.sh;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every signal keepalived 2.2.7 handles or ignores, sent to a running {@code javalived run} that is VRRP MASTER
 * (root; network namespaces {@code jvsgPID*}): the daemon stays alive, writes no hs_err file and keeps sending its
 * adverts on schedule; SIGUSR1, SIGUSR2 and SIGRTMIN+2 write keepalived.data, keepalived.stats and keepalived.json
 * with the lines keepalived-exporter reads; SIGRTMAX-1 clears the stats counters. SIGTERM or SIGINT last: a
 * priority-0 advert.
 *
 * <p>keepalived's set is read from keepalived itself: Debian's keepalived runs in its own namespace and its parent's
 * {@code /proc/PID/status} says which signals it ignores (SigIgn) and which it takes through its signalfd (SigBlk).
 *
 * <p>Started with SIGHUP, SIGINT and SIGTERM ignored ({@code nohup}, a background job), keepalived and javalived alike
 * still reload on SIGHUP and stop on SIGINT with priority 0.
 *
 * <p>Two ways to start the daemon: the {@code javalived} launcher script (JAVALIVED_JAR: a manifest-only jar over
 * this test's class path; the launcher moves the JVM's suspend signal off SIGUSR2) and plain {@code java -cp ...}
 * (the JVM's suspend signal stays SIGUSR2, which javalived then takes over).
 */
class SignalsLabTest {
    static final int SIGINT = 2;
    static final int SIGTERM = 15;
    static final int VRID = 57;
    static final String SRC = "10.57.0.1";
    static final String VIP = "10.57.0.100";
    /** advert_int 1 s; the largest gap allowed between two adverts while signals arrive. */
    static final double MAX_GAP = 1.5;

    final String tag = "jvsg" + ProcessHandle.current().pid() % 100000;
    final List<String> namespaces = new ArrayList<>();
    final List<Process> procs = new ArrayList<>();
    Path dir;

    @BeforeEach
    void dir() throws IOException {
        dir = Files.createTempDirectory(tag);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void cleanUp() {
        for (Process p : procs) {
            if (p.isAlive()) {
                p.destroy();
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
            } catch (IOException e) {
                // best effort
            }
        }
        namespaces.clear();
        procs.clear();
        try {
            out("rm -rf " + dir); // the assertions carry the logs they need
        } catch (IOException e) {
            // best effort
        }
    }

    /** A namespace with a veth pair eth0 (10.57.0.1/24) - eth1, both up. */
    private String namespace(String name) throws IOException {
        String ns = tag + "_" + name;
        sh("ip netns add " + ns);
        namespaces.add(ns);
        sh("ip -n " + ns + " link set lo up");
        sh("ip -n " + ns + " link add eth0 type veth peer name eth1");
        sh("ip -n " + ns + " addr add " + SRC + "/24 dev eth0");
        sh("ip -n " + ns + " link set eth0 up");
        sh("ip -n " + ns + " link set eth1 up");
        return ns;
    }

    /** tcpdump on eth1 (the far end of the daemon's eth0) writing the VRRP adverts it sees to {@code capture}. */
    private Process captureAdverts(String ns, Path capture) throws IOException {
        Process tcpdump = new ProcessBuilder("ip", "netns", "exec", ns, "tcpdump", "-l", "-n", "-tt", "-i", "eth1",
                "ip proto 112").redirectOutput(capture.toFile()).redirectError(dir.resolve("tcpdump.err").toFile())
                .start();
        procs.add(tcpdump);
        return tcpdump;
    }

    static String conf(String router) {
        return "global_defs {\n    router_id " + router + "\n}\n"
                + "vrrp_script chk_ok {\n    script \"/bin/true\"\n    interval 1\n    weight 10\n}\n"
                + "vrrp_instance VI_SIG {\n    state MASTER\n    interface eth0\n    virtual_router_id " + VRID + "\n"
                + "    priority 150\n    advert_int 1\n    track_script {\n        chk_ok\n    }\n"
                + "    virtual_ipaddress {\n        " + VIP + "/24 dev eth0\n        10.57.0.101\n    }\n"
                + "    virtual_ipaddress_excluded {\n        10.57.0.200\n    }\n}\n";
    }

    /** The signals keepalived's parent process ignores or handles (read from the running keepalived). */
    private TreeSet<Integer> keepalivedSignals() throws Exception {
        String ns = namespace("ka");
        Path conf = dir.resolve("ka.conf");
        Files.writeString(conf, conf("ka"));
        Path pid = dir.resolve("ka.pid");
        Path vrrpPid = dir.resolve("ka-vrrp.pid");
        Process ka = new ProcessBuilder("ip", "netns", "exec", ns, "/usr/sbin/keepalived", "-n", "-l", "-P", "-f",
                conf.toString(), "-p", pid.toString(), "-r", vrrpPid.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("ka.log").toFile()).start();
        procs.add(ka);
        assertThat(waitFor(Duration.ofSeconds(20), () -> Files.exists(vrrpPid))).as(log("ka.log")).isTrue();
        Thread.sleep(500);
        String status = Files.readString(Path.of("/proc/" + ka.pid() + "/status"));
        long mask = hex(status, "SigIgn") | hex(status, "SigBlk") | hex(status, "SigCgt");
        ka.destroy();
        assertThat(ka.waitFor(20, TimeUnit.SECONDS)).isTrue();
        TreeSet<Integer> set = new TreeSet<>();
        for (int i = 0; i < 64; i++) {
            if ((mask >>> i & 1) != 0) {
                set.add(i + 1);
            }
        }
        return set;
    }

    private static long hex(String status, String field) {
        Matcher m = Pattern.compile("(?m)^" + field + ":\\s*([0-9a-f]+)$").matcher(status);
        assertThat(m.find()).as(field + " in /proc/PID/status").isTrue();
        return Long.parseUnsignedLong(m.group(1), 16);
    }

    @ParameterizedTest
    @ValueSource(strings = {"launcher", "java"})
    void everySignalOfKeepalivedLeavesTheMasterRunning(String how) throws Exception {
        TreeSet<Integer> set = keepalivedSignals();
        // keepalived 2.2.7 (Debian): all but ILL, BUS, FPE, KILL, SEGV, STOP and glibc's 32, 33
        assertThat(set).contains(1, 2, 3, 10, 12, 13, 15, 36, 63).doesNotContain(4, 7, 8, 9, 11, 19);
        int last = how.equals("launcher") ? SIGTERM : SIGINT;

        String ns = namespace("jv");
        Path capture = dir.resolve("adverts.txt");
        Process tcpdump = captureAdverts(ns, capture);
        Path conf = dir.resolve("jv.conf");
        Files.writeString(conf, conf("jv"));
        Path data = dir.resolve("dumps");
        Files.createDirectories(data);
        List<String> args = List.of("run", "-P", "--no-metrics", "-p", dir.resolve("jv.pid").toString(),
                "--tmp-dir", data.toString(), "-f", conf.toString());
        ProcessBuilder pb = how.equals("launcher") ? launcher(ns, List.of(), args) : java(ns, List.of(), args);
        Process jv = pb.directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("jv.log").toFile()).start();
        procs.add(jv);
        long pid = jv.pid();
        assertThat(waitFor(Duration.ofSeconds(30), () -> log("jv.log").contains("Entering MASTER STATE")))
                .as(log("jv.log")).isTrue();
        Thread.sleep(2500); // a few adverts on schedule first
        // the dispositions: every signal of keepalived's set ignored or caught (SIGCHLD: default, no effect)
        String st = Files.readString(Path.of("/proc/" + pid + "/status"));
        long disposed = hex(st, "SigIgn") | hex(st, "SigCgt");
        List<Integer> uncovered = set.stream().filter(s -> s != 17 && (disposed >>> (s - 1) & 1) == 0).toList();
        System.out.printf("[%s] keepalived's set %s; javalived SigIgn %016x SigCgt %016x%n", how, set,
                hex(st, "SigIgn"), hex(st, "SigCgt"));
        assertThat(uncovered).as("signals of keepalived's set at their default action in javalived").isEmpty();
        String environ = Files.readString(Path.of("/proc/" + pid + "/environ")).replace('\0', '\n');
        // the instance thread and its receive thread run SCHED_RR (policy 2) from their start: this MASTER has no
        // peer, so its receive thread has had no packet yet
        Map<String, Integer> policies = threadPolicies(pid);
        assertThat(policies).as("scheduling policy per thread").containsEntry("vrrp-VI_SIG", 2)
                .containsEntry("vrrp-rx-VI_SIG", 2);
        if (how.equals("launcher")) { // the JVM's thread-suspend signal moved off SIGUSR2; two malloc arenas
            assertThat(environ).contains("\n_JAVA_SR_SIGNUM=61\n", "\nMALLOC_ARENA_MAX=2\n");
        } else {
            assertThat(environ).doesNotContain("_JAVA_SR_SIGNUM");
        }

        double firstSignal = now();
        Map<Double, String> sent = new TreeMap<>();
        for (int sig : set) {
            if (sig == SIGINT || sig == SIGTERM) {
                continue;
            }
            sent.put(now(), "signal " + sig);
            sh("kill -s " + sig + " " + pid);
            Thread.sleep(300);
            assertThat(jv.isAlive()).as("alive after signal " + sig + "\n" + log("jv.log")).isTrue();
            assertThat(Files.readString(Path.of("/proc/" + pid + "/status"))).as("not stopped by " + sig)
                    .doesNotContainPattern("(?m)^State:\\s+[TtZ]");
        }
        // SIGRTMAX-1 clears what SIGUSR2 shows: adverts sent since (a few) against those since the loop's clear
        Thread.sleep(3000);
        sh("kill -s USR2 " + pid);
        Thread.sleep(400);
        long sentBefore = number(Files.readString(data.resolve("keepalived.stats")), "(?m)^    Sent: (\\d+)$");
        sh("kill -s " + 63 + " " + pid);
        Thread.sleep(1500);
        sh("kill -s USR2 " + pid);
        Thread.sleep(1000);
        assertThat(jv.isAlive()).isTrue();
        double lastSignal = now();

        // the files keepalived-exporter reads
        String stats = Files.readString(data.resolve("keepalived.stats"));
        assertThat(stats).startsWith("VRRP Instance: VI_SIG\n  Advertisements:\n    Received: 0\n    Sent: ")
                // every counter counts from the last SIGRTMAX-1, as keepalived's: it became master before
                .contains("\n  Became master: 0\n  Released master: 0\n  Packet Errors:\n    Length: 0\n")
                .contains("\n  Priority Zero:\n    Received: 0\n    Sent: 0\n");
        long sentSinceClear = number(stats, "(?m)^    Sent: (\\d+)$");
        assertThat(sentBefore).as("adverts sent in the 3.6 s after the loop's SIGRTMAX-1").isBetween(3L, 6L);
        assertThat(sentSinceClear).as("adverts sent in the 1.5 s since the next SIGRTMAX-1").isBetween(1L, 3L)
                .isLessThan(sentBefore);
        String dataFile = Files.readString(data.resolve("keepalived.data"));
        assertThat(dataFile).contains("------< VRRP Topology >------\n VRRP Instance = VI_SIG\n   VRRP Version = 2\n"
                        + "   State = MASTER\n")
                .contains("\n   Wantstate = MASTER\n", "\n   Interface = eth0\n", "\n   Gratuitous ARP delay = 5\n",
                        "\n   Virtual Router ID = " + VRID + "\n", "\n   Priority = 150\n",
                        "\n   Effective priority = 160\n",
                        "\n   Virtual IP (2):\n     " + VIP + "/24 dev eth0 scope global set\n"
                                + "     10.57.0.101 dev eth0 scope global set\n",
                        "\n   Virtual IP Excluded :\n     10.57.0.200 dev eth0 scope global set\n",
                        "\n VRRP Script = chk_ok\n", "\n   Status = GOOD\n", "\n   State = idle\n");
        String json = Files.readString(data.resolve("keepalived.json"));
        assertThat(json).startsWith("[{\"data\":{\"iname\":\"VI_SIG\",")
                .contains("\"ifp_ifname\":\"eth0\"", "\"garp_delay\":5,", "\"vrid\":" + VRID + ",",
                        "\"base_priority\":150,", "\"effective_priority\":160,", "\"state\":2,", "\"wantstate\":2,",
                        "\"vips\":[\"10.57.0.100\\/24 dev eth0 scope global set\","
                                + "\"10.57.0.101 dev eth0 scope global set\"]",
                        "\"evips\":[\"10.57.0.200 dev eth0 scope global set\"]",
                        "\"stats\":{\"advert_rcvd\":0,\"advert_sent\":", ",\"become_master\":1,")
                .endsWith("}}]\n");
        for (Path f : List.of(data.resolve("keepalived.stats"), data.resolve("keepalived.data"),
                data.resolve("keepalived.json"))) {
            assertThat(Files.getPosixFilePermissions(f)).as(f + " mode 0600")
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
        assertThat(log("jv.log")).contains("Printing VRRP data for process(" + pid + ") on signal",
                "Printing VRRP stats for process(" + pid + ") on signal",
                "Printing and clearing VRRP stats for process(" + pid + ") on signal",
                "Printing VRRP as json for process(" + pid + ") on signal",
                "Reloading javalived on signal SIGHUP");

        // the stop signal last: priority 0
        sent.put(now(), "signal " + last);
        sh("kill -s " + last + " " + pid);
        boolean stopped = jv.waitFor(30, TimeUnit.SECONDS);
        if (!stopped) sh("jcmd " + pid + " Thread.print > " + dir.resolve("threads.txt") + " 2>&1 || true");
        assertThat(stopped).as(() -> "stopped by signal " + last + "\n" + log("jv.log") + "\n" + log("threads.txt"))
                .isTrue();
        Thread.sleep(500);
        tcpdump.destroy();
        tcpdump.waitFor(10, TimeUnit.SECONDS);

        assertThat(hsErr(pid)).as("hs_err files").isEmpty();
        List<double[]> adverts = adverts(capture);
        assertThat(adverts).as("adverts captured").hasSizeGreaterThan(5);
        assertThat(adverts.get(adverts.size() - 1)[1]).as("last advert's priority (after signal " + last + ")")
                .isEqualTo(0);
        double worst = 0;
        double worstAt = 0;
        for (int i = 1; i < adverts.size(); i++) {
            double t = adverts.get(i)[0];
            if (adverts.get(i)[1] == 0 || t < firstSignal - 1) {
                continue;
            }
            double gap = t - adverts.get(i - 1)[0];
            if (gap > worst) {
                worst = gap;
                worstAt = t;
            }
        }
        long during = adverts.stream().filter(a -> a[0] >= firstSignal && a[0] <= lastSignal).count();
        System.out.printf("[%s] %d signals over %.1f s, %d adverts meanwhile, largest gap %.3f s (at %.3f)%n", how,
                sent.size(), lastSignal - firstSignal, during, worst, worstAt);
        assertThat(worst).as("largest gap between adverts while signalled (signals sent: %s)", sent)
                .isLessThan(MAX_GAP);
        assertThat(during).as("adverts while signalled").isGreaterThanOrEqualTo((long) (lastSignal - firstSignal) - 1);
    }

    /**
     * Started with SIGHUP, SIGINT and SIGTERM ignored ({@code nohup} ignores SIGHUP, a shell's background job SIGINT,
     * here all three through {@code env --ignore-signal}), keepalived still reloads on SIGHUP and stops on SIGINT with a
     * priority-0 advert: javalived too, through the launcher and as plain java. A JVM started so would register no
     * handler for them (and say nothing): neither the reload nor the stop would land.
     */
    @ParameterizedTest
    @ValueSource(strings = {"keepalived", "launcher", "java"})
    void reloadsAndStopsWhenStartedWithTheseSignalsIgnored(String how) throws Exception {
        String ns = namespace("ig");
        Path capture = dir.resolve("adverts.txt");
        Process tcpdump = captureAdverts(ns, capture);
        Path conf = dir.resolve("ig.conf");
        Files.writeString(conf, conf("ig"));
        List<String> ignoring = List.of("env", "--ignore-signal=HUP,INT,TERM");
        ProcessBuilder pb;
        String reloaded;
        if (how.equals("keepalived")) {
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
            cmd.addAll(ignoring);
            cmd.addAll(List.of("/usr/sbin/keepalived", "-n", "-l", "-P", "-f", conf.toString(), "-p",
                    dir.resolve("ka.pid").toString(), "-r", dir.resolve("ka-vrrp.pid").toString()));
            pb = new ProcessBuilder(cmd);
            reloaded = "Reloading";
        } else {
            List<String> args = List.of("run", "-P", "--no-metrics", "-p", dir.resolve("jv.pid").toString(), "-f",
                    conf.toString());
            pb = how.equals("launcher") ? launcher(ns, ignoring, args) : java(ns, ignoring, args);
            reloaded = "Reloading javalived on signal SIGHUP";
        }
        Process p = pb.directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("ig.log").toFile())
                .start();
        procs.add(p);
        long pid = p.pid(); // ip netns exec and env exec: the daemon's own pid
        assertThat(waitFor(Duration.ofSeconds(30), () -> log("ig.log").contains("Entering MASTER STATE")))
                .as(log("ig.log")).isTrue();
        String st = Files.readString(Path.of("/proc/" + pid + "/status"));
        long ignored = hex(st, "SigIgn");
        System.out.printf("[%s] started with HUP INT TERM ignored: SigIgn now %016x%n", how, ignored);
        assertThat(ignored & (1L | 1L << 1 | 1L << 14)).as("SIGHUP, SIGINT, SIGTERM still ignored (SigIgn %x)",
                ignored).isZero();

        sh("kill -s HUP " + pid);
        assertThat(waitFor(Duration.ofSeconds(20), () -> log("ig.log").contains(reloaded)))
                .as("reloaded on SIGHUP\n" + log("ig.log")).isTrue();
        Thread.sleep(2500); // adverts go on after the reload
        assertThat(p.isAlive()).as(log("ig.log")).isTrue();

        sh("kill -s INT " + pid);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stopped by SIGINT\n" + log("ig.log")).isTrue();
        Thread.sleep(500);
        tcpdump.destroy();
        tcpdump.waitFor(10, TimeUnit.SECONDS);
        List<double[]> adverts = adverts(capture);
        assertThat(adverts).as("adverts captured").hasSizeGreaterThan(2);
        assertThat(adverts.get(adverts.size() - 1)[1]).as("last advert's priority (after SIGINT)").isEqualTo(0);
    }

    /** tcpdump lines {@code TIME IP SRC > 224.0.0.18: VRRPv2, Advertisement, vrid N, prio P, ...}: [time, prio]. */
    private static List<double[]> adverts(Path capture) throws IOException {
        Pattern p = Pattern.compile("^(\\d+\\.\\d+) IP " + Pattern.quote(SRC) + " > 224\\.0\\.0\\.18: VRRPv2, "
                + "Advertisement, vrid " + VRID + ", prio (\\d+),");
        List<double[]> out = new ArrayList<>();
        for (String l : Files.readAllLines(capture)) {
            Matcher m = p.matcher(l);
            if (m.find()) {
                out.add(new double[] {Double.parseDouble(m.group(1)), Integer.parseInt(m.group(2))});
            }
        }
        return out;
    }

    /** Thread name (comm) to its scheduling policy (field 41 of /proc/PID/task/TID/stat: 0 normal, 2 SCHED_RR). */
    static Map<String, Integer> threadPolicies(long pid) throws IOException {
        Map<String, Integer> out = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                String comm = Files.readString(t.resolve("comm")).strip();
                String stat = Files.readString(t.resolve("stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                out.put(comm, Integer.parseInt(f[41 - 3]));
            }
        }
        return out;
    }

    private List<Path> hsErr(long pid) throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path p : List.of(dir.resolve("hs_err_pid" + pid + ".log"), Path.of("/tmp/hs_err_pid" + pid + ".log"))) {
            if (Files.exists(p)) {
                found.add(p);
            }
        }
        return found;
    }

    private static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex + " in\n" + text).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    /** The launcher script of the checkout, running a manifest-only jar whose Class-Path is this test's. */
    private ProcessBuilder launcher(String ns, List<String> env, List<String> args) throws IOException {
        Path top = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (top != null && !(Files.isRegularFile(top.resolve("javalived")) && Files.exists(top.resolve("pom.xml")))) {
            top = top.getParent();
        }
        assertThat(top).as("checkout with the javalived launcher above " + System.getProperty("user.dir")).isNotNull();
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "io.javalived.cli.Main");
        StringBuilder cp = new StringBuilder();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            cp.append(cp.length() == 0 ? "" : " ").append(new File(e).toURI());
        }
        mf.getMainAttributes().put(Attributes.Name.CLASS_PATH, cp.toString());
        Path jar = dir.resolve("javalived.jar");
        try (OutputStream o = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(o, mf)) {
            // manifest only
        }
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(env);
        cmd.add(top.resolve("javalived").toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JAVALIVED_JAR", jar.toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("JAVALIVED_JAVA_OPTS", "-XX:+UseSerialGC -Xmx128m -XX:TieredStopAtLevel=1");
        pb.environment().remove("_JAVA_SR_SIGNUM");
        return pb;
    }

    /**
     * java -cp (this test's class path) io.javalived.cli.Main, as the other labs start the daemon, with the signal
     * dispositions it inherits (a build started in the background by a shell without job control passes SIGINT
     * ignored: the daemon takes it back, as keepalived). {@code env} (coreutils) before java when given.
     */
    private static ProcessBuilder java(String ns, List<String> env, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(env);
        cmd.addAll(List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-XX:+UseSerialGC", "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "io.javalived.cli.Main"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("_JAVA_SR_SIGNUM");
        return pb;
    }

    private String log(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean waitFor(Duration d, java.util.function.BooleanSupplier ok) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            if (ok.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return ok.getAsBoolean();
    }
}
