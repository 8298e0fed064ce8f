package io.javalived.it.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.cli.Main;
import io.javalived.it.lab.StarLab;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Operator overrides against the kernel's IPVS (inside the IPVS VM): a {@code javalived run} process balancing
 * VIP:80 (LVS-NAT, TCP_CHECK) over two python HTTP real servers, a client namespace with a long-lived connection
 * (a request held open half-sent) plus a request loop. {@code javalived drain} of the long-lived connection's real
 * server: weight 0, no new connection goes to it, the long-lived one is not cut (it gets its answer from that server
 * after the drain), and the server leaves the table only when the kernel counts no connection for it. {@code enable}
 * brings it back; {@code weight} shows in {@code ipvsadm -Ln}; a {@code disable} survives a reload and a kill -9 +
 * restart. Also {@code ipvs status -c} against {@code ipvsadm -Lnc}, and {@code --zero}.
 */
@Tag("vm")
class OperatorControlVmTest {
    static final String P = "jvctl";
    static final String VIP = "10.79.0.100";
    static StarLab lab;
    static Path dir;
    static Process daemon;
    static Path log;

    @BeforeAll
    static void topology() throws Exception {
        lab = new StarLab(P, 79, VIP + "/24", 1, 2, 9);
        StarLab.sh("ipvsadm -D -t " + VIP + ":80 2>/dev/null; true");
        dir = lab.dir();
        lab.serve(1);
        lab.serve(2);
    }

    @AfterAll
    static void cleanup() throws Exception {
        if (daemon != null && daemon.isAlive()) {
            daemon.destroyForcibly();
            daemon.waitFor(30, TimeUnit.SECONDS);
        }
        if (lab != null) {
            lab.close();
        }
        StarLab.sh("ipvsadm -D -t " + VIP + ":80 2>/dev/null; true");
    }

    static String conf() {
        return """
                virtual_server 10.79.0.100 80 {
                  delay_loop 1
                  lb_algo rr
                  lb_kind NAT
                  protocol TCP
                  real_server 10.79.1.2 80 {
                    TCP_CHECK { connect_timeout 3 retry 0 }
                  }
                  real_server 10.79.2.2 80 {
                    TCP_CHECK { connect_timeout 3 retry 0 }
                  }
                }
                """;
    }

    static void startDaemon(Path cfg, String logName) throws Exception {
        log = dir.resolve(logName);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m"));
        String jar = System.getProperty("javalived.jar");
        cmd.addAll(List.of("-cp", jar != null && Files.isRegularFile(Path.of(jar)) ? jar
                : System.getProperty("java.class.path")));
        cmd.addAll(List.of("io.javalived.cli.Main", "run", "-f", cfg.toString(), "-p", dir.resolve("d.pid").toString(),
                "-S", dir.resolve("d.sock").toString(), "--state-file", dir.resolve("state/overrides").toString(),
                "--no-metrics"));
        daemon = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        waitFor("daemon running", () -> daemonLog().contains("javalived running"));
    }

    static String daemonLog() {
        try {
            return log == null ? "" : Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    static void waitFor(String what, BooleanSupplier c) throws InterruptedException {
        waitFor(what, 120, c);
    }

    static void waitFor(String what, long seconds, BooleanSupplier c) throws InterruptedException {
        StarLab.waitFor(what, seconds, c, () -> {
            if (daemon != null && !daemon.isAlive()) {
                throw new AssertionError("javalived exited (" + daemon.exitValue() + ") while waiting for " + what
                        + "\n--- javalived log:\n" + daemonLog());
            }
            return "--- javalived log:\n" + daemonLog() + "\n--- ipvsadm -Ln:\n" + sh("ipvsadm -Ln");
        });
    }

    static String sh(String s) {
        try {
            return StarLab.sh(s);
        } catch (IOException e) {
            return e.toString();
        }
    }

    record Cli(int code, String out, String err) {}

    /** {@code javalived ARGS} in this JVM (a JVM start in the VM costs 10-25 s). */
    static Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        System.out.println("$ javalived " + String.join(" ", args) + " -> " + code + "\n" + out + err);
        return new Cli(code, out.toString(), err.toString());
    }

    static Cli control(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("-S", dir.resolve("d.sock").toString()));
        return cli(a.toArray(String[]::new));
    }

    static List<String> dests() {
        return StarLab.dests(VIP);
    }

    /** ActiveConn + InActConn of a destination in ipvsadm -Ln, -1 when it is not in the table. */
    static long conns(String dest) {
        for (String l : sh("ipvsadm -Ln -t " + VIP + ":80").split("\n")) {
            String[] f = l.trim().split("\\s+");
            if (f.length >= 6 && f[0].equals("->") && f[1].equals(dest)) {
                return Long.parseLong(f[4]) + Long.parseLong(f[5]);
            }
        }
        return -1;
    }

    static final String HOLD = """
            import os, socket, sys, time
            vip, stop = sys.argv[1], sys.argv[2]
            s = socket.create_connection((vip, 80), timeout=5)
            s.sendall(b"GET / HTTP/1.0\\r\\n")  # the request is not complete: the server waits for the rest
            print("connected %d" % s.getsockname()[1], flush=True)
            end = time.time() + 400
            while not os.path.exists(stop) and time.time() < end:
                time.sleep(0.2)
            s.settimeout(20)
            s.sendall(b"\\r\\n")
            data = b""
            while True:
                b = s.recv(4096)
                if not b:
                    break
                data += b
            print("answer " + data.split(b"\\r\\n\\r\\n", 1)[-1].decode().strip(), flush=True)
            """;

    @Test
    void drainEnableWeightDisableAcrossReloadAndRestart() throws Exception {
        Path cfg = dir.resolve("keepalived.conf");
        Files.writeString(cfg, conf());
        String rs1 = lab.address(1) + ":80";
        String rs2 = lab.address(2) + ":80";
        startDaemon(cfg, "d1.log");
        Process hold = null;
        try {
            waitFor("both real servers in", () -> dests().equals(List.of(rs1 + " 1", rs2 + " 1")));

            // a long-lived connection through the VIP
            Path holdPy = dir.resolve("hold.py");
            Files.writeString(holdPy, HOLD);
            Path stop = dir.resolve("hold.stop");
            Path holdOut = dir.resolve("hold.out");
            hold = new ProcessBuilder("ip", "netns", "exec", lab.ns(9), "python3", holdPy.toString(), VIP,
                    stop.toString()).redirectErrorStream(true).redirectOutput(holdOut.toFile()).start();
            waitFor("long-lived connection open", () -> sh("cat " + holdOut).contains("connected "));
            String port = sh("cat " + holdOut).replaceAll("(?s).*connected (\\d+).*", "$1").trim();
            String client = lab.address(9) + ":" + port;

            // ipvs status -c: the kernel's connection table, as ipvsadm -Lnc prints it
            Cli c = cli("ipvs", "status", "-c", "-t", VIP + ":80");
            assertThat(c.code()).isZero();
            String ours = c.out().lines().filter(l -> l.contains(client + " ")).findFirst().orElseThrow(
                    () -> new AssertionError("no connection from " + client + " in\n"));
            String theirs = sh("ipvsadm -Lnc").lines().filter(l -> l.contains(client + " ")).findFirst()
                    .orElseThrow();
            System.out.println("javalived ipvs status -c: " + ours + "\nipvsadm -Lnc:             " + theirs);
            assertThat(c.out().lines().limit(2).toList()).isEqualTo(sh("ipvsadm -Lnc").lines().limit(2).toList());
            assertThat(ours.substring(0, 4) + ours.substring(10)).isEqualTo(theirs.substring(0, 4)
                    + theirs.substring(10)); // all but the expiry, which may have ticked
            assertThat(ours).contains("ESTABLISHED");
            String held = ours.trim().split("\\s+")[5];
            String other = held.equals(rs1) ? rs2 : rs1;
            String heldName = held.equals(rs1) ? "rs1" : "rs2";
            String otherName = held.equals(rs1) ? "rs2" : "rs1";
            assertThat(cli("ipvs", "status", "-c", "-t", "10.79.0.101:80").err()).contains("no such service");

            // drain the held connection's real server
            c = control("drain", held);
            assertThat(c.code()).isZero();
            assertThat(c.out()).contains("draining (weight 0; out when its connections end, no timeout)");
            assertThat(dests()).containsExactlyInAnyOrder(held + " 0", other + " 1");
            List<String> replies = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                replies.add(lab.get(9, VIP));
            }
            System.out.println("20 requests during the drain answered by " + replies);
            assertThat(replies).as("no new connection to the draining server").containsOnly(otherName);
            waitFor("connections counted", () -> control("status", "--json").out().replaceAll("\\s", "")
                    .contains("\"override\":\"draining\""));
            Thread.sleep(3000);
            assertThat(conns(held)).as("the long-lived connection keeps it in the table").isGreaterThanOrEqualTo(1);
            assertThat(control("status").out()).contains("DRAINING by operator").containsPattern(
                    "[1-9]\\d* connections? left");

            // the long-lived connection is answered by the drained server: not cut
            Files.writeString(stop, "go");
            assertThat(hold.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(sh("cat " + holdOut)).contains("answer " + heldName);
            // out only once the kernel counts none (TIME_WAIT and the like expire within ~2 min)
            long[] last = {-2};
            long t0 = System.nanoTime();
            waitFor("drained out", 300, () -> {
                long n = conns(held);
                if (n >= 0) {
                    last[0] = n;
                }
                return n < 0;
            });
            System.out.printf("drained %.0f s after the long-lived connection ended; last count seen %d%n",
                    (System.nanoTime() - t0) / 1e9, last[0]);
            assertThat(daemonLog()).contains("Removing service [" + held.replace(":80", "]:tcp:80")
                    + " from VS [10.79.0.100]:tcp:80 (drained: no connections left)");
            assertThat(sh("cat /proc/net/ip_vs_conn")).as("no connection to it left")
                    .doesNotContainPattern("(?m)^TCP \\S+ \\S+ \\S+ \\S+ " + hex(held.split(":")[0]) + " ");
            assertThat(dests()).containsExactly(other + " 1");

            // enable: back through its checker (up)
            assertThat(control("enable", held).out()).contains("enabled (was drained)");
            waitFor("back after enable", () -> dests().contains(held + " 1"));
            // weight
            assertThat(control("weight", other, "5").code()).isZero();
            assertThat(sh("ipvsadm -Ln")).containsPattern("-> " + other.replace(".", "\\.") + "\\s+Masq\\s+5 ");

            // --zero
            assertThat(sh("ipvsadm -Ln --stats --exact -t " + VIP + ":80").lines().filter(l -> l.startsWith("TCP"))
                    .findFirst().orElseThrow().trim().split("\\s+")[2]).isNotEqualTo("0");
            assertThat(cli("ipvs", "status", "-t", VIP + ":80", "--zero").code()).isZero();
            String zeroed = sh("ipvsadm -Ln --stats --exact -t " + VIP + ":80");
            System.out.println("after --zero:\n" + zeroed);
            assertThat(zeroed.lines().filter(l -> l.startsWith("TCP")).findFirst().orElseThrow().trim()
                    .split("\\s+")[2]).isEqualTo("0");

            // disable: out at once; survives a reload and a kill -9 + restart
            assertThat(control("disable", held).out()).contains("disabled (out of the table)");
            assertThat(dests()).containsExactly(other + " 5");
            sh("kill -HUP " + daemon.pid());
            waitFor("reload done", () -> daemonLog().contains("Reload done"));
            Thread.sleep(2000);
            assertThat(dests()).as("after reload").containsExactly(other + " 5");
            daemon.destroyForcibly();
            daemon.waitFor(60, TimeUnit.SECONDS);
            assertThat(dests()).as("kill -9 leaves the table").containsExactly(other + " 5");
            String firstLog = daemonLog();
            Files.deleteIfExists(dir.resolve("d.sock"));
            startDaemon(cfg, "d2.log");
            Thread.sleep(3000);
            assertThat(dests()).as("after restart").containsExactly(other + " 5");
            assertThat(daemonLog()).contains("Restoring operator override of service [" + held.replace(":80",
                    "]:tcp:80") + " of VS [10.79.0.100]:tcp:80: disabled").doesNotContain("Adding service ["
                    + held.split(":")[0] + "]");
            System.out.println("--- javalived log (first run):\n" + firstLog);

            assertThat(control("enable", held).out()).contains("enabled (was disabled)");
            waitFor("back after the last enable", () -> dests().contains(held + " 1"));
            assertThat(control("weight", other, "reset").out()).contains("weight 1 (configured)");
            assertThat(dests()).containsExactlyInAnyOrder(held + " 1", other + " 1");
            daemon.destroy();
            assertThat(daemon.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(sh("ipvsadm -Ln")).doesNotContain(VIP + ":80");
        } finally {
            if (hold != null && hold.isAlive()) {
                hold.destroyForcibly();
            }
            System.out.println("--- javalived log:\n" + daemonLog());
        }
    }

    /** /proc/net/ip_vs_conn's form of an IPv4 address. */
    static String hex(String ip) {
        String[] p = ip.split("\\.");
        return String.format("%02X%02X%02X%02X", Integer.parseInt(p[0]), Integer.parseInt(p[1]),
                Integer.parseInt(p[2]), Integer.parseInt(p[3]));
    }
}
