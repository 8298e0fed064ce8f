package io.javalived.demo;

import io.javalived.demo.LabPlan.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The demo's lab on this host: network namespaces (a switch with bridge br0 and one namespace per node, each with
 * eth0 on the bridge) and the processes started in them. Nothing outside the lab's
 * namespaces is touched. {@link #close()} stops every process by its PID and deletes every namespace this lab created;
 * it is idempotent and may run from a shutdown hook while the demo's main thread is still working.
 */
final class Lab implements AutoCloseable {
    final LabPlan plan;
    final Path dir;
    private final List<String> created = new CopyOnWriteArrayList<>();
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private volatile boolean closing;
    private boolean closed;

    Lab(LabPlan plan, Path dir) {
        this.plan = plan;
        this.dir = dir;
    }

    /** Creates the namespaces, the bridge, the links and the addresses. */
    void build() throws DemoException {
        String sw = plan.switchNs();
        addNs(sw);
        ip("-n", sw, "link", "set", "lo", "up");
        // STP off: ports forward at once; snooping off: VRRP multicast reaches every port
        ip("-n", sw, "link", "add", "br0", "type", "bridge", "stp_state", "0", "mcast_snooping", "0");
        ip("-n", sw, "link", "set", "br0", "up");
        for (Node n : LabPlan.nodes()) {
            String ns = plan.ns(n);
            addNs(ns);
            // created directly in the two lab namespaces: the link never exists in this host's namespace
            ip("link", "add", "eth0", "netns", ns, "address", n.mac(), "type", "veth", "peer", "name", n.port(),
                    "netns", sw);
            ip("-n", sw, "link", "set", n.port(), "master", "br0");
            ip("-n", sw, "link", "set", n.port(), "up");
            ip("-n", ns, "link", "set", "lo", "up");
            ip("-n", ns, "addr", "add", n.address() + "/24", "dev", "eth0");
            ip("-n", ns, "link", "set", "eth0", "up");
        }
    }

    /** Under the lab's lock, so that a concurrent {@link #close} sees every namespace that exists. */
    private synchronized void addNs(String ns) throws DemoException {
        ip("netns", "add", ns);
        created.add(ns);
    }

    /** Runs {@code ip ARGS...}, failing with the command and its output. */
    String ip(String... args) throws DemoException {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /** Runs {@code cmd} inside namespace {@code ns} ({@code ip netns exec}). */
    String exec(String ns, String... cmd) throws DemoException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(cmd));
        return run(c);
    }

    String run(List<String> cmd) throws DemoException {
        if (closing) {
            throw new DemoException("stopped: the lab is being removed");
        }
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new DemoException("'" + String.join(" ", cmd) + "' did not finish within 15 s");
            }
            if (p.exitValue() != 0) {
                throw new DemoException("'" + String.join(" ", cmd) + "' failed (exit " + p.exitValue() + "): "
                        + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new DemoException("cannot run '" + String.join(" ", cmd) + "': " + e.getMessage()
                    + " (is iproute2 installed?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoException("interrupted");
        }
    }

    /** Starts {@code cmd} in namespace {@code ns}, stdout and stderr to {@code log}; {@code ip netns exec} execs it,
     * so the process's PID is the command's. */
    synchronized Process start(String ns, List<String> cmd, Path log) throws DemoException {
        if (closing) {
            throw new DemoException("stopped: the lab is being removed");
        }
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(cmd);
        try {
            Process p = new ProcessBuilder(c).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            processes.add(p);
            return p;
        } catch (IOException e) {
            throw new DemoException("cannot start " + cmd.get(0) + " in " + ns + ": " + e.getMessage());
        }
    }

    /** Stops a process gracefully (SIGTERM), then SIGKILL after {@code graceMillis}. */
    static void stop(Process p, long graceMillis) {
        if (!p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(3, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
        }
    }

    /** The namespaces this lab created (for --keep's message). */
    List<String> namespaces() {
        return List.copyOf(created);
    }

    /** The live processes this lab started. */
    List<Process> liveProcesses() {
        return processes.stream().filter(Process::isAlive).toList();
    }

    /** Marks the lab as closing: later commands fail at once (the main thread stops at its next step). */
    void closing() {
        closing = true;
    }

    /** Stops every process and web server; deletes every namespace and (unless {@code keepDir}) the lab's files. */
    synchronized void close(boolean keepDir) {
        closing = true;
        if (closed) {
            return;
        }
        closed = true;
        // SIGTERM to all at once (a VRRP master sends priority 0 and removes its VIP), then wait
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroy();
            }
        }
        for (Process p : processes) {
            stop(p, 5000);
        }
        for (int i = created.size() - 1; i >= 0; i--) {
            String ns = created.get(i);
            killInside(ns);
            quiet(List.of("ip", "netns", "del", ns));
        }
        created.clear();
        if (!keepDir) {
            deleteTree(dir);
        }
    }

    @Override
    public void close() {
        close(false);
    }

    /** Safety net: any process still inside a lab namespace was started by this demo; kill it by PID. */
    private static void killInside(String ns) {
        String pids = quiet(List.of("ip", "netns", "pids", ns));
        for (String s : pids.split("\\s+")) {
            if (s.matches("\\d+") && Long.parseLong(s) != ProcessHandle.current().pid()) {
                ProcessHandle.of(Long.parseLong(s)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    static String quiet(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static void deleteTree(Path d) {
        if (d == null || !Files.exists(d)) {
            return;
        }
        try (var s = Files.walk(d)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }
}
