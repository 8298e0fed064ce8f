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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Restarting an LVS-NAT director in the IPVS VM ({@code javalived run} as a separate process): a non-owner VRRP master
 * (priority 150, advert_int 1) with the VIP on a dummy link, three real servers of which rs3 is down. Under a request
 * loop through the VIP (2 s timeout per request), ten kill -9 + restart cycles: the VIP is never removed, rs3 is never
 * added, no request fails. Then rs3 comes back while the daemon is dead: the restarted director keeps it out until its
 * TCP_CHECK passes. Control: one restart with {@code --clean-start} (keepalived's start) loses requests.
 */
@Tag("vm")
class RestartVmTest {
    static final String P = "jvrst";
    static final String VIP = "10.79.0.100";
    static final String RS1 = "10.79.1.2:80 1";
    static final String RS2 = "10.79.2.2:80 1";
    static final String RS3 = "10.79.3.2:80 1";
    static StarLab lab;
    static Path dir;
    static Process daemon;
    static Path log;

    static final String LOAD = """
            import os, socket, sys, time
            vip, stop, limit = sys.argv[1], sys.argv[2], float(sys.argv[3])
            ok = 0
            failed = []
            end = time.time() + limit
            while time.time() < end and not os.path.exists(stop):
                t = time.time()
                try:
                    c = socket.create_connection((vip, 80), timeout=2)
                    c.settimeout(2)
                    c.sendall(b"GET / HTTP/1.0\\r\\nHost: x\\r\\n\\r\\n")
                    data = b""
                    while True:
                        b = c.recv(4096)
                        if not b:
                            break
                        data += b
                    c.close()
                    if b"\\r\\n\\r\\nrs" in data:
                        ok += 1
                    else:
                        failed.append((round(t, 2), "answer %r" % data[:40]))
                except Exception as e:
                    failed.append((round(t, 2), repr(e)))
                time.sleep(0.05)
            print("requests ok=%d failed=%d" % (ok, len(failed)), flush=True)
            for f in failed[:20]: print(f)
            """;

    @BeforeAll
    static void topology() throws Exception {
        lab = new StarLab(P, 79, "10.79.0.1/24", 1, 2, 3, 9);
        StarLab.sh("ipvsadm -D -t " + VIP + ":80 2>/dev/null; true");
        dir = lab.dir();
        lab.serve(1);
        lab.serve(2);
        Files.writeString(dir.resolve("load.py"), LOAD);
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
        StarLab.sh("ipvsadm -D -t " + VIP + ":80 2>/dev/null; ip link del " + P + "0 2>/dev/null; true");
    }

    static String conf() {
        return """
                global_defs {
                  router_id jvrst
                }
                vrrp_instance VI_RST {
                  interface jvrst0
                  state MASTER
                  priority 150
                  virtual_router_id 79
                  advert_int 1
                  virtual_ipaddress {
                    10.79.0.100/32 dev jvrst0
                  }
                }
                virtual_server 10.79.0.100 80 {
                  delay_loop 1
                  lb_algo rr
                  lb_kind NAT
                  protocol TCP
                  real_server 10.79.1.2 80 {
                    TCP_CHECK { connect_timeout 2 retry 0 }
                  }
                  real_server 10.79.2.2 80 {
                    TCP_CHECK { connect_timeout 2 retry 0 }
                  }
                  real_server 10.79.3.2 80 {
                    TCP_CHECK { connect_timeout 2 retry 0 }
                  }
                }
                """;
    }

    static void startDaemon(Path cfg, Path logFile, String... extra) throws IOException {
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
        cmd.addAll(List.of(extra));
        daemon = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    static String daemonLog() {
        try {
            return log == null ? "" : Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    static void waitFor(String what, BooleanSupplier c) throws InterruptedException {
        StarLab.waitFor(what, 180, c, () -> {
            if (daemon != null && !daemon.isAlive()) {
                throw new AssertionError("javalived exited (" + daemon.exitValue() + ") while waiting for " + what
                        + "\n--- javalived log:\n" + daemonLog());
            }
            return "--- javalived log:\n" + daemonLog();
        });
    }

    static boolean vipPresent() {
        try {
            return StarLab.sh("ip -4 addr show dev " + P + "0").contains(VIP + "/32");
        } catch (Exception e) {
            return false;
        }
    }

    static List<String> dests() {
        return StarLab.dests(VIP);
    }

    /** Samples the VIP and the table every 100 ms while the daemon starts; fails on a missing VIP or rs3 in. */
    static final class Watch extends Thread {
        volatile boolean stop;
        volatile String problem;
        volatile int samples;

        @Override
        public void run() {
            while (!stop && problem == null) {
                if (!vipPresent()) {
                    problem = "the VIP was missing";
                } else if (dests().contains(RS3)) {
                    problem = "rs3 (down) was in the table: " + dests();
                }
                samples++;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    static Process load(String name, int seconds) throws IOException {
        Path out = dir.resolve(name + ".out");
        return new ProcessBuilder("ip", "netns", "exec", P + "9", "python3", dir.resolve("load.py").toString(), VIP,
                dir.resolve(name + ".stop").toString(), "" + seconds).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
    }

    /** Stops a load run; returns {ok, failed}. */
    static int[] stopLoad(String name, Process load) throws Exception {
        Files.writeString(dir.resolve(name + ".stop"), "stop");
        assertThat(load.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(dir.resolve(name + ".out"));
        System.out.println(name + ": " + out.trim());
        Matcher m = Pattern.compile("requests ok=(\\d+) failed=(\\d+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    static void killNine() throws InterruptedException {
        daemon.destroyForcibly();
        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void tenKillNineRestartsUnderLoadDropNothingAndKeepADownServerOut() throws Exception {
        Path cfg = dir.resolve("keepalived.conf");
        Files.writeString(cfg, conf());
        startDaemon(cfg, dir.resolve("run-0.log"));
        Process load = null;
        List<String> figures = new ArrayList<>();
        try {
            waitFor("MASTER with the VIP", () -> vipPresent() && daemonLog().contains("Entering MASTER STATE"));
            waitFor("rs1, rs2 in; rs3 (down) out", () -> dests().equals(List.of(RS1, RS2)));
            load = load("load", 900);
            Thread.sleep(2000);
            int cycles = Integer.getInteger("javalived.restartCycles", 10);
            for (int i = 1; i <= cycles; i++) {
                killNine();
                assertThat(vipPresent()).as("the kernel keeps the VIP").isTrue();
                assertThat(dests()).containsExactly(RS1, RS2);
                Watch w = new Watch();
                w.start();
                long t0 = System.nanoTime();
                startDaemon(cfg, dir.resolve("run-" + i + ".log"));
                waitFor("restart " + i + " running", () -> daemonLog().contains("javalived running"));
                long running = System.nanoTime();
                waitFor("restart " + i + " MASTER", () -> daemonLog().contains("Entering MASTER STATE"));
                long master = System.nanoTime();
                Thread.sleep(1500); // rs3's first check has failed by now (delay_loop 1, connect_timeout 2)
                w.stop = true;
                w.join();
                assertThat(w.problem).as("restart " + i + " (" + w.samples + " samples)\n" + daemonLog()).isNull();
                String l = daemonLog();
                assertThat(l).contains("VRRP_Instance(VI_RST) Found its VIPs set at start")
                        .contains("Service [10.79.3.2]:tcp:80 of VS [10.79.0.100]:tcp:80 was not in the IPVS table"
                                + " at start - keeping it out until its checkers pass")
                        .doesNotContain("Entering BACKUP STATE").doesNotContain("removing protocol VIPs")
                        .doesNotContain("Adding service [10.79.3.2]");
                assertThat(dests()).containsExactly(RS1, RS2);
                figures.add(String.format("restart %d: 'javalived running' after %.1f s, MASTER after %.1f s,"
                        + " %d VIP/table samples all good", i, (running - t0) / 1e9, (master - t0) / 1e9, w.samples));
            }
            int[] r = stopLoad("load", load);
            load = null;
            figures.forEach(System.out::println);
            assertThat(r[1]).as("failed requests over " + cycles + " kill -9 + restart cycles").isZero();
            assertThat(r[0]).as("requests answered").isGreaterThan(10 * cycles);

            // rs3 comes back while the director is dead: out at start, in once its TCP_CHECK passed
            killNine();
            lab.serve(3);
            String success = "TCP connection to [10.79.3.2]:tcp:80 success.";
            String startDown = "Service [10.79.3.2]:tcp:80 of VS [10.79.0.100]:tcp:80 was not in the IPVS table";
            int[] outBeforeCheck = {0};
            String[] early = {null};
            Thread sampler = new Thread(() -> {
                while (early[0] == null && !dests().contains(RS3)) {
                    List<String> d = dests(); // the table first, then the log: the success line precedes the add
                    if (daemonLog().contains(startDown) && !daemonLog().contains(success)
                            && d.equals(List.of(RS1, RS2))) {
                        outBeforeCheck[0]++;
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (early[0] == null && !daemonLog().contains(success)) {
                    early[0] = "rs3 in the table before its check passed: " + dests();
                }
            });
            startDaemon(cfg, dir.resolve("run-rs3.log"));
            sampler.start();
            waitFor("rs3 added after its check", () -> dests().equals(List.of(RS1, RS2, RS3)));
            sampler.join(30_000);
            String l = daemonLog();
            int waitLine = l.indexOf("Service [10.79.3.2]:tcp:80 of VS [10.79.0.100]:tcp:80 was not in the IPVS");
            int checkOk = l.indexOf("TCP connection to [10.79.3.2]:tcp:80 success.");
            int added = l.indexOf("Adding service [10.79.3.2]:tcp:80 to VS [10.79.0.100]:tcp:80");
            System.out.println("rs3 back: " + outBeforeCheck[0] + " table samples without rs3 between the start-down"
                    + " line and its check's success; log positions: start-down line " + waitLine + ", check success "
                    + checkOk + ", added " + added);
            assertThat(early[0]).isNull();
            assertThat(waitLine).isNotNegative();
            // the first check may pass before the director logs its start-down decision (TCP_CHECK is a bare
            // connect now): what matters is that rs3 enters the table only after a passed check and that decision
            assertThat(checkOk).isNotNegative();
            assertThat(added).isGreaterThan(checkOk).isGreaterThan(waitLine);

            // control: keepalived's start (--clean-start) removes the VIP and loses requests
            lab.kill(3);
            waitFor("rs3 removed", () -> dests().equals(List.of(RS1, RS2)));
            load = load("control", 300);
            Thread.sleep(2000);
            killNine();
            startDaemon(cfg, dir.resolve("run-clean.log"), "--clean-start");
            waitFor("MASTER after --clean-start", () -> daemonLog().contains("Entering MASTER STATE"));
            Thread.sleep(3000);
            int[] c = stopLoad("control", load);
            load = null;
            assertThat(daemonLog()).contains("Entering BACKUP STATE (init)").contains("Removing service [10.79.3.2]:tcp:80 from VS");
            assertThat(c[1]).as("--clean-start (keepalived's start) loses requests").isGreaterThan(0);

            daemon.destroy();
            assertThat(daemon.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(vipPresent()).isFalse();
        } finally {
            if (load != null && load.isAlive()) {
                load.destroyForcibly();
            }
            System.out.println("--- javalived log (last run):\n" + daemonLog());
        }
    }
}
