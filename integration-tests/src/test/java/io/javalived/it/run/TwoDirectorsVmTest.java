package io.javalived.it.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.it.lab.StarLab;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two {@code javalived run} directors (each in its own network namespace, so each has its own IPVS table) in front of
 * two HTTP real servers, the classic LVS-NAT pair: a sync group holds the client-side VIP and the real servers'
 * gateway VIP together. Requests through the VIP reach both backends via the master; the master director dies (kill -9
 * and its links go down, as a crashed machine); the backup takes both VIPs (gratuitous ARP) and requests resume
 * through it to both backends.
 */
@Tag("vm")
class TwoDirectorsVmTest {
    static final String P = "jvf";
    static final String VIP = "10.80.0.100";
    static final List<Process> procs = new ArrayList<>();
    static Path dir;

    static String sh(String script) throws IOException, InterruptedException {
        return StarLab.sh(script);
    }

    @AfterAll
    static void cleanup() throws Exception {
        for (Process p : procs) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        sh("for n in c d1 d2 r1 r2; do ip netns del " + P + "$n 2>/dev/null; done;"
                + " ip link del " + P + "bf 2>/dev/null; ip link del " + P + "bb 2>/dev/null; true");
    }

    static void waitFor(String what, BooleanSupplier c, Path... logs) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                StringBuilder sb = new StringBuilder("timed out after 120 s waiting for " + what);
                for (Path l : logs) {
                    sb.append("\n--- ").append(l).append(":\n").append(read(l));
                }
                throw new AssertionError(sb.toString());
            }
            Thread.sleep(250);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    static boolean has(String ns, String dev, String addr) {
        try {
            return sh("ip -n " + ns + " -4 addr show dev " + dev).contains(addr + "/");
        } catch (Exception e) {
            return false;
        }
    }

    static String get() {
        try {
            return sh("ip netns exec " + P + "c curl -s -m 5 http://" + VIP + "/").trim();
        } catch (Exception e) {
            return "failed";
        }
    }

    static String conf(int priority) {
        return """
                vrrp_sync_group G {
                  group {
                    VI_FRONT
                    VI_BACK
                  }
                }
                vrrp_instance VI_FRONT {
                  state BACKUP
                  interface eth0
                  virtual_router_id 80
                  priority %1$d
                  advert_int 1
                  virtual_ipaddress {
                    10.80.0.100/24
                  }
                }
                vrrp_instance VI_BACK {
                  state BACKUP
                  interface eth1
                  virtual_router_id 81
                  priority %1$d
                  advert_int 1
                  virtual_ipaddress {
                    10.80.1.254/24
                  }
                }
                virtual_server 10.80.0.100 80 {
                  delay_loop 1
                  lb_algo rr
                  lb_kind NAT
                  protocol TCP
                  real_server 10.80.1.11 80 {
                    TCP_CHECK {
                      connect_timeout 3
                    }
                  }
                  real_server 10.80.1.12 80 {
                    TCP_CHECK {
                      connect_timeout 3
                    }
                  }
                }
                """.formatted(priority);
    }

    static Process start(String ns, Path cfg, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        String jar = System.getProperty("javalived.jar");
        cmd.addAll(List.of("-cp", jar != null && Files.isRegularFile(Path.of(jar)) ? jar
                : System.getProperty("java.class.path")));
        // own pid file (and so own status socket): two daemons share this file system
        cmd.addAll(List.of("io.javalived.cli.Main", "run", "-f", cfg.toString(), "-p",
                cfg.resolveSibling(ns + ".pid").toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        procs.add(p);
        return p;
    }

    @Test
    void masterDirectorDiesAndTrafficResumesThroughTheOther() throws Exception {
        cleanup();
        dir = Files.createTempDirectory(P);
        StringBuilder s = new StringBuilder("set -e\n");
        s.append("ip link add ").append(P).append("bf type bridge; ip link set ").append(P).append("bf up\n");
        s.append("ip link add ").append(P).append("bb type bridge; ip link set ").append(P).append("bb up\n");
        // ns, bridge, ifname, address, index
        String[][] ports = {
            {"c", "bf", "eth0", "10.80.0.9/24", "1"},
            {"d1", "bf", "eth0", "10.80.0.1/24", "2"}, {"d1", "bb", "eth1", "10.80.1.1/24", "3"},
            {"d2", "bf", "eth0", "10.80.0.2/24", "4"}, {"d2", "bb", "eth1", "10.80.1.2/24", "5"},
            {"r1", "bb", "eth0", "10.80.1.11/24", "6"}, {"r2", "bb", "eth0", "10.80.1.12/24", "7"}};
        for (String n : new String[] {"c", "d1", "d2", "r1", "r2"}) {
            s.append("ip netns add ").append(P).append(n).append("; ip -n ").append(P).append(n)
                    .append(" link set lo up\n");
        }
        for (String[] p : ports) {
            String host = P + "p" + p[4];
            s.append("ip link add ").append(host).append(" type veth peer name ").append(p[2]).append(" netns ")
                    .append(P).append(p[0]).append('\n');
            s.append("ip link set ").append(host).append(" master ").append(P).append(p[1]).append("; ip link set ")
                    .append(host).append(" up\n");
            s.append("ip -n ").append(P).append(p[0]).append(" addr add ").append(p[3]).append(" dev ").append(p[2])
                    .append("; ip -n ").append(P).append(p[0]).append(" link set ").append(p[2]).append(" up\n");
        }
        s.append("ip -n ").append(P).append("c route add default via ").append(VIP).append('\n');
        s.append("ip -n ").append(P).append("r1 route add default via 10.80.1.254\n");
        s.append("ip -n ").append(P).append("r2 route add default via 10.80.1.254\n");
        s.append("ip netns exec ").append(P).append("d1 sysctl -qw net.ipv4.ip_forward=1\n");
        s.append("ip netns exec ").append(P).append("d2 sysctl -qw net.ipv4.ip_forward=1\n");
        sh(s.toString());
        for (int n : new int[] {1, 2}) {
            Path d = dir.resolve("rs" + n);
            Files.createDirectories(d);
            Files.writeString(d.resolve("index.html"), "rs" + n + "\n");
            procs.add(new ProcessBuilder("ip", "netns", "exec", P + "r" + n, "python3", "-m", "http.server", "80",
                    "--bind", "10.80.1.1" + n, "--directory", d.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
        Path c1 = dir.resolve("d1.conf");
        Path c2 = dir.resolve("d2.conf");
        Files.writeString(c1, conf(150));
        Files.writeString(c2, conf(100));
        Path l1 = dir.resolve("d1.log");
        Path l2 = dir.resolve("d2.log");
        Process d1 = start(P + "d1", c1, l1);
        Process d2 = start(P + "d2", c2, l2);
        try {
            waitFor("director 1 master with both VIPs", () -> has(P + "d1", "eth0", VIP)
                    && has(P + "d1", "eth1", "10.80.1.254"), l1, l2);
            waitFor("director 2 backup", () -> read(l2).contains("VRRP_Instance(VI_FRONT) Entering BACKUP STATE")
                    && read(l2).contains("javalived running"), l1, l2);
            waitFor("both backends answer through the VIP", () -> {
                List<String> r = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    r.add(get());
                }
                return r.contains("rs1") && r.contains("rs2") && !r.contains("failed");
            }, l1, l2);
            assertThat(has(P + "d2", "eth0", VIP)).as("backup holds no VIP").isFalse();
            System.out.println("director 1 (master): " + sh("ip netns exec " + P + "d1 ipvsadm -Ln"));

            // the master dies: kill -9 and its links go down (a crashed machine)
            sh("kill -9 " + d1.pid() + "; ip -n " + P + "d1 link set eth0 down; ip -n " + P
                    + "d1 link set eth1 down");
            d1.waitFor(30, TimeUnit.SECONDS);
            long t0 = System.nanoTime();
            waitFor("director 2 takes both VIPs", () -> has(P + "d2", "eth0", VIP)
                    && has(P + "d2", "eth1", "10.80.1.254"), l2);
            waitFor("requests through director 2", () -> get().startsWith("rs"), l2);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            List<String> r = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                r.add(get());
            }
            System.out.println("after the master died: traffic resumed through director 2 in " + ms + " ms; 4 requests"
                    + " answered by " + r);
            assertThat(r).contains("rs1", "rs2").doesNotContain("failed");
            assertThat(read(l2)).contains("VRRP_Instance(VI_FRONT) Entering MASTER STATE",
                    "VRRP_Instance(VI_BACK) Entering MASTER STATE");
            d2.destroy();
            assertThat(d2.waitFor(120, TimeUnit.SECONDS)).isTrue();
        } finally {
            System.out.println("--- director 1 log:\n" + read(l1) + "\n--- director 2 log:\n" + read(l2));
        }
    }
}
