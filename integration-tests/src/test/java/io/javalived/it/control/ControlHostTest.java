package io.javalived.it.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.cli.Main;
import io.javalived.daemon.ControlClient;
import io.javalived.it.lab.Shell;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator control requests against a real {@code javalived run --ipvs-dry-run} process on this host (the
 * in-memory table: no connections, so a drain completes at its first count): every request's error cases (unknown
 * real or virtual server, bad weight, bad timeout, malformed lines, a caller that is not root), idempotence, the
 * state file across kill -9 + restart and a reload that drops an override, the status (text, JSON) and /metrics.
 */
class ControlHostTest {
    Path dir;
    Path conf;
    Path sock;
    Path state;
    Process daemon;
    Path log;
    ServerSocket backend;
    int metricsPort;

    static final String VS1 = "[10.0.0.100]:tcp:80";

    String conf(boolean withRs3) {
        return """
                virtual_server 10.0.0.100 80 {
                  lb_algo rr
                  lb_kind NAT
                  protocol TCP
                  real_server 10.0.0.2 80 {
                    weight 1
                  }
                """ + (withRs3 ? """
                  real_server 10.0.0.3 80 {
                    weight 2
                  }
                """ : "") + """
                  real_server 127.0.0.1 BPORT {
                    weight 1
                    TCP_CHECK { connect_timeout 1 retry 0 delay_before_retry 1 }
                    delay_loop 1
                  }
                }
                virtual_server 10.0.0.101 80 {
                  lb_algo rr
                  lb_kind NAT
                  protocol TCP
                  real_server 10.0.0.2 80 {
                    weight 1
                  }
                }
                virtual_server 10.0.0.2 80 {
                  lb_algo rr
                  lb_kind NAT
                  protocol TCP
                  real_server 10.0.0.9 80 {
                    weight 1
                  }
                }
                """.replace("BPORT", Integer.toString(backend.getLocalPort()));
    }

    @BeforeEach
    void start() throws Exception {
        dir = Files.createTempDirectory("jvctl");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // nobody may look in
        conf = dir.resolve("keepalived.conf");
        sock = dir.resolve("d.sock");
        state = dir.resolve("state/overrides");
        backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        backend.close(); // nothing listens: the checked real server is down
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            metricsPort = s.getLocalPort();
        }
        Files.writeString(conf, conf(true));
        startDaemon("d1.log");
    }

    void startDaemon(String logName) throws IOException, InterruptedException {
        log = dir.resolve(logName);
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin"
                        + File.separator + "java", "-XX:+UseSerialGC", "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), "io.javalived.cli.Main", "run", "--ipvs-dry-run",
                "--metrics", "127.0.0.1:" + metricsPort, "-p", dir.resolve("d.pid").toString(), "-S", sock.toString(),
                "--state-file", state.toString(), "-f", conf.toString()));
        daemon = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        waitFor("daemon running", () -> daemonLog().contains("javalived running"));
    }

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) {
            daemon.destroy();
            if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        }
        System.out.println("--- javalived log:\n" + daemonLog());
        Shell.sh("rm -rf '" + dir + "'");
    }

    String daemonLog() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    void waitFor(String what, BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!c.getAsBoolean()) {
            if (daemon != null && !daemon.isAlive()) {
                throw new AssertionError("javalived exited while waiting for " + what + "\n" + daemonLog());
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what + "\n" + daemonLog());
            }
            Thread.sleep(100);
        }
    }

    record Cli(int code, String out, String err) {}

    /** {@code javalived ARGS -S sock}, in this JVM. */
    Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("-S", sock.toString()));
        int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(a.toArray(String[]::new));
        return new Cli(code, out.toString(), err.toString());
    }

    String raw(String request) throws IOException {
        try {
            return ControlClient.request(sock, request, Duration.ofSeconds(30));
        } catch (ControlClient.DaemonErrorException e) {
            return "error: " + e.getMessage();
        }
    }

    /** The in-memory table as the daemon shows it (status --ipvs): the destination lines of VIP:80. */
    List<String> dests(String vip) throws IOException {
        String t = ControlClient.request(sock, "ipvs", Duration.ofSeconds(30));
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String l : t.split("\n")) {
            if (l.startsWith("TCP") || l.startsWith("UDP") || l.startsWith("FWM")) {
                in = l.startsWith("TCP  " + vip + ":80 ");
            } else if (in && l.trim().startsWith("->")) {
                String[] f = l.trim().split("\\s+");
                out.add(f[1] + " " + f[3]);
            }
        }
        return out;
    }

    String metrics() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void everyRequestsErrorsAndTheOverridesLifecycle() throws Exception {
        waitFor("the checked real server down (nothing listens)", () -> daemonLog().contains(
                "Removing service [127.0.0.1]:tcp:" + backend.getLocalPort()));
        assertThat(dests("10.0.0.100")).containsExactlyInAnyOrder("10.0.0.2:80 1", "10.0.0.3:80 2");

        // ---- error cases: each names what is wrong and changes nothing
        Cli c = cli("drain", "10.0.0.77:80");
        assertThat(c.code()).isEqualTo(1);
        assertThat(c.err()).isEqualTo("javalived drain: drain: no real server 10.0.0.77:80 in the running "
                + "configuration - 'javalived status' lists the real servers\n");
        c = cli("disable", "10.0.0.3:80", "--vs", "[10.0.0.101]:tcp:80");
        assertThat(c.err()).isEqualTo("javalived disable: disable: virtual server [10.0.0.101]:tcp:80 has no real "
                + "server 10.0.0.3:80 (it is in [10.0.0.100]:tcp:80)\n");
        c = cli("enable", "--vs", "[10.0.0.200]:tcp:80");
        assertThat(c.err()).startsWith("javalived enable: enable: no virtual server [10.0.0.200]:tcp:80 in the "
                + "running configuration");
        c = cli("weight", "10.0.0.2:80", "abc");
        assertThat(c.code()).isEqualTo(1);
        assertThat(c.err()).isEqualTo("javalived weight: weight: 'abc' is not a weight - give an integer "
                + "0..2147483647 (keepalived's range), or reset for the configured weight\n");
        assertThat(cli("weight", "10.0.0.2:80", "2147483648").err()).contains("'2147483648' is not a weight");
        assertThat(raw("weight 10.0.0.2:80 -1")).contains("'-1' is not a weight");
        assertThat(raw("weight 10.0.0.2:80")).isEqualTo("error: weight: give the weight (0..2147483647) or reset: "
                + "weight RS N|reset [vs VS]");
        assertThat(raw("weight 10.0.0.2:80 3 4")).isEqualTo("error: weight: unexpected '4': weight RS N|reset"
                + " [vs VS]");
        assertThat(cli("drain", "10.0.0.2:80", "--timeout", "soon").err()).contains("'soon' is not a timeout -"
                + " give seconds or a duration such as 500ms, 30s, 5m, 1h");
        assertThat(raw("drain")).isEqualTo("error: drain: name the real server: drain RS [vs VS] [timeout"
                + " DURATION]");
        assertThat(raw("drain web")).startsWith("error: drain: not a real server: 'web' - give ADDRESS:PORT");
        assertThat(raw("drain 10.0.0.2:80 vs")).isEqualTo("error: drain: vs needs a virtual server: drain RS"
                + " [vs VS] [timeout DURATION]");
        assertThat(raw("drain 10.0.0.2:80 vs nonsense")).startsWith("error: drain: not a virtual server: "
                + "'nonsense'");
        assertThat(raw("enable 10.0.0.2:80 timeout 5")).startsWith("error: enable: timeout is for drain only");
        assertThat(raw("disable")).startsWith("error: disable: name a real or virtual server");
        assertThat(raw("disable 10.0.0.2:80")).isEqualTo("error: disable: 10.0.0.2:80 is both a real server and a"
                + " virtual server: give 'disable 10.0.0.2:80 --vs VS' for the real server, 'disable --vs"
                + " 10.0.0.2:80' for the virtual server");
        assertThat(raw("frobnicate 1")).isEqualTo("error: unknown request 'frobnicate 1' (status, ipvs, drain, "
                + "enable, disable, weight)");
        assertThat(cli("drain").code()).as("picocli usage error").isEqualTo(2);
        assertThat(Files.exists(state)).as("no error wrote the state file").isFalse();
        assertThat(dests("10.0.0.100")).containsExactlyInAnyOrder("10.0.0.2:80 1", "10.0.0.3:80 2");

        // ---- a caller that is not root: the 0600 socket refuses it; with the mode opened (test only), the peer
        // credentials do
        String py = "import socket,sys\ns=socket.socket(socket.AF_UNIX)\ntry:\n s.connect(sys.argv[1])\n"
                + "except OSError as e:\n print('connect:', e.strerror); sys.exit(0)\n"
                + "try:\n s.sendall(b'disable 10.0.0.3:80\\n')\nexcept OSError:\n pass\n"
                + "print(s.recv(4096).decode().strip())\n";
        Path pyf = dir.resolve("peer.py");
        Files.writeString(pyf, py);
        Files.setPosixFilePermissions(pyf, PosixFilePermissions.fromString("rw-r--r--"));
        String asNobody = Shell.sh("runuser -u nobody -- python3 " + pyf + " " + sock).trim();
        assertThat(asNobody).isEqualTo("connect: Permission denied");
        Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-rw-rw-"));
        asNobody = Shell.sh("runuser -u nobody -- python3 " + pyf + " " + sock).trim();
        assertThat(asNobody).startsWith("error: only root");
        Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-------"));
        assertThat(dests("10.0.0.100")).as("nobody changed nothing").contains("10.0.0.3:80 2");

        // ---- weight, disable (idempotent), drain (dry run: completes at the first count), enable
        c = cli("weight", "10.0.0.3:80", "7");
        assertThat(c.code()).isZero();
        assertThat(c.out()).isEqualTo("ok: [10.0.0.3]:tcp:80 VS [10.0.0.100]:tcp:80: weight 7\n");
        assertThat(cli("weight", "10.0.0.3:80", "7").out()).endsWith("weight already 7\n");
        assertThat(dests("10.0.0.100")).containsExactlyInAnyOrder("10.0.0.2:80 1", "10.0.0.3:80 7");
        c = cli("disable", "10.0.0.2:80", "--vs", "10.0.0.101:80");
        assertThat(c.out()).isEqualTo("ok: [10.0.0.2]:tcp:80 VS [10.0.0.101]:tcp:80: disabled (out of the "
                + "table)\n");
        assertThat(cli("disable", "10.0.0.2:80", "--vs", "10.0.0.101:80").out()).endsWith("already disabled\n");
        assertThat(dests("10.0.0.101")).isEmpty();
        c = cli("drain", "10.0.0.2:80", "--vs", VS1, "--timeout", "30s");
        assertThat(c.out()).contains("draining (weight 0; out when its connections end, timeout 30 s)");
        waitFor("dry-run drain complete", () -> {
            try {
                return dests("10.0.0.100").equals(List.of("10.0.0.3:80 7"));
            } catch (IOException e) {
                return false;
            }
        });
        assertThat(daemonLog()).contains("Draining service [10.0.0.2]:tcp:80 of VS [10.0.0.100]:tcp:80 by operator "
                + "request (weight 0, timeout 30 s)", "Removing service [10.0.0.2]:tcp:80 from VS [10.0.0.100]:tcp:80 "
                + "(drained: no connections left)");
        // the checked real server: down by its checker; enable goes through it
        String bs = "127.0.0.1:" + backend.getLocalPort();
        assertThat(cli("disable", bs).out()).contains("disabled (out of the table)");
        assertThat(cli("enable", bs).out()).contains("enabled (was disabled); its checkers report it down: in when "
                + "they say up");
        try (ServerSocket up = new ServerSocket()) {
            up.setReuseAddress(true);
            up.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), backend.getLocalPort()), 50);
            waitFor("checked real server in after enable", () -> {
                try {
                    return dests("10.0.0.100").contains(bs + " 1");
                } catch (IOException e) {
                    return false;
                }
            });
        }
        // a whole virtual server
        assertThat(cli("disable", "--vs", "10.0.0.2:80").out()).isEqualTo("ok: VS [10.0.0.2]:tcp:80: disabled (its"
                + " services are out of the table)\n");
        assertThat(ControlClient.request(sock, "ipvs", Duration.ofSeconds(30))).doesNotContain("10.0.0.2:80 rr");

        // ---- status text and JSON, /metrics
        Cli st = cli("status");
        assertThat(st.out()).contains("DRAINED by operator", "DISABLED by operator", "weight set by operator",
                "DISABLED by operator (out of IPVS; javalived enable --vs [10.0.0.2]:tcp:80)");
        String json = cli("status", "--json").out().replaceAll("\\s", "");
        assertThat(json).contains("\"override\":\"drained\"", "\"override\":\"disabled\"", "\"weightOverride\":7",
                "\"disabled\":true");
        String m = metrics();
        assertThat(m).contains("javalived_real_server_override{real_server=\"10.0.0.2:80\",state=\"drained\","
                        + "virtual_server=\"[10.0.0.100]:tcp:80\"} 1.0",
                "javalived_real_server_override{real_server=\"10.0.0.2:80\",state=\"none\","
                        + "virtual_server=\"[10.0.0.100]:tcp:80\"} 0.0",
                "javalived_real_server_override{real_server=\"10.0.0.2:80\",state=\"disabled\","
                        + "virtual_server=\"[10.0.0.101]:tcp:80\"} 1.0",
                "javalived_virtual_server_disabled{virtual_server=\"[10.0.0.2]:tcp:80\"} 1.0",
                "javalived_real_server_weight{real_server=\"10.0.0.3:80\",virtual_server=\"[10.0.0.100]:tcp:80\"} 7.0");
        String file = Files.readString(state);
        System.out.println("state file:\n" + file);

        // ---- kill -9 and restart: every override back, from the first table on
        daemon.destroyForcibly();
        daemon.waitFor(30, TimeUnit.SECONDS);
        Files.deleteIfExists(sock);
        startDaemon("d2.log");
        assertThat(daemonLog()).contains("Restoring operator override of service [10.0.0.2]:tcp:80 of VS "
                + "[10.0.0.100]:tcp:80: drained", "Restoring operator override of virtual server [10.0.0.2]:tcp:80:"
                + " disabled");
        assertThat(dests("10.0.0.100")).as("the first table has the overrides").doesNotContain("10.0.0.2:80 1",
                "10.0.0.2:80 0").contains("10.0.0.3:80 7");
        assertThat(dests("10.0.0.101")).isEmpty();
        assertThat(daemonLog()).doesNotContain("Adding service [10.0.0.2]");
        assertThat(Files.readString(state)).isEqualTo(file);

        // ---- reload without 10.0.0.3: its weight override is dropped with a line, the others stay
        Files.writeString(conf, conf(false));
        Shell.sh("kill -HUP " + daemon.pid());
        waitFor("reload done", () -> daemonLog().contains("Reload done"));
        assertThat(daemonLog()).contains("Dropping operator override (weight 7) of real server [10.0.0.3]:80 VS "
                + "[10.0.0.100]:tcp:80: it is no longer in the configuration");
        assertThat(Files.readString(state)).doesNotContain("10.0.0.3").contains("10.0.0.2:80\tdrained");
        assertThat(cli("enable", "10.0.0.2:80").err()).contains("is both a real server and a virtual server");
        assertThat(cli("enable", "10.0.0.2:80", "--vs", VS1).out()).isEqualTo("ok: [10.0.0.2]:tcp:80 VS "
                + "[10.0.0.100]:tcp:80: enabled (was drained); in, weight 1\n");
        assertThat(cli("enable", "10.0.0.2:80", "--vs", "[10.0.0.101]:tcp:80").out())
                .contains("VS [10.0.0.101]:tcp:80: enabled (was disabled)");
        assertThat(cli("enable", "10.0.0.2:80", "--vs", VS1).out()).contains("already enabled");
        assertThat(dests("10.0.0.100")).contains("10.0.0.2:80 1");
        assertThat(dests("10.0.0.101")).containsExactly("10.0.0.2:80 1");
    }
}
