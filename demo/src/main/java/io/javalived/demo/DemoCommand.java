package io.javalived.demo;

import io.javalived.daemon.DaemonSignals;
import io.javalived.demo.LabPlan.Node;
import io.javalived.netlink.ffi.LibC;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code javalived demo}: a director pair in front of two web servers, in network namespaces on this host, narrated
 * step by step - VRRP election, the IPVS table, a health check removing a web server, a failover moving the VIP - and
 * removed at the end (also on Ctrl-C and on any failure).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = {
        "Show javalived at work in about a minute, on this host, without touching its network: builds a lab of "
                + "network namespaces (two directors sharing a VIP, two web servers, a client, one switch), runs "
                + "'javalived run' on the shipped sample configuration (config-samples/demo-director-a.conf and "
                + "-b.conf) in each director, then shows the IPVS virtual server, a health check removing a stopped "
                + "web server and a failover moving the VIP to the backup director. Programs IPVS where the kernel "
                + "has it; where not, runs the directors with --ipvs-dry-run and shows the table they would program.",
        "",
        "Needs root (network namespaces). Everything is removed at the end, also on Ctrl-C; --keep leaves the lab "
                + "running for exploring and prints how to delete it.",
        ""})
public final class DemoCommand implements Callable<Integer> {
    static final String INSTANCE = "VI_1";
    static final int PORT = 80;
    /** How long one step may wait for what it shows (a JVM start on a busy 2-core machine included). */
    static final long STEP_MILLIS = 45_000;

    @Option(names = "--keep", description = "Leave the lab running at the end (director B, web 1, the "
            + "namespaces) and print how to explore and delete it.")
    boolean keep;

    @Option(names = "--wait-factor", hidden = true, defaultValue = "1", description = "Multiply every bounded wait "
            + "by this (a slow machine, e.g. an emulated VM).")
    int waitFactor = 1;

    private PrintStream out = System.out;
    private Lab lab;
    private final long t0 = System.nanoTime();
    private volatile boolean interrupted;
    private volatile boolean finished;
    private Process directorA;
    private Process directorB;
    private Process web2;
    private boolean kernelIpvs;

    @Override
    public Integer call() {
        if (LibC.INSTANCE.geteuid() != 0) {
            System.err.println("javalived demo: must run as root - it creates network namespaces, links and "
                    + "addresses for its lab (run: sudo ./javalived demo)");
            return 1;
        }
        if (Lab.quiet(List.of("ip", "-V")).isEmpty()) {
            System.err.println("javalived demo: the 'ip' command (iproute2) is missing - install iproute2");
            return 1;
        }
        LabPlan plan = new LabPlan(ProcessHandle.current().pid());
        Path dir;
        try {
            dir = Files.createTempDirectory("jvdemo-" + plan.pid() + "-");
        } catch (IOException e) {
            System.err.println("javalived demo: cannot create a directory for the lab's files in "
                    + System.getProperty("java.io.tmpdir") + ": " + e.getMessage());
            return 1;
        }
        lab = new Lab(plan, dir);
        Thread hook = new Thread(this::onExit, "demo-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        // Ctrl-C and SIGTERM work in a background job too; SIGHUP stays as given (nohup keeps the demo running)
        DaemonSignals.takeBackIgnored(DaemonSignals.SIGINT, DaemonSignals.SIGTERM);
        interruptOn("INT", 130);
        interruptOn("TERM", 143);
        boolean ok = false;
        try {
            otherLabs(plan);
            run(plan);
            ok = true;
        } catch (DemoException e) {
            if (!interrupted) {
                out.println();
                out.println("javalived demo: FAILED: " + e.getMessage());
                showLogTails();
            }
        } catch (RuntimeException e) {
            if (!interrupted) {
                out.println();
                out.println("javalived demo: FAILED (unexpected error): " + e);
                showLogTails();
            }
        } finally {
            if (!interrupted) {
                if (keep && ok) {
                    keepMessage(plan);
                } else {
                    cleanUp(!ok);
                }
            }
            finished = true;
        }
        if (ok && !interrupted) {
            out.printf("%nDemo complete in %.1f s.%n", (System.nanoTime() - t0) / 1e9);
        }
        out.flush();
        return ok ? 0 : 1;
    }

    /** Ctrl-C / SIGTERM: exit through the shutdown hook, which removes the lab (also when started with them ignored). */
    private void interruptOn(String signal, int code) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> {
                interrupted = true;
                lab.closing();
                System.exit(code);
            });
        } catch (IllegalArgumentException e) {
            // the JVM's default handling (shutdown hooks) applies
        }
    }

    private void onExit() {
        if (finished) {
            return;
        }
        interrupted = true;
        out.println();
        out.println("Interrupted: stopping the lab's processes and deleting its namespaces ...");
        out.flush();
        lab.close(false);
        out.println("Lab " + lab.plan.prefix() + "* removed.");
        out.flush();
    }

    private void cleanUp(boolean failed) {
        out.println();
        out.println("Cleaning up: stopping the directors and web servers (by PID), deleting the lab's "
                + lab.namespaces().size() + " namespaces ...");
        lab.close(failed); // after a failure keep the logs for reading
        String left = Lab.quiet(List.of("ip", "netns", "list"));
        boolean clean = left.lines().noneMatch(l -> l.startsWith(lab.plan.prefix()));
        out.println("   " + (clean ? "done: no namespace " + lab.plan.prefix() + "* is left"
                : "WARNING: some namespaces are left - delete them with: ip netns del NAME\n" + left));
        if (failed) {
            out.println("   the daemons' configurations and logs are kept in " + lab.dir);
        }
    }

    // ------------------------------------------------------------------------------------------------- the steps

    private void run(LabPlan plan) throws DemoException {
        out.println("javalived demo: two directors sharing a virtual IP in front of two web servers, with a client -");
        out.println("a lab of network namespaces on this host (removed at the end, also on Ctrl-C).");

        // ---------------------------------------------------------------------------------------------- 1. lab
        step(1, "The lab: one LAN of network namespaces");
        say("A switch (bridge br0 in namespace " + plan.switchNs() + ") and five hosts, each with eth0 on it:");
        for (Node n : LabPlan.nodes()) {
            say(String.format("  %-22s %-12s %s  %s", plan.ns(n), n.address(), n.mac(), role(n)));
        }
        say("The VIP " + LabPlan.VIP + " belongs to no host: VRRP gives it to one director.");
        say("Nothing outside these namespaces is changed.");
        lab.build();
        waitFor("the client to reach web 1 (" + LabPlan.WEB1.address() + ") over the lab's switch", 10_000,
                () -> WebBackend.ping(plan.ns(LabPlan.CLIENT), LabPlan.WEB1.address()));
        say("lab up (" + ms() + ").");

        // ---------------------------------------------------------------------------------------------- 2. web
        step(2, "Two web servers: the real servers");
        say("web 1 and web 2 answer GET / with \"backend 1\" / \"backend 2\". The directors will use LVS direct");
        say("routing (DR): a director forwards the client's packets for the VIP to a web server's MAC, and the web");
        say("server answers the client directly. So each web server also holds the VIP on lo and does not answer");
        say("ARP for it (arp_ignore=1, arp_announce=2) - only the VRRP master does.");
        for (Node n : List.of(LabPlan.WEB1, LabPlan.WEB2)) {
            String ns = plan.ns(n);
            lab.ip("-n", ns, "addr", "add", LabPlan.VIP + "/32", "dev", "lo");
            sysctl(ns, "net/ipv4/conf/all/arp_ignore", "1");
            sysctl(ns, "net/ipv4/conf/all/arp_announce", "2");
            sysctl(ns, "net/ipv4/conf/eth0/arp_ignore", "1");
            sysctl(ns, "net/ipv4/conf/eth0/arp_announce", "2");
        }
        Process w1 = lab.start(plan.ns(LabPlan.WEB1), javaCommand(plan, List.of("-Xmx16m", "-Xss256k"),
                WebBackend.class.getName(), List.of(Integer.toString(PORT), "backend 1")), lab.dir.resolve("web1.log"));
        web2 = lab.start(plan.ns(LabPlan.WEB2), javaCommand(plan, List.of("-Xmx16m", "-Xss256k"),
                WebBackend.class.getName(), List.of(Integer.toString(PORT), "backend 2")), lab.dir.resolve("web2.log"));
        for (Node n : List.of(LabPlan.WEB1, LabPlan.WEB2)) {
            String want = n == LabPlan.WEB1 ? "backend 1" : "backend 2";
            Process p = n == LabPlan.WEB1 ? w1 : web2;
            String[] last = {""};
            waitFor("the web server of " + n.title() + " to answer (its log: " + lab.dir.resolve(n.role() + ".log")
                    + ")", 20_000, () -> {
                        if (!p.isAlive()) {
                            return true;
                        }
                        last[0] = WebBackend.get(plan.ns(LabPlan.CLIENT), n.address(), PORT);
                        return last[0].equals(want);
                    });
            if (!p.isAlive()) {
                throw new DemoException("the web server of " + n.title() + " exited (" + p.exitValue()
                        + "); its log: " + tail(lab.dir.resolve(n.role() + ".log"), 5));
            }
            say("client -> http://" + n.address() + "/ : " + last[0]);
        }

        // ---------------------------------------------------------------------------------------------- 3. VRRP
        step(3, "Two directors: 'javalived run' on the shipped sample configuration");
        kernelIpvs = kernelHasIpvs(plan);
        Path confA = writeConf("demo-director-a.conf");
        Path confB = writeConf("demo-director-b.conf");
        say("Director A runs " + confA + " (config-samples/demo-director-a.conf):");
        out.println(DemoText.indent(withoutHeader(read(confA)), 6));
        say("Director B runs the same with 'priority 100' and 'state BACKUP' (demo-director-b.conf).");
        say("VRRP: both directors are one virtual router (virtual_router_id 51); the higher priority becomes MASTER,");
        say("holds the VIP and multicasts an advertisement every second (advert_int 1). The BACKUP listens and takes");
        say("over when the advertisements stop.");
        directorA = startDirector(plan, LabPlan.DIRECTOR_A, confA);
        directorB = startDirector(plan, LabPlan.DIRECTOR_B, confB);
        long s3 = System.nanoTime();
        String lineA = waitForLog(directorA, "a", "director A to become VRRP MASTER",
                l -> DemoText.entersState(l, INSTANCE, "MASTER"), 0, STEP_MILLIS);
        say("director A: " + lineA);
        String lineB = waitForLog(directorB, "b", "director B to become VRRP BACKUP",
                l -> DemoText.entersState(l, INSTANCE, "BACKUP"), 0, STEP_MILLIS);
        say("director B: " + lineB);
        waitFor("the VIP " + LabPlan.VIP + " on director A's eth0", 10_000, () -> holds(plan, LabPlan.DIRECTOR_A));
        say(String.format("The VIP %s is on director A's eth0 (%.1f s after the start, JVM start included).",
                LabPlan.VIP, (System.nanoTime() - s3) / 1e9));

        // ---------------------------------------------------------------------------------------------- 4. IPVS
        step(4, "IPVS: the virtual server " + LabPlan.VIP + ":" + PORT);
        say("Each director programs IPVS, the kernel's load balancer (LVS), from its virtual_server block: the");
        say("service VIP:80 with scheduler rr and one destination per healthy real server.");
        if (kernelIpvs) {
            say("This kernel has IPVS: here is director A's table (as 'javalived status --ipvs' shows it):");
            showTable(plan, "a");
            say("The client connects to http://" + LabPlan.VIP + "/ four times; director A's IPVS sends each new");
            say("connection to the next web server (round robin):");
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                got.add(WebBackend.get(plan.ns(LabPlan.CLIENT), LabPlan.VIP, PORT));
            }
            say("client -> http://" + LabPlan.VIP + "/ : " + String.join(", ", got));
            if (!got.contains("backend 1") || !got.contains("backend 2")) {
                throw new DemoException("the VIP did not balance over both web servers through director A's IPVS "
                        + "(answers: " + got + ")");
            }
        } else {
            say("This kernel has no IPVS (modprobe ip_vs): the directors run with --ipvs-dry-run; here is the table");
            say("they would program (director A's, as 'javalived status --ipvs' shows it):");
            showTable(plan, "a");
            say("Without IPVS nothing forwards the VIP's port 80: the client reached each web server directly (step 2)");
            say("and reaches the VIP on the VRRP master:");
        }
        String macBefore = pingVip(plan);
        say("client -> ping " + LabPlan.VIP + " : answered; the client's ARP entry for the VIP: " + macBefore + " ("
                + who(macBefore) + ")");
        if (!LabPlan.DIRECTOR_A.mac().equals(macBefore)) {
            throw new DemoException("the client's ARP entry for the VIP is " + macBefore + " (" + who(macBefore)
                    + "), not director A's " + LabPlan.DIRECTOR_A.mac());
        }

        // ---------------------------------------------------------------------------------------------- 5. check
        step(5, "A health check removes a failed web server");
        say("Both directors GET / from each web server every second (HTTP_GET, delay_loop 1). Stopping web 2's");
        say("server now: its checks fail (connection refused) and, after one retry, each director removes it from the");
        say("virtual server - new connections then go to web 1 only. (It is added back when it answers again.)");
        int fromA = logLength("a");
        int fromB = logLength("b");
        long s5 = System.nanoTime();
        Lab.stop(web2, 5000);
        say("web 2's server stopped (pid " + web2.pid() + "); client -> http://" + LabPlan.WEB2.address() + "/ : "
                + WebBackend.get(plan.ns(LabPlan.CLIENT), LabPlan.WEB2.address(), PORT));
        Predicate<String> removed = l -> DemoText.removesService(l, LabPlan.WEB2.address(), PORT, LabPlan.VIP, PORT);
        String rmA = waitForLog(directorA, "a", "director A to remove web 2 (" + LabPlan.WEB2.address()
                + ") after its failed checks", removed, fromA, STEP_MILLIS);
        say(String.format("director A, after %d ms: %s", (System.nanoTime() - s5) / 1_000_000, rmA));
        String rmB = waitForLog(directorB, "b", "director B to remove web 2 (" + LabPlan.WEB2.address()
                + ") after its failed checks", removed, fromB, STEP_MILLIS);
        say(String.format("director B, after %d ms: %s", (System.nanoTime() - s5) / 1_000_000, rmB));
        say("Director A's table now:");
        showTable(plan, "a");
        if (kernelIpvs) {
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                got.add(WebBackend.get(plan.ns(LabPlan.CLIENT), LabPlan.VIP, PORT));
            }
            say("client -> http://" + LabPlan.VIP + "/ : " + String.join(", ", got));
        }

        // ---------------------------------------------------------------------------------------------- 6. failover
        step(6, "Failover: director A stops, director B takes the VIP");
        say("SIGTERM to director A (pid " + directorA.pid() + "), as 'systemctl stop' does. Like keepalived, it sends");
        say("a last advertisement with priority 0 ('I am leaving') and removes the VIP; director B becomes MASTER");
        say("at once (without waiting for three missed advertisements), adds the VIP and sends gratuitous ARPs so");
        say("that the LAN - here the client's ARP cache - learns the VIP's new MAC.");
        fromB = logLength("b");
        long s6 = System.nanoTime();
        directorA.destroy();
        long[] vipAt = {0};
        waitFor("director B to hold the VIP " + LabPlan.VIP + " after director A stopped", STEP_MILLIS, () -> {
            if (holds(plan, LabPlan.DIRECTOR_B)) {
                vipAt[0] = System.nanoTime();
                return true;
            }
            return false;
        });
        String mB = waitForLog(directorB, "b", "director B to log its MASTER state",
                l -> DemoText.entersState(l, INSTANCE, "MASTER"), fromB, 10_000);
        String[] mac = {null};
        long[] macAt = {0};
        waitFor("the client's ARP entry for the VIP to move to director B (" + LabPlan.DIRECTOR_B.mac() + ")",
                15_000, () -> {
                    mac[0] = neighbourMac(plan);
                    if (LabPlan.DIRECTOR_B.mac().equals(mac[0])) {
                        macAt[0] = System.nanoTime();
                        return true;
                    }
                    return false;
                });
        say("director B: " + mB);
        say(String.format("The VIP is on director B's eth0 %d ms after the SIGTERM.", (vipAt[0] - s6) / 1_000_000));
        say(String.format("The client's ARP entry for the VIP: %s (director A) -> %s (director B), %d ms after the "
                + "SIGTERM.", macBefore, mac[0], (macAt[0] - s6) / 1_000_000));
        String after = pingVip(plan);
        say("client -> ping " + LabPlan.VIP + " : answered by " + after + " (" + who(after) + ")");
        try {
            directorA.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        say("director A " + (directorA.isAlive() ? "is still stopping" : "stopped (" + exit(directorA.exitValue())
                + "); its last lines:"));
        if (!directorA.isAlive()) {
            out.println(DemoText.indent(tail(lab.dir.resolve("a.log"), 4), 6));
        }
        if (kernelIpvs) {
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                got.add(WebBackend.get(plan.ns(LabPlan.CLIENT), LabPlan.VIP, PORT));
            }
            say("client -> http://" + LabPlan.VIP + "/ (now through director B): " + String.join(", ", got));
        }
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private void step(int n, String title) {
        out.println();
        out.printf("== Step %d/6 (%s): %s%n", n, ms(), title);
        out.flush();
    }

    private void say(String line) {
        out.println("   " + line);
        out.flush();
    }

    private String ms() {
        return String.format("+%.1f s", (System.nanoTime() - t0) / 1e9);
    }

    private static String role(Node n) {
        if (n == LabPlan.DIRECTOR_A) {
            return "director A (javalived, VRRP priority 150)";
        }
        if (n == LabPlan.DIRECTOR_B) {
            return "director B (javalived, VRRP priority 100)";
        }
        if (n == LabPlan.CLIENT) {
            return "client";
        }
        return n.title() + " (web server, real server of the VIP's port 80)";
    }

    private static String exit(int code) {
        return code == 143 ? "SIGTERM" : "exit " + code;
    }

    private static String who(String mac) {
        Node n = mac == null ? null : LabPlan.byMac(mac);
        return n == null ? "unknown" : n.title();
    }

    interface Check {
        boolean ok() throws DemoException;
    }

    /** Polls {@code cond} every 50 ms for at most {@code millis}; fails saying what did not happen. */
    private void waitFor(String what, long millis, Check cond) throws DemoException {
        long limit = millis * Math.max(1, waitFactor);
        long end = System.nanoTime() + limit * 1_000_000;
        while (true) {
            if (cond.ok()) {
                return;
            }
            if (System.nanoTime() > end) {
                throw new DemoException("waited " + limit / 1000 + " s for " + what + ", in vain");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DemoException("interrupted while waiting for " + what);
            }
        }
    }

    /** Waits for a line of a daemon's log (from character {@code from}) that matches; fails if the daemon exits. */
    private String waitForLog(Process p, String name, String what, Predicate<String> match, int from, long millis)
            throws DemoException {
        String[] found = {null};
        Path log = lab.dir.resolve(name + ".log");
        waitFor(what + " (its log: " + log + ")", millis, () -> {
            List<String> l = DemoText.lines(read(log), from, match);
            if (!l.isEmpty()) {
                found[0] = l.get(0);
                return true;
            }
            if (!p.isAlive()) {
                throw new DemoException(what + " did not happen: the daemon exited (" + p.exitValue()
                        + "); its last lines:\n" + DemoText.indent(tail(log, 8), 6));
            }
            return false;
        });
        return stripTimestamp(found[0]);
    }

    /** {@code 2026-11-24 19:30:01.123 MESSAGE} -> MESSAGE. */
    static String stripTimestamp(String line) {
        return line.matches("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*") ? line.substring(24) : line;
    }

    private int logLength(String name) {
        return read(lab.dir.resolve(name + ".log")).length();
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(Path f, int n) {
        List<String> l = read(f).lines().toList();
        return String.join("\n", l.subList(Math.max(0, l.size() - n), l.size()));
    }

    private void sysctl(String ns, String key, String value) throws DemoException {
        try {
            Netns.call(ns, 5000, () -> {
                Files.writeString(Path.of("/proc/sys/" + key), value);
                return null;
            });
        } catch (Exception e) {
            throw new DemoException("cannot set " + key.replace('/', '.') + "=" + value + " in " + ns + ": " + e);
        }
    }

    private boolean holds(LabPlan plan, Node n) throws DemoException {
        return DemoText.hasAddress(lab.ip("-n", plan.ns(n), "-o", "-4", "addr", "show", "dev", "eth0"), LabPlan.VIP);
    }

    private String neighbourMac(LabPlan plan) throws DemoException {
        return DemoText.neighbourMac(lab.ip("-n", plan.ns(LabPlan.CLIENT), "neigh", "show", LabPlan.VIP, "dev",
                "eth0"));
    }

    /** The client pings the VIP (bounded) and returns its ARP entry's MAC for the VIP. */
    private String pingVip(LabPlan plan) throws DemoException {
        String cl = plan.ns(LabPlan.CLIENT);
        waitFor("the VIP " + LabPlan.VIP + " to answer the client's ping", 10_000,
                () -> WebBackend.ping(cl, LabPlan.VIP));
        String[] mac = {null};
        waitFor("the client's ARP entry for the VIP", 5_000, () -> (mac[0] = neighbourMac(plan)) != null);
        return mac[0];
    }

    /** IPVS in this kernel: ip_vs loaded, or its netlink family opens (from director A's namespace). */
    private boolean kernelHasIpvs(LabPlan plan) {
        if (Files.exists(Path.of("/proc/net/ip_vs"))) {
            return true;
        }
        try {
            return Netns.call(plan.ns(LabPlan.DIRECTOR_A), 10_000, () -> {
                try (io.javalived.ipvs.IpvsClient c = io.javalived.ipvs.IpvsClient.open()) {
                    return c != null;
                }
            });
        } catch (Exception | LinkageError e) {
            return false;
        }
    }

    private Path writeConf(String name) throws DemoException {
        try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/" + name)) {
            if (in == null) {
                throw new DemoException("the sample " + name + " is missing from this build (resource /demo/" + name
                        + ")");
            }
            Path f = lab.dir.resolve(name);
            Files.write(f, in.readAllBytes());
            return f;
        } catch (IOException e) {
            throw new DemoException("cannot write " + name + " to " + lab.dir + ": " + e.getMessage());
        }
    }

    /** The configuration without its leading comment block (the demo explains the same in its own words). */
    static String withoutHeader(String conf) {
        List<String> l = conf.lines().toList();
        int i = 0;
        while (i < l.size() && (l.get(i).startsWith("!") || l.get(i).isBlank())) {
            i++;
        }
        return String.join("\n", l.subList(i, l.size()));
    }

    private Process startDirector(LabPlan plan, Node n, Path conf) throws DemoException {
        List<String> args = new ArrayList<>(List.of("run", "-f", conf.toString(), "-p",
                lab.dir.resolve(n.role() + ".pid").toString(), "-S", socket(n.role()).toString(),
                "--metrics", "127.0.0.1:9650"));
        if (!kernelIpvs) {
            args.add("--ipvs-dry-run");
        }
        List<String> cmd = javaCommand(plan, List.of("-Xmx128m", "-XX:+UseSerialGC"), "io.javalived.cli.Main", args);
        Path log = lab.dir.resolve(n.role() + ".log");
        say("starting " + n.title() + ": ip netns exec " + plan.ns(n) + " java ... run -f " + conf.getFileName()
                + (kernelIpvs ? "" : " --ipvs-dry-run") + "   (log: " + log + ")");
        return lab.start(plan.ns(n), cmd, log);
    }

    Path socket(String role) {
        return lab.dir.resolve(role + ".sock");
    }

    /**
     * This JVM's java binary and this jar (or class path), small-heap options, then {@code main}'s arguments: the
     * shaded jar runs {@code io.javalived.cli.Main} with {@code -jar}, any other main class with {@code -cp}. Each
     * command line names the lab ({@code -Djavalived.demo.lab=jvdemo-PID-}), so that {@code pgrep -f jvdemo-PID-}
     * finds every process of a lab.
     */
    static List<String> javaCommand(LabPlan plan, List<String> jvmOptions, String mainClass, List<String> args) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-Djavalived.demo.lab=" + plan.prefix(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        cmd.addAll(jvmOptions);
        String jar = ownJar();
        if (jar != null && mainClass.equals("io.javalived.cli.Main")) {
            cmd.addAll(List.of("-jar", jar));
        } else {
            cmd.addAll(List.of("-cp", jar != null ? jar : System.getProperty("java.class.path"), mainClass));
        }
        cmd.addAll(args);
        return cmd;
    }

    /** The jar this class was loaded from, or null (classes directory, e.g. in tests). */
    static String ownJar() {
        try {
            var src = DemoCommand.class.getProtectionDomain().getCodeSource();
            if (src == null) {
                return null;
            }
            Path p = Path.of(src.getLocation().toURI());
            return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? p.toString() : null;
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** Prints a director's IPVS table from its status socket (or, without one, what its log says). */
    private void showTable(LabPlan plan, String role) throws DemoException {
        Path sock = socket(role);
        String answer = null;
        String why = null;
        long end = System.nanoTime() + 10_000_000_000L;
        while (answer == null && System.nanoTime() < end) {
            try {
                answer = io.javalived.daemon.ControlClient.request(sock, "ipvs", java.time.Duration.ofSeconds(5));
            } catch (io.javalived.daemon.ControlClient.DaemonErrorException e) {
                throw new DemoException("director " + role.toUpperCase() + "'s status socket " + sock + " answered: "
                        + e.getMessage());
            } catch (IOException e) {
                why = e.getMessage();
                if (!Files.exists(sock)) {
                    break; // this build's daemon has no status socket
                }
                sleep(200);
            }
        }
        String listing = answer == null ? null : DemoText.ipvsListing(answer);
        if (listing != null) {
            out.println(DemoText.indent(listing, 6));
            return;
        }
        say("(no table from director " + role.toUpperCase() + "'s status socket " + sock + (why == null ? ""
                : ": " + why) + "; its log's IPVS lines instead:)");
        List<String> l = DemoText.lines(read(lab.dir.resolve(role + ".log")), 0,
                x -> x.contains(" VS [") || x.contains("IPVS"));
        out.println(DemoText.indent(String.join("\n", l.stream().map(DemoCommand::stripTimestamp).toList()), 6));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void showLogTails() {
        for (String r : List.of("a", "b")) {
            Path f = lab.dir.resolve(r + ".log");
            if (Files.exists(f)) {
                out.println("   director " + r.toUpperCase() + "'s last log lines (" + f + "):");
                out.println(DemoText.indent(tail(f, 6), 6));
            }
        }
    }

    /** Labs of earlier demo processes that no longer run (e.g. --keep, or a demo killed with SIGKILL). */
    private void otherLabs(LabPlan plan) {
        List<String> stale = Lab.quiet(List.of("ip", "netns", "list")).lines()
                .map(l -> l.split("\\s+")[0])
                .filter(ns -> {
                    long pid = LabPlan.labPid(ns);
                    return pid > 0 && pid != plan.pid() && ProcessHandle.of(pid).isEmpty();
                })
                .toList();
        if (!stale.isEmpty()) {
            out.println("Note: namespaces of an earlier demo's lab are still there (" + String.join(" ", stale) + ");");
            out.println("      this demo leaves them alone. Delete them with: ip netns del NAME");
            out.println();
        }
    }

    private void keepMessage(LabPlan plan) {
        Path dir = lab.dir;
        out.println();
        out.println("The lab is kept (--keep): director B (MASTER now) and web 1 run on; director A and web 2 are");
        out.println("stopped. Explore it:");
        out.println("   ip netns exec " + plan.ns(LabPlan.CLIENT) + " curl -s http://" + LabPlan.WEB1.address() + "/");
        out.println("   javalived status --ipvs -S " + socket("b"));
        out.println("   ip netns exec " + plan.ns(LabPlan.DIRECTOR_B) + " curl -s http://127.0.0.1:9650/metrics");
        out.println("   ip -n " + plan.ns(LabPlan.DIRECTOR_B) + " addr show dev eth0      # the VIP");
        out.println("   configurations and logs: " + dir);
        out.println("Delete it with:");
        StringBuilder kill = new StringBuilder();
        for (Process p : lab.liveProcesses()) {
            kill.append(' ').append(p.pid());
        }
        if (kill.length() > 0) {
            out.println("   kill" + kill);
        }
        out.println("   for ns in " + String.join(" ", lab.namespaces()) + "; do ip netns del $ns; done");
        out.println("   rm -r " + dir);
    }
}
