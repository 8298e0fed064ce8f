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
 * lvs_sync_daemon against the real kernel: two {@code javalived run} directors (own network namespaces, so own IPVS
 * tables and sync daemons) in front of a TCP echo server, LVS-NAT, a sync group holding the client-side VIP and the
 * real server's gateway VIP, {@code lvs_sync_daemon eth1 VI_FRONT id 5 port 8850}. The master runs the master sync
 * daemon, the backup the backup one ({@code ipvsadm -L --daemon}); a long-lived client connection through the VIP
 * appears in the backup's connection table ({@code ipvsadm -Lnc}) before the failover; the master dies (kill -9, links
 * down); the backup takes the VIPs, switches to the master sync daemon, and the same TCP connection goes on.
 */
@Tag("vm")
class LvsSyncDaemonVmTest {
    static final String P = "jvs" + (ProcessHandle.current().pid() % 1000);
    static final String VIP = "10.81.0.100";
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
        sh("for n in c d1 d2 r1; do ip netns del " + P + "$n 2>/dev/null; done;"
                + " ip link del " + P + "bf 2>/dev/null; ip link del " + P + "bb 2>/dev/null; true");
    }

    static void waitFor(String what, long seconds, BooleanSupplier c, Path... logs) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                StringBuilder sb = new StringBuilder("timed out after " + seconds + " s waiting for " + what);
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

    static String quiet(String script) {
        try {
            return sh(script);
        } catch (Exception e) {
            return "";
        }
    }

    static boolean has(String ns, String dev, String addr) {
        return quiet("ip -n " + ns + " -4 addr show dev " + dev).contains(addr + "/");
    }

    static String daemons(String ns) {
        return quiet("ip netns exec " + ns + " ipvsadm -L --daemon");
    }

    static String conf(int priority) {
        return """
                global_defs {
                  lvs_sync_daemon eth1 VI_FRONT id 5 port 8850
                }
                vrrp_sync_group G {
                  group {
                    VI_FRONT
                    VI_BACK
                  }
                }
                vrrp_instance VI_FRONT {
                  state BACKUP
                  interface eth0
                  virtual_router_id 81
                  priority %1$d
                  advert_int 1
                  virtual_ipaddress {
                    10.81.0.100/24
                  }
                }
                vrrp_instance VI_BACK {
                  state BACKUP
                  interface eth1
                  virtual_router_id 82
                  priority %1$d
                  advert_int 1
                  virtual_ipaddress {
                    10.81.1.254/24
                  }
                }
                virtual_server 10.81.0.100 9000 {
                  delay_loop 2
                  lb_algo rr
                  lb_kind NAT
                  protocol TCP
                  real_server 10.81.1.11 9000 {
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
        cmd.addAll(List.of("io.javalived.cli.Main", "run", "-f", cfg.toString(), "-p",
                cfg.resolveSibling(ns + ".pid").toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        procs.add(p);
        return p;
    }

    /** One line every 0.3 s on one TCP connection ("port N" first, then "ok I" per echo, "fail ..." and exit). */
    static final String CLIENT = """
            import socket, sys, time
            out = open(sys.argv[1], 'a', buffering=1)
            out.write('start\\n')
            s = socket.create_connection(('%s', 9000), timeout=30)
            s.settimeout(40)
            out.write('port %%d\\n' %% s.getsockname()[1])
            try:
                for i in range(2000):
                    s.sendall(b'%%d\\n' %% i)
                    got = b''
                    while not got.endswith(b'\\n'):
                        b = s.recv(100)
                        if not b:
                            raise Exception('closed by peer')
                        got += b
                    out.write('ok %%d\\n' %% i if got.strip() == str(i).encode() else 'fail echo %%r\\n' %% got)
                    time.sleep(0.3)
            except Exception as e:
                out.write('fail %%s\\n' %% e)
            """.formatted(VIP);

    static final String ECHO = """
            import socketserver
            class H(socketserver.StreamRequestHandler):
                def handle(self):
                    for line in self.rfile:
                        self.wfile.write(line)
                        self.wfile.flush()
            socketserver.ThreadingTCPServer.allow_reuse_address = True
            socketserver.ThreadingTCPServer.daemon_threads = True
            socketserver.ThreadingTCPServer(('10.81.1.11', 9000), H).serve_forever()
            """;

    static long oks(Path f) {
        return read(f).lines().filter(l -> l.startsWith("ok ")).count();
    }

    @Test
    void connectionSurvivesTheFailoverThroughTheSyncedTable() throws Exception {
        long t0 = System.nanoTime();
        cleanup();
        dir = Files.createTempDirectory(P);
        StringBuilder s = new StringBuilder("set -e\n");
        for (String b : new String[] {"bf", "bb"}) {
            s.append("ip link add ").append(P).append(b).append(" type bridge mcast_snooping 0; ip link set ")
                    .append(P).append(b).append(" up\n");
        }
        // ns, bridge, ifname, address, index
        String[][] ports = {
            {"c", "bf", "eth0", "10.81.0.9/24", "1"},
            {"d1", "bf", "eth0", "10.81.0.1/24", "2"}, {"d1", "bb", "eth1", "10.81.1.1/24", "3"},
            {"d2", "bf", "eth0", "10.81.0.2/24", "4"}, {"d2", "bb", "eth1", "10.81.1.2/24", "5"},
            {"r1", "bb", "eth0", "10.81.1.11/24", "6"}};
        for (String n : new String[] {"c", "d1", "d2", "r1"}) {
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
        s.append("ip -n ").append(P).append("r1 route add default via 10.81.1.254\n");
        for (String d : new String[] {"d1", "d2"}) {
            s.append("ip netns exec ").append(P).append(d).append(" sysctl -qw net.ipv4.ip_forward=1\n");
        }
        sh(s.toString());
        Path echo = dir.resolve("echo.py");
        Files.writeString(echo, ECHO);
        procs.add(new ProcessBuilder("ip", "netns", "exec", P + "r1", "python3", echo.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        Path c1 = dir.resolve("d1.conf");
        Path c2 = dir.resolve("d2.conf");
        Files.writeString(c1, conf(150));
        Files.writeString(c2, conf(100));
        Path l1 = dir.resolve("d1.log");
        Path l2 = dir.resolve("d2.log");
        Process d1 = start(P + "d1", c1, l1);
        Process d2 = start(P + "d2", c2, l2);
        Path client = dir.resolve("client.py");
        Path lines = dir.resolve("client.out");
        Path clientErr = dir.resolve("client.err");
        try {
            waitFor("director 1 master with both VIPs and the master sync daemon", 480, () -> has(P + "d1", "eth0", VIP)
                    && has(P + "d1", "eth1", "10.81.1.254") && daemons(P + "d1").contains("master sync daemon"), l1, l2);
            waitFor("director 2 running as backup with the backup sync daemon", 240,
                    () -> read(l2).contains("javalived running") && !has(P + "d2", "eth0", VIP)
                            && daemons(P + "d2").contains("backup sync daemon")
                            && !daemons(P + "d2").contains("master sync daemon"), l1, l2);
            String dm1 = daemons(P + "d1");
            String dm2 = daemons(P + "d2");
            System.out.println("ipvsadm -L --daemon, director 1:\n" + dm1 + "director 2:\n" + dm2);
            assertThat(dm1).contains("master sync daemon (mcast=eth1, syncid=5").contains("port=8850")
                    .doesNotContain("backup sync daemon");
            assertThat(dm2).contains("backup sync daemon (mcast=eth1, syncid=5").contains("port=8850");
            long setUp = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);

            Files.writeString(client, CLIENT);
            procs.add(new ProcessBuilder("ip", "netns", "exec", P + "c", "python3", client.toString(),
                    lines.toString()).redirectErrorStream(true).redirectOutput(clientErr.toFile()).start());
            waitFor("the client's echoes through the master", 180, () -> oks(lines) >= 5, l1, l2, lines, clientErr);
            String port = read(lines).lines().filter(l -> l.startsWith("port ")).findFirst().orElseThrow()
                    .substring(5);
            String entry = "10.81.0.9:" + port + " " + VIP + ":9000";
            waitFor("the backup's IPVS holds the synced connection", 60, () -> quiet("ip netns exec " + P
                    + "d2 ipvsadm -Lnc").replaceAll(" +", " ").contains(entry), l1, l2, lines);
            String synced = quiet("ip netns exec " + P + "d2 ipvsadm -Lnc");
            System.out.println("ipvsadm -Lnc on director 2 (backup) before the failover:\n" + synced);
            assertThat(synced.replaceAll(" +", " ")).contains("ESTABLISHED " + entry + " 10.81.1.11:9000");

            long before = oks(lines);
            sh("kill -9 " + d1.pid() + "; ip -n " + P + "d1 link set eth0 down; ip -n " + P
                    + "d1 link set eth1 down");
            d1.waitFor(30, TimeUnit.SECONDS);
            long k = System.nanoTime();
            waitFor("director 2 takes both VIPs and runs the master sync daemon", 60, () -> has(P + "d2", "eth0", VIP)
                    && has(P + "d2", "eth1", "10.81.1.254") && daemons(P + "d2").contains("master sync daemon"), l2);
            waitFor("the same connection goes on through director 2", 90, () -> oks(lines) >= before + 10
                    || read(lines).contains("fail"), l2, lines);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - k);
            assertThat(read(lines)).as("client lines").doesNotContain("fail");
            assertThat(daemons(P + "d2")).doesNotContain("backup sync daemon");
            System.out.println("set-up " + setUp + " s; after the master died the connection went on ("
                    + (oks(lines) - before) + " more echoes) within " + ms + " ms");
            d2.destroy();
            assertThat(d2.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(daemons(P + "d2")).as("stop: the daemon javalived ran is stopped").doesNotContain("sync daemon");
        } finally {
            System.out.println("--- client:\n" + read(lines) + read(clientErr) + "\n--- director 1 log:\n" + read(l1)
                    + "\n--- director 2 log:\n" + read(l2));
        }
    }
}
