package io.javalived.it.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * notify_fifo, vrrp_notify_fifo and their scripts, javalived against Debian's keepalived 2.2.7 on the same events: one
 * instance in a one-member sync group, alone on its link, becomes MASTER; its track_file lowers its priority
 * (vrrp_notify_priority_changes); it is stopped (SIGTERM). Each daemon creates the two FIFOs and removes them at the
 * end; notify_fifo is read by its notify_fifo_script (which keepalived ends before it writes the STOP lines),
 * vrrp_notify_fifo by a reader the test starts. Both daemons' lines must be the same, in the same order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotifyFifoLabTest {
    private VrrpLab lab;
    private final List<String> modes = new ArrayList<>();

    @BeforeAll
    void up() throws Exception {
        lab = new VrrpLab(1);
    }

    @AfterAll
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    private String conf(String impl, Path trackFile, Path script) {
        Conf c = new Conf().version(3, "0.5").priority(150);
        Path fifo = lab.dir.resolve(impl + ".fifo");
        Path vfifo = lab.dir.resolve(impl + ".vfifo");
        c.extraGlobal = "    notify_fifo " + fifo + "\n    notify_fifo_script " + script + "\n"
                + "    vrrp_notify_fifo " + vfifo + "\n"
                + "    vrrp_notify_priority_changes true\n";
        c.extraTop = "track_file tf {\n    file " + trackFile + "\n    weight -10\n    init_file 0\n}\n"
                + "vrrp_sync_group G1 {\n    group {\n        VI_1\n    }\n    sync_group_tracking_weight\n}\n";
        c.extraInstance = "    track_file {\n        tf\n    }\n";
        return c.text();
    }

    /** Runs one daemon through the events; returns {all lines of notify_fifo, all lines of vrrp_notify_fifo}. */
    private List<List<String>> run(String impl) throws Exception {
        Path script = lab.dir.resolve("reader.sh");
        Files.writeString(script, "#!/bin/sh\nexec cat \"$1\" >> \"$1.lines\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path track = lab.dir.resolve(impl + ".track");
        Path fifo = lab.dir.resolve(impl + ".fifo");
        Path vfifo = lab.dir.resolve(impl + ".vfifo");
        Path lines = Path.of(fifo + ".lines");
        Path vlines = Path.of(vfifo + ".lines");
        String conf = conf(impl, track, script);
        Process p = impl.equals("keepalived") ? lab.keepalived(1, conf, impl) : lab.javalived(1, conf, impl);
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(30), () -> Files.exists(fifo) && Files.exists(vfifo)))
                .as(impl + " creates the FIFOs\n" + lab.log(impl)).isTrue();
        modes.add(PosixFilePermissions.toString(Files.getPosixFilePermissions(fifo)));
        assertThat(Files.isRegularFile(fifo)).isFalse();
        Process reader = new ProcessBuilder("sh", "-c", "exec cat \"$1\" >> \"$1.lines\"", "sh", vfifo.toString())
                .start();
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(20), () -> read(lines).contains(
                "INSTANCE \"VI_1\" MASTER 150"))).as(impl + " MASTER line\n" + lab.log(impl) + read(lines)).isTrue();
        Thread.sleep(500);
        Files.writeString(track, "2\n"); // 150 + 2 x -10 = 130
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(10), () -> read(lines).contains("MASTER_PRIORITY 130")))
                .as(impl + " priority line\n" + lab.log(impl) + read(lines)).isTrue();
        Thread.sleep(300);
        VrrpLab.stop(p, 10);
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(5), () -> !Files.exists(fifo) && !Files.exists(vfifo)))
                .as(impl + " removes the FIFOs it created").isTrue();
        VrrpLab.waitFor(Duration.ofSeconds(3), () -> read(vlines).contains("STOP"));
        reader.destroy(); // gone already: the FIFO's last writer closed it
        VrrpLab.waitExit(reader, 3);
        return List.of(lines(lines), lines(vlines));
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static List<String> lines(Path p) {
        return new ArrayList<>(read(p).lines().toList());
    }

    @Test
    void javalivedWritesKeepalivedsLinesInTheSameOrder() throws Exception {
        List<List<String>> k = run("keepalived");
        List<List<String>> j = run("javalived");
        assertThat(k.get(0)).as("keepalived's notify_fifo\n" + lab.log("keepalived"))
                .contains("INSTANCE \"VI_1\" MASTER 150", "INSTANCE \"VI_1\" MASTER_PRIORITY 130");
        assertThat(j.get(0)).as("javalived's notify_fifo = keepalived's\n" + lab.log("javalived"))
                .isEqualTo(k.get(0));
        assertThat(modes).as("FIFO modes (keepalived, javalived)").containsExactly("rw-------", "rw-------");
        assertThat(j.get(1)).as("javalived's vrrp_notify_fifo = keepalived's").isEqualTo(k.get(1));
        assertThat(k.get(1)).as("vrrp_notify_fifo's reader also gets the STOP lines").contains(
                "INSTANCE \"VI_1\" STOP 130", "GROUP \"G1\" STOP 0");
    }

    private Process listener(int port) throws Exception {
        return new ProcessBuilder("ip", "netns", "exec", lab.ns(1), "python3", "-c",
                "import socket\ns=socket.socket()\ns.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\n"
                        + "s.bind(('127.0.0.1'," + port + "))\ns.listen(16)\n"
                        + "while True:\n    c,_=s.accept()\n    c.close()\n").start();
    }

    /**
     * lvs_notify_fifo (no keepalived to compare with: its checkers need IPVS; the lines follow keepalived's
     * ipwrapper.c formats, VS FMT_VS STATE and RS FMT_RS FMT_VS STATE): javalived with --ipvs-dry-run, one TCP_CHECKed
     * real server whose listener is stopped and started again.
     */
    @Test
    void checkerEventsGoToTheLvsFifo() throws Exception {
        int port = 18000 + (int) (ProcessHandle.current().pid() % 1000);
        Path fifo = lab.dir.resolve("lvs.fifo");
        Path lines = Path.of(fifo + ".lines");
        String conf = "global_defs {\n    router_id lvsfifo\n    lvs_notify_fifo " + fifo + "\n}\n"
                + "virtual_server 10.77.0.200 80 {\n    delay_loop 1\n    lb_algo rr\n    lb_kind NAT\n"
                + "    protocol TCP\n    real_server 127.0.0.1 " + port + " {\n        weight 1\n"
                + "        TCP_CHECK {\n            connect_timeout 1\n            retry 0\n        }\n    }\n}\n";
        Path f = lab.dir.resolve("lvs.conf");
        Files.writeString(f, conf);
        Process srv = listener(port);
        Process reader = null;
        Process jv = new ProcessBuilder("ip", "netns", "exec", lab.ns(1),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC", "-Xmx96m",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "io.javalived.cli.Main", "run",
                "--ipvs-dry-run", "--no-metrics", "-p", lab.dir.resolve("lvs.pid").toString(), "-f", f.toString())
                .redirectErrorStream(true).redirectOutput(lab.dir.resolve("lvs.log").toFile()).start();
        try {
            assertThat(VrrpLab.waitFor(Duration.ofSeconds(30), () -> Files.exists(fifo))).as(lab.log("lvs")).isTrue();
            reader = new ProcessBuilder("sh", "-c", "exec cat \"$1\" >> \"$1.lines\"", "sh", fifo.toString()).start();
            String vs = "[10.77.0.200]:tcp:80";
            String rs = "[127.0.0.1]:tcp:" + port;
            assertThat(VrrpLab.waitFor(Duration.ofSeconds(20), () -> read(lines).contains("VS " + vs + " UP")))
                    .as(lab.log("lvs")).isTrue();
            Thread.sleep(1500); // a few passing checks
            srv.destroy();
            VrrpLab.waitExit(srv, 5);
            assertThat(VrrpLab.waitFor(Duration.ofSeconds(15), () -> read(lines).contains("VS " + vs + " DOWN")))
                    .as(lab.log("lvs") + read(lines)).isTrue();
            srv = listener(port);
            assertThat(VrrpLab.waitFor(Duration.ofSeconds(15), () -> read(lines).lines().count() >= 5))
                    .as(lab.log("lvs") + read(lines)).isTrue();
            assertThat(lines(lines)).containsExactly("VS " + vs + " UP", "RS " + rs + " " + vs + " DOWN",
                    "VS " + vs + " DOWN", "RS " + rs + " " + vs + " UP", "VS " + vs + " UP");
            VrrpLab.stop(jv, 10);
            assertThat(VrrpLab.waitFor(Duration.ofSeconds(5), () -> !Files.exists(fifo))).isTrue();
        } finally {
            VrrpLab.stop(jv, 5);
            srv.destroy();
            VrrpLab.waitExit(srv, 3);
            if (reader != null) {
                reader.destroy();
                VrrpLab.waitExit(reader, 3);
            }
        }
    }
}
