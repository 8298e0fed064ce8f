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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code javalived run} end to end, as a separate process inside the IPVS VM: one director (the VM's root namespace)
 * whose VRRP instance takes the VIP onto a dummy link, LVS-NAT to two python HTTP real servers in namespaces, a sorry
 * server, a client namespace. Requests through the VIP reach both backends; one killed is removed and requests keep
 * succeeding; both killed bring the sorry server in; a restored one comes back. Then SIGHUP reloads: a broken file is
 * rejected (the daemon keeps running, table unchanged), a good one adding a real server programs it without touching
 * the others or the VRRP state. SIGTERM: the VIP and the owned service are removed, a foreign service stays.
 */
@Tag("vm")
class RunVmTest {
    static final String P = "jvrun";
    static final String VIP = "10.78.0.100";
    static StarLab lab;
    static Path dir;
    static Process daemon;
    static Path log;

    @BeforeAll
    static void topology() throws Exception {
        lab = new StarLab(P, 78, "10.78.0.1/24", 1, 2, 3, 4, 9);
        cleanupIpvs();
        dir = lab.dir();
        for (int n : new int[] {1, 2, 3, 4}) {
            lab.serve(n);
        }
    }

    static void cleanupIpvs() throws Exception {
        StarLab.sh("ipvsadm -D -t " + VIP + ":80 2>/dev/null; ipvsadm -D -t 10.78.200.1:81 2>/dev/null; true");
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
        cleanupIpvs();
    }

    static String sh(String script) throws Exception {
        return StarLab.sh(script);
    }

    static void serve(int n) throws Exception {
        lab.serve(n);
    }

    static void waitFor(String what, BooleanSupplier c) throws InterruptedException {
        StarLab.waitFor(what, 120, c, () -> {
            if (daemon != null && !daemon.isAlive()) {
                throw new AssertionError("javalived exited (" + daemon.exitValue() + ") while waiting for " + what
                        + "\n--- javalived log:\n" + daemonLog());
            }
            return "--- javalived log:\n" + daemonLog();
        });
    }

    static String daemonLog() {
        try {
            return log == null ? "" : Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    static List<String> dests() {
        return StarLab.dests(VIP);
    }

    static boolean vipPresent() {
        try {
            return sh("ip -4 addr show dev " + P + "0").contains(VIP + "/32");
        } catch (Exception e) {
            return false;
        }
    }

    static String get() throws Exception {
        return lab.get(9, VIP);
    }

    static String conf(boolean withRs4) {
        return conf(withRs4, false);
    }

    /** @param owner state MASTER priority 255: master at once (no master_down wait after a restart) */
    static String conf(boolean withRs4, boolean owner) {
        return """
                global_defs {
                  router_id jvrun
                }
                vrrp_instance VI_RUN {
                  interface jvrun0
                  virtual_router_id 78
                """ + (owner ? "  state MASTER\n  priority 255\n" : "  state BACKUP\n  priority 100\n") + """
                  advert_int 1
                  virtual_ipaddress {
                    10.78.0.100/32 dev jvrun0
                  }
                }
                virtual_server 10.78.0.100 80 {
                  delay_loop 1
                  lb_algo rr
                  lb_kind NAT
                  protocol TCP
                  ha_suspend
                  sorry_server 10.78.3.2 80
                  real_server 10.78.1.2 80 {
                    HTTP_GET { url { path / status_code 200 } connect_timeout 3 retry 0 }
                  }
                  real_server 10.78.2.2 80 {
                    TCP_CHECK { connect_timeout 3 retry 0 }
                  }
                """ + (withRs4 ? """
                  real_server 10.78.4.2 80 {
                    TCP_CHECK { connect_timeout 3 retry 0 }
                  }
                """ : "") + "}\n";
    }

    static long count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    static void startDaemon(Path cfg, Path logFile) throws IOException {
        log = logFile;
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m"));
        String jar = System.getProperty("javalived.jar");
        if (jar != null && Files.isRegularFile(Path.of(jar))) {
            cmd.addAll(List.of("-cp", jar));
        } else {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
        }
        cmd.addAll(List.of("io.javalived.cli.Main", "run", "-f", cfg.toString()));
        daemon = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    static void hup() throws Exception {
        sh("kill -HUP " + daemon.pid());
    }

    @Test
    void runEndToEndWithReloadAndStop() throws Exception {
        sh("ipvsadm -A -t 10.78.200.1:81 -s rr"); // not javalived's: must survive its stop
        Path cfg = dir.resolve("keepalived.conf");
        Files.writeString(cfg, conf(false));
        startDaemon(cfg, dir.resolve("javalived.log"));
        try {
            waitFor("VRRP master with the VIP", RunVmTest::vipPresent);
            // ha_suspend: checkers suspended until the VRRP instance is MASTER, then active
            waitFor("ha_suspend lifted", () -> daemonLog().contains(
                    "Activating healthchecker for service [10.78.1.2]:tcp:80 for VS [10.78.0.100]:tcp:80"));
            assertThat(daemonLog()).contains(
                    "Suspending healthchecker for service [10.78.1.2]:tcp:80 for VS [10.78.0.100]:tcp:80");
            waitFor("both real servers in", () -> dests().equals(List.of("10.78.1.2:80 1", "10.78.2.2:80 1")));
            lab.killRealServersUntilSorryServer(VIP, 9, RunVmTest::waitFor);
            serve(1);
            serve(2);
            waitFor("rs1 and rs2 back, sorry server out",
                    () -> dests().equals(List.of("10.78.1.2:80 1", "10.78.2.2:80 1")));
            assertThat(get()).isIn("rs1", "rs2");

            // a broken file: rejected, the running configuration stays
            Files.writeString(cfg, conf(true).replace("lb_kind NAT", "lb_kind NAT {"));
            hup();
            waitFor("bad reload rejected", () -> daemonLog().contains("Reload failed, keeping the running"));
            assertThat(daemon.isAlive()).isTrue();
            assertThat(dests()).containsExactly("10.78.1.2:80 1", "10.78.2.2:80 1");
            // a good one adding rs4: programmed; the others and the VRRP master untouched
            Files.writeString(cfg, conf(true));
            hup();
            waitFor("rs4 added by reload",
                    () -> dests().equals(List.of("10.78.1.2:80 1", "10.78.2.2:80 1", "10.78.4.2:80 1")));
            waitFor("reload done", () -> daemonLog().contains("Reload done"));
            assertThat(vipPresent()).isTrue();
            String l = daemonLog();
            assertThat(count(l, "Entering MASTER STATE")).as("VRRP kept its state").isEqualTo(1);
            assertThat(l).doesNotContain("Removing service [10.78.1.2]:tcp:80 from VS [10.78.0.100]:tcp:80\n"
                    + "Adding service [10.78.1.2]");
            // and removing it again
            Files.writeString(cfg, conf(false));
            hup();
            waitFor("rs4 removed by reload", () -> dests().equals(List.of("10.78.1.2:80 1", "10.78.2.2:80 1")));

            daemon.destroy(); // SIGTERM
            assertThat(daemon.waitFor(120, TimeUnit.SECONDS)).as("javalived stops on SIGTERM").isTrue();
            assertThat(vipPresent()).as("VIP released").isFalse();
            String table = sh("ipvsadm -Ln");
            assertThat(table).doesNotContain(VIP + ":80").contains("10.78.200.1:81");
            assertThat(daemonLog()).contains("Stopped javalived");
        } finally {
            System.out.println("--- javalived log:\n" + daemonLog());
        }
    }

    static final String LOAD = """
            import os, sys, threading, time, urllib.request
            url, stop, limit = sys.argv[1], sys.argv[2], float(sys.argv[3])
            counts = {"ok": 0, "failed": 0}
            errors = []
            lock = threading.Lock()
            def worker():
                end = time.time() + limit
                while time.time() < end and not os.path.exists(stop):
                    try:
                        with urllib.request.urlopen(url, timeout=20) as r:
                            good = r.status == 200 and r.read().startswith(b"rs")
                    except Exception as e:
                        good = False
                        errors.append(repr(e))
                    with lock:
                        counts["ok" if good else "failed"] += 1
                    time.sleep(0.02)
            ts = [threading.Thread(target=worker) for _ in range(2)]
            for t in ts: t.start()
            for t in ts: t.join()
            print("requests ok=%d failed=%d" % (counts["ok"], counts["failed"]), flush=True)
            for e in errors[:10]: print(e)
            """;

    /** Bounded HTTP load through the VIP; ten SIGHUP reloads adding and removing rs4; kill -9 and restart. */
    @Test
    void reloadsAndKillNineUnderLoad() throws Exception {
        for (int n : new int[] {1, 2, 4}) {
            if (!lab.serving(n)) {
                serve(n);
            }
        }
        Path cfg = dir.resolve("load.conf");
        Files.writeString(cfg, conf(false, true));
        startDaemon(cfg, dir.resolve("load-1.log"));
        Path script = dir.resolve("load.py");
        Files.writeString(script, LOAD);
        Path stop = dir.resolve("load.stop");
        Path loadOut = dir.resolve("load.out");
        Process load = null;
        try {
            waitFor("VIP", RunVmTest::vipPresent);
            waitFor("both real servers in", () -> dests().equals(List.of("10.78.1.2:80 1", "10.78.2.2:80 1")));
            load = new ProcessBuilder("ip", "netns", "exec", P + "9", "python3", script.toString(),
                    "http://" + VIP + "/", stop.toString(), "150").redirectErrorStream(true)
                    .redirectOutput(loadOut.toFile()).start();
            Thread.sleep(2000);
            for (int i = 0; i < 10; i++) {
                boolean add = i % 2 == 0;
                Files.writeString(cfg, conf(add, true));
                hup();
                int done = i + 1;
                waitFor("reload " + done, () -> count(daemonLog(), "Reload done") == done);
                List<String> want = add ? List.of("10.78.1.2:80 1", "10.78.2.2:80 1", "10.78.4.2:80 1")
                        : List.of("10.78.1.2:80 1", "10.78.2.2:80 1");
                waitFor("table after reload " + done, () -> dests().equals(want));
                Thread.sleep(700);
            }
            assertThat(count(daemonLog(), "Entering MASTER STATE")).as("VRRP untouched by reloads").isEqualTo(1);
            System.out.println("--- javalived log (first run):\n" + daemonLog());
            daemon.destroyForcibly(); // kill -9: the kernel keeps forwarding
            daemon.waitFor(60, TimeUnit.SECONDS);
            assertThat(dests()).containsExactly("10.78.1.2:80 1", "10.78.2.2:80 1");
            Thread.sleep(1000);
            startDaemon(cfg, dir.resolve("load-2.log"));
            waitFor("restarted", () -> daemonLog().contains("javalived running"));
            waitFor("VIP after restart", RunVmTest::vipPresent);
            assertThat(dests()).containsExactly("10.78.1.2:80 1", "10.78.2.2:80 1");
            Thread.sleep(3000);
            assertThat(load.isAlive()).as("load still running").isTrue();
            Files.writeString(stop, "stop");
            assertThat(load.waitFor(90, TimeUnit.SECONDS)).isTrue();
            String out = Files.readString(loadOut);
            System.out.println("HTTP load through the VIP during 10 reloads and a kill -9 + restart: " + out.trim());
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("requests ok=(\\d+) failed=(\\d+)")
                    .matcher(out);
            assertThat(m.find()).as(out).isTrue();
            assertThat(Integer.parseInt(m.group(2))).as("failed requests: " + out).isZero();
            assertThat(Integer.parseInt(m.group(1))).as("requests answered").isGreaterThan(50);
            daemon.destroy();
            assertThat(daemon.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(sh("ipvsadm -Ln")).doesNotContain(VIP + ":80");
        } finally {
            if (load != null && load.isAlive()) {
                load.destroyForcibly();
            }
            System.out.println("--- javalived log:\n" + daemonLog());
        }
    }
}
