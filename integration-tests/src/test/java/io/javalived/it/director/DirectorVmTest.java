package io.javalived.it.director;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.checkers.CheckScheduler;
import io.javalived.cli.director.Director;
import io.javalived.cli.director.ScriptRunner;
import io.javalived.config.KeepalivedConfigReader;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.ipvs.IpvsClient;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Director against the real kernel (inside the IPVS VM): LVS-NAT VIP on a dummy link, two python HTTP real servers
 * and a sorry server in namespaces, a client namespace. Kill one backend: removed, requests keep succeeding; kill
 * both: the sorry server answers; restore one: it is back and the sorry server out; stop: only the owned service goes.
 */
@Tag("vm")
class DirectorVmTest {
    static final String P = "jvdir";
    static final String VIP = "10.77.0.100";
    static final Map<Integer, Process> servers = new HashMap<>();
    static Path web;

    static String sh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + script);
        }
        if (p.exitValue() != 0) {
            throw new IOException("exit " + p.exitValue() + ": " + script + "\n" + out);
        }
        return out;
    }

    @BeforeAll
    static void topology() throws Exception {
        cleanup();
        web = Files.createTempDirectory(P);
        sh("set -e; sysctl -qw net.ipv4.ip_forward=1\n"
                + "ip link add " + P + "0 type dummy; ip addr add " + VIP + "/32 dev " + P + "0; ip link set " + P
                + "0 up\n"
                + "for n in 1 2 3 9; do ns=" + P + "$n; ip netns add $ns; ip -n $ns link set lo up\n"
                + "  ip link add " + P + "v$n type veth peer name eth0 netns $ns\n"
                + "  ip addr add 10.77.$n.1/24 dev " + P + "v$n; ip link set " + P + "v$n up\n"
                + "  ip -n $ns addr add 10.77.$n.2/24 dev eth0; ip -n $ns link set eth0 up\n"
                + "  ip -n $ns route add default via 10.77.$n.1\n"
                + "done\n");
        for (int n : new int[] {1, 2, 3}) {
            serve(n);
        }
    }

    static void serve(int n) throws Exception {
        Path dir = web.resolve("rs" + n);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("index.html"), "rs" + n + "\n");
        Process p = new ProcessBuilder("ip", "netns", "exec", P + n, "python3", "-m", "http.server", "80", "--bind",
                "10.77." + n + ".2", "--directory", dir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        servers.put(n, p);
        waitFor("http server rs" + n, () -> {
            try {
                sh("ip netns exec " + P + n + " bash -c 'exec 3<>/dev/tcp/10.77." + n + ".2/80'");
                return true;
            } catch (Exception e) {
                return false;
            }
        });
    }

    static void kill(int n) throws InterruptedException {
        Process p = servers.remove(n);
        if (p != null) {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void cleanup() throws Exception {
        for (int n : new ArrayList<>(servers.keySet())) {
            kill(n);
        }
        sh("for n in 1 2 3 9; do ip netns del " + P + "$n 2>/dev/null; ip link del " + P + "v$n 2>/dev/null; done;"
                + " ip link del " + P + "0 2>/dev/null; ipvsadm -D -t " + VIP + ":80 2>/dev/null;"
                + " ipvsadm -D -t 10.77.200.1:81 2>/dev/null; true");
    }

    static void waitFor(String what, BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after 90 s waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    /** The destinations of the VIP as "addr:port weight". */
    static List<String> dests() {
        try {
            List<String> out = new ArrayList<>();
            boolean in = false;
            for (String l : sh("ipvsadm -Ln").split("\n")) {
                if (l.startsWith("TCP") || l.startsWith("UDP") || l.startsWith("FWM")) {
                    in = l.startsWith("TCP  " + VIP + ":80 ");
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

    static String get() throws Exception {
        return sh("ip netns exec " + P + "9 curl -s -m 5 http://" + VIP + "/").trim();
    }

    @Test
    void backendsKilledAndRestoredWithSorryServer() throws Exception {
        sh("ipvsadm -A -t 10.77.200.1:81 -s rr"); // not ours: must survive
        String conf = """
                virtual_server 10.77.0.100 80 {
                  delay_loop 1
                  lb_algo rr
                  lb_kind NAT
                  protocol TCP
                  sorry_server 10.77.3.2 80
                  real_server 10.77.1.2 80 {
                    HTTP_GET { url { path / status_code 200 } connect_timeout 3 retry 0 }
                  }
                  real_server 10.77.2.2 80 {
                    TCP_CHECK { connect_timeout 3 retry 0 }
                  }
                }
                """;
        KeepalivedConfig cfg = KeepalivedConfigReader.read(conf, Path.of("director-vm.conf")).config();
        try (IpvsClient ipvs = IpvsClient.open(); CheckScheduler checks = new CheckScheduler()) {
            Director d = Director.start(cfg, ipvs, checks);
            try {
                assertThat(dests()).containsExactly("10.77.1.2:80 1", "10.77.2.2:80 1");
                List<String> replies = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    replies.add(get());
                }
                System.out.println("4 requests through the VIP answered by " + replies);
                assertThat(replies).contains("rs1", "rs2");

                kill(1);
                waitFor("rs1 removed", () -> dests().equals(List.of("10.77.2.2:80 1")));
                for (int i = 0; i < 3; i++) {
                    assertThat(get()).isEqualTo("rs2");
                }

                kill(2);
                waitFor("sorry server in", () -> dests().equals(List.of("10.77.3.2:80 1")));
                assertThat(get()).isEqualTo("rs3");

                serve(1);
                waitFor("rs1 back, sorry server out", () -> dests().equals(List.of("10.77.1.2:80 1")));
                assertThat(get()).isEqualTo("rs1");
            } finally {
                d.close();
            }
            String table = sh("ipvsadm -Ln");
            assertThat(table).doesNotContain(VIP + ":80").contains("10.77.200.1:81");
        }
    }

    /** A restart that does not release the table (kill -9, or --dont-release-ipvs) finds it as it wants it. */
    @Test
    void restartWithoutReleaseSendsNothing() throws Exception {
        for (int n : new int[] {1, 2}) {
            if (!servers.containsKey(n)) {
                serve(n);
            }
        }
        String conf = """
                virtual_server 10.77.0.100 80 {
                  delay_loop 1
                  lb_algo rr
                  lb_kind NAT
                  protocol TCP
                  real_server 10.77.1.2 80 {
                    TCP_CHECK { connect_timeout 3 retry 0 }
                  }
                  real_server 10.77.2.2 80 {
                    TCP_CHECK { connect_timeout 3 retry 0 }
                  }
                }
                """;
        KeepalivedConfig cfg = KeepalivedConfigReader.read(conf, Path.of("director-vm2.conf")).config();
        Director.Options keep = new Director.Options(false, new ScriptRunner.Processes());
        try (IpvsClient ipvs = IpvsClient.open()) {
            try (CheckScheduler checks = new CheckScheduler()) {
                Director d = Director.start(cfg, Director.Kernel.of(ipvs), checks, keep);
                waitFor("both real servers in", () -> dests().equals(List.of("10.77.1.2:80 1", "10.77.2.2:80 1")));
                d.close();
            }
            assertThat(dests()).as("not released").containsExactly("10.77.1.2:80 1", "10.77.2.2:80 1");
            long sent = ipvs.changesSent();
            try (CheckScheduler checks = new CheckScheduler()) {
                Director d = Director.start(cfg, ipvs, checks);
                assertThat(d.lastResult().plan().ops()).as("restart plans no change").isEmpty();
                assertThat(ipvs.changesSent()).isEqualTo(sent);
                assertThat(dests()).containsExactly("10.77.1.2:80 1", "10.77.2.2:80 1");
                d.close();
            }
            assertThat(sh("ipvsadm -Ln")).doesNotContain(VIP + ":80");
        }
    }
}
