package io.javalived.it.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace {@code jvcfg<pid>} holding the interfaces the sample configs name (veth
 * pairs eth0..eth3 and eth0.1, peers ethNp; this kernel has no dummy driver), so that
 * {@code keepalived -t} and {@code javalived check} both find them. Created by {@link #create()},
 * removed by {@link #close()} (the namespace is private: deleting it deletes its links).
 */
final class CheckNetns implements AutoCloseable {
    /** Interfaces present in the namespace. */
    static final List<String> INTERFACES = List.of("eth0", "eth1", "eth2", "eth3", "eth0.1");

    final String name;

    private CheckNetns(String name) {
        this.name = name;
    }

    static CheckNetns create() throws IOException, InterruptedException {
        String ns = "jvcfg" + ProcessHandle.current().pid();
        CheckNetns n = new CheckNetns(ns);
        if (run("ip", "netns", "list").contains(ns)) {
            run("ip", "netns", "del", ns);
        }
        runOk("ip", "netns", "add", ns);
        try {
            runOk("ip", "-n", ns, "link", "set", "lo", "up");
            int k = 0;
            for (String ifname : INTERFACES) {
                String peer = "vp" + (k++) + "jv";
                runOk("ip", "-n", ns, "link", "add", ifname, "type", "veth", "peer", "name", peer);
                runOk("ip", "-n", ns, "link", "set", ifname, "up");
                runOk("ip", "-n", ns, "link", "set", peer, "up");
            }
        } catch (IOException | RuntimeException e) {
            n.close();
            throw e;
        }
        return n;
    }

    /** The command prefix that runs a program inside the namespace. */
    List<String> exec(String... cmd) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", name));
        c.addAll(List.of(cmd));
        return c;
    }

    @Override
    public void close() {
        try {
            run("ip", "netns", "del", name);
        } catch (IOException | InterruptedException e) {
            System.err.println("could not delete network namespace " + name + ": " + e);
        }
    }

    private static void runOk(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + ": timed out");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + out.trim()
                    + " — this test needs root and iproute2 (ip netns, veth)");
        }
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return out;
    }
}
