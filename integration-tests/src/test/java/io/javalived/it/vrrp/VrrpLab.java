package io.javalived.it.vrrp;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A private VRRP lab in network namespaces, torn down on {@link #close()}: a bridge in its own namespace
 * ({@code jvvbPID}, mcast_snooping 0) and node namespaces {@code jvvPID_N} each with {@code eth0} on the bridge and
 * 10.77.0.N/24 + fd77::N/64 (DAD off). Node processes (javalived / keepalived) are started with
 * {@code ip netns exec} and stopped by PID.
 */
public final class VrrpLab implements AutoCloseable {
    public static final String VIP = "10.77.0.100";
    static final String VIP2 = "10.77.0.101";
    static final String VIP6 = "fd77::100";

    final String tag = "jvv" + ProcessHandle.current().pid() % 100000;
    final String bridgeNs = tag + "b";
    final List<String> nodes = new ArrayList<>();
    public final Path dir;
    private final List<Process> procs = new ArrayList<>();

    public VrrpLab(int nodeCount) throws IOException {
        dir = Files.createTempDirectory(tag);
        // scripts run as another user (vrrp_script user) must reach files in here
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
            sh("ip netns add " + bridgeNs);
            sh("ip -n " + bridgeNs + " link set lo up");
            sh("ip -n " + bridgeNs + " link add br0 type bridge stp_state 0 mcast_snooping 0");
            sh("ip -n " + bridgeNs + " link set br0 up");
            for (int i = 1; i <= nodeCount; i++) {
                String ns = ns(i);
                sh("ip netns add " + ns);
                nodes.add(ns);
                sh("ip link add " + tag + "v" + i + " netns " + ns + " type veth peer name p" + i + " netns "
                        + bridgeNs);
                sh("ip -n " + ns + " link set " + tag + "v" + i + " name eth0");
                sh("ip -n " + ns + " link set lo up");
                sh("ip netns exec " + ns + " sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0"
                        + " net.ipv6.conf.eth0.accept_dad=0");
                sh("ip -n " + ns + " addr add 10.77.0." + i + "/24 dev eth0");
                sh("ip -n " + ns + " addr add fd77::" + i + "/64 dev eth0 nodad");
                sh("ip -n " + ns + " link set eth0 up");
                sh("ip -n " + bridgeNs + " link set p" + i + " master br0");
                sh("ip -n " + bridgeNs + " link set p" + i + " up");
            }
            // link-local addresses appear once eth0 is up (DAD off)
            waitFor(Duration.ofSeconds(5), () -> {
                try {
                    for (int i = 1; i <= nodeCount; i++) {
                        if (!out("ip -n " + ns(i) + " -6 addr show dev eth0 scope link").contains("fe80")) {
                            return false;
                        }
                    }
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The namespace holding the bridge br0 (capture there to see every node's packets). */
    public String bridgeNamespace() {
        return bridgeNs;
    }

    public String ns(int i) {
        return tag + "_" + i;
    }

    /**
     * Starts a javalived node in namespace {@code i} with {@code conf}, VRRP only (as keepalived -P: this kernel has no
     * IPVS) and with its own pid file; returns its process.
     */
    Process javalived(int i, String conf, String logName, String... extraArgs) throws IOException {
        Path f = dir.resolve(logName + ".conf");
        Files.writeString(f, conf);
        String cp = System.getProperty("java.class.path");
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns(i), javaBin(), "-XX:+UseSerialGC",
                "-Xmx96m", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", cp, "io.javalived.cli.Main", "run",
                "--vrrp-only", "-p", dir.resolve(logName + ".pid").toString(), "-f", f.toString()));
        cmd.addAll(List.of(extraArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(logName + ".log").toFile()).start();
        procs.add(p);
        return p;
    }

    /** Starts keepalived (VRRP only, no fork, console log) in namespace {@code i}. */
    public Process keepalived(int i, String conf, String logName) throws IOException {
        Path f = dir.resolve(logName + ".conf");
        Files.writeString(f, conf);
        String run = dir.resolve(logName).toString();
        List<String> cmd = List.of("ip", "netns", "exec", ns(i), "keepalived", "-P", "-n", "-l", "-D", "-f",
                f.toString(), "-p", run + ".pid", "-r", run + "_vrrp.pid", "-c", run + "_chk.pid");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(logName + ".log").toFile()).start();
        procs.add(p);
        return p;
    }

    /** Crash-kills keepalived: SIGSTOP the parent, SIGKILL the VRRP child and the parent. */
    void crashKeepalived(Process parent, String logName) throws IOException {
        sh("kill -STOP " + parent.pid());
        Path child = dir.resolve(logName + "_vrrp.pid");
        if (Files.exists(child)) {
            String pid = Files.readString(child).trim();
            if (!pid.isEmpty()) {
                sh("kill -KILL " + pid);
            }
        }
        parent.destroyForcibly();
        waitExit(parent, 5);
    }

    /** Stops a process gracefully (SIGTERM), waiting up to {@code seconds}. */
    public static void stop(Process p, int seconds) {
        if (p.isAlive()) {
            p.destroy();
        }
        waitExit(p, seconds);
        if (p.isAlive()) {
            p.destroyForcibly();
            waitExit(p, 3);
        }
    }

    public static void waitExit(Process p, int seconds) {
        try {
            p.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String log(String logName) {
        try {
            return Files.readString(dir.resolve(logName + ".log"));
        } catch (IOException e) {
            return "";
        }
    }

    public boolean hasAddress(int i, String addr) {
        try {
            return out("ip -n " + ns(i) + " -o addr show dev eth0").contains(" " + addr + "/");
        } catch (IOException e) {
            return false;
        }
    }

    /** The node that holds {@code addr}, or 0. */
    int holder(String addr) {
        for (int i = 1; i <= nodes.size(); i++) {
            if (hasAddress(i, addr)) {
                return i;
            }
        }
        return 0;
    }

    String mac(int i) throws IOException {
        return out("ip netns exec " + ns(i) + " cat /sys/class/net/eth0/address").trim();
    }

    public static boolean waitFor(Duration limit, BooleanSupplier cond) {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (cond.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return cond.getAsBoolean();
    }

    static String sh(String cmd) throws IOException {
        return io.javalived.it.lab.Shell.sh(cmd);
    }

    public static String out(String cmd) throws IOException {
        return io.javalived.it.lab.Shell.out(cmd);
    }

    private static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }

    /** Stops every node process and removes any VIP left behind, between tests. */
    void reset() {
        for (Process p : procs) {
            stop(p, 3);
        }
        procs.clear();
        killStrayKeepalived();
        for (int i = 1; i <= nodes.size(); i++) {
            for (String a : new String[] {VIP + "/24", VIP2 + "/24", VIP6 + "/64"}) {
                try {
                    out("ip -n " + ns(i) + " addr del " + a + " dev eth0 2>/dev/null");
                } catch (IOException ignored) {
                    // not there
                }
            }
        }
    }

    private void killStrayKeepalived() {
        try (var s = Files.list(dir)) {
            for (Path f : (Iterable<Path>) s::iterator) {
                if (f.getFileName().toString().endsWith("_vrrp.pid")) {
                    String pid = Files.readString(f).trim();
                    if (!pid.isEmpty() && out("cat /proc/" + pid + "/cmdline 2>/dev/null").contains(dir.toString())) {
                        out("kill -KILL " + pid);
                    }
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException ignored) {
            // best effort
        }
    }

    @Override
    public void close() {
        for (Process p : procs) {
            stop(p, 3);
        }
        // keepalived VRRP children from our own pid files
        try (var s = Files.list(dir)) {
            for (Path f : (Iterable<Path>) s::iterator) {
                if (f.getFileName().toString().endsWith("_vrrp.pid")) {
                    String pid = Files.readString(f).trim();
                    if (!pid.isEmpty() && out("cat /proc/" + pid + "/cmdline 2>/dev/null").contains(dir.toString())) {
                        out("kill -KILL " + pid);
                    }
                }
            }
        } catch (IOException ignored) {
            // best effort
        }
        for (String n : nodes) {
            try {
                out("ip netns del " + n);
            } catch (IOException ignored) {
                // best effort
            }
        }
        try {
            out("ip netns del " + bridgeNs);
        } catch (IOException ignored) {
            // best effort
        }
        if (!Boolean.getBoolean("javalived.keepLab")) { // -Djavalived.keepLab=true keeps configs and logs
            try {
                out("rm -rf " + dir);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
