package io.javalived.it.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The IPVS VM tests' lab: a dummy link {@code PREFIX0} in the current namespace (the director) carrying one address,
 * and namespaces {@code PREFIXn}, each joined to the director by a veth {@code PREFIXvn} (10.NET.n.1 on the director,
 * 10.NET.n.2 as eth0 in the namespace, default route back), where python HTTP servers answer "rsN" on port 80 — real
 * servers, sorry servers — or a client runs curl. {@link #close()} stops the servers and deletes every link and
 * namespace of the prefix; building first deletes what a crashed run may have left.
 */
public final class StarLab implements AutoCloseable {
    private final String prefix;
    private final int net;
    private final int[] nodes;
    private final Path dir;
    private final Map<Integer, Process> servers = new HashMap<>();

    /**
     * @param prefix       unique name prefix (links and namespaces)
     * @param net          the second octet of the lab's 10.NET.0.0/16
     * @param dummyAddress address/prefix on the dummy link
     * @param nodes        namespace numbers (1..254)
     */
    public StarLab(String prefix, int net, String dummyAddress, int... nodes) throws IOException,
            InterruptedException {
        this.prefix = prefix;
        this.net = net;
        this.nodes = nodes.clone();
        deleteLinks();
        this.dir = Files.createTempDirectory(prefix);
        sh("set -e; sysctl -qw net.ipv4.ip_forward=1\n"
                + "ip link add " + prefix + "0 type dummy; ip addr add " + dummyAddress + " dev " + prefix + "0\n"
                + "ip link set " + prefix + "0 up\n"
                + "for n in " + list() + "; do ns=" + prefix + "$n; ip netns add $ns; ip -n $ns link set lo up\n"
                + "  ip link add " + prefix + "v$n type veth peer name eth0 netns $ns\n"
                + "  ip addr add 10." + net + ".$n.1/24 dev " + prefix + "v$n; ip link set " + prefix + "v$n up\n"
                + "  ip -n $ns addr add 10." + net + ".$n.2/24 dev eth0; ip -n $ns link set eth0 up\n"
                + "  ip -n $ns route add default via 10." + net + ".$n.1\n"
                + "done\n");
    }

    /** Runs a bash script: {@link Shell#sh}. */
    public static String sh(String script) throws IOException {
        return Shell.sh(script);
    }

    /**
     * Polls {@code c} until true; fails after {@code seconds} with {@code context} (a log, say) appended. The context
     * is also consulted each round: it may throw an AssertionError to stop waiting (a daemon that exited).
     */
    public static void waitFor(String what, long seconds, BooleanSupplier c, Supplier<String> context)
            throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                String more = context.get();
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what
                        + (more.isEmpty() ? "" : "\n" + more));
            }
            Thread.sleep(200);
        }
    }

    /** The namespace of node n. */
    public String ns(int n) {
        return prefix + n;
    }

    /** Node n's address (eth0 in its namespace). */
    public String address(int n) {
        return "10." + net + "." + n + ".2";
    }

    /** A scratch directory of the lab (deleted with the temp dir by the OS; small files only). */
    public Path dir() {
        return dir;
    }

    /** Starts node n's HTTP server on port 80 answering "rsN", and waits until it accepts connections. */
    public void serve(int n) throws Exception {
        Path d = dir.resolve("rs" + n);
        Files.createDirectories(d);
        Files.writeString(d.resolve("index.html"), "rs" + n + "\n");
        Process p = new ProcessBuilder("ip", "netns", "exec", ns(n), "python3", "-m", "http.server", "80", "--bind",
                address(n), "--directory", d.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        servers.put(n, p);
        waitFor("http server rs" + n, 90, () -> {
            try {
                sh("ip netns exec " + ns(n) + " bash -c 'exec 3<>/dev/tcp/" + address(n) + "/80'");
                return true;
            } catch (Exception e) {
                return false;
            }
        }, () -> "");
    }

    public boolean serving(int n) {
        return servers.containsKey(n);
    }

    /** Stops node n's HTTP server (its real server then fails its checks). */
    public void kill(int n) throws InterruptedException {
        Process p = servers.remove(n);
        if (p != null) {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** One GET of http://VIP/ from node n (the client), the body trimmed. */
    public String get(int client, String vip) throws Exception {
        return sh("ip netns exec " + ns(client) + " curl -s -m 5 http://" + vip + "/").trim();
    }

    /** How a test waits (its own bound and failure context). */
    public interface Waiter {
        void waitFor(String what, BooleanSupplier c) throws InterruptedException;
    }

    /**
     * The health-check scenario of the VM director tests, against the kernel's table: nodes 1 and 2 are the real
     * servers of VIP:80 (weight 1) and node 3 its sorry server. Four requests from node {@code client} reach both;
     * node 1's server killed: it is removed and node 2 answers alone; node 2's killed too: the sorry server is in.
     */
    public void killRealServersUntilSorryServer(String vip, int client, Waiter w) throws Exception {
        List<String> replies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            replies.add(get(client, vip));
        }
        System.out.println("4 requests through the VIP answered by " + replies);
        assertThat(replies).contains("rs1", "rs2");

        kill(1);
        w.waitFor("rs1 removed", () -> dests(vip).equals(List.of(address(2) + ":80 1")));
        for (int i = 0; i < 3; i++) {
            assertThat(get(client, vip)).isEqualTo("rs2");
        }

        kill(2);
        w.waitFor("sorry server in", () -> dests(vip).equals(List.of(address(3) + ":80 1")));
        assertThat(get(client, vip)).isEqualTo("rs3");
    }

    /** The destinations of the TCP service VIP:80 in the kernel's table (ipvsadm -Ln) as "addr:port weight". */
    public static List<String> dests(String vip) {
        try {
            List<String> out = new ArrayList<>();
            boolean in = false;
            for (String l : sh("ipvsadm -Ln").split("\n")) {
                if (l.startsWith("TCP") || l.startsWith("UDP") || l.startsWith("FWM")) {
                    in = l.startsWith("TCP  " + vip + ":80 ");
                } else if (in && l.trim().startsWith("->")) {
                    String[] f = l.trim().split("\\s+");
                    out.add(f[1] + " " + f[3]);
                }
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String list() {
        StringBuilder sb = new StringBuilder();
        for (int n : nodes) {
            sb.append(sb.length() == 0 ? "" : " ").append(n);
        }
        return sb.toString();
    }

    private void deleteLinks() throws IOException, InterruptedException {
        sh("for n in " + list() + "; do ip netns del " + prefix + "$n 2>/dev/null; ip link del " + prefix
                + "v$n 2>/dev/null; done; ip link del " + prefix + "0 2>/dev/null; true");
    }

    /** Stops the servers and deletes the lab's namespaces and links. */
    @Override
    public void close() throws IOException, InterruptedException {
        for (int n : new ArrayList<>(servers.keySet())) {
            kill(n);
        }
        deleteLinks();
    }
}
