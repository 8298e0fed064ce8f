package io.javalived.it.run;

import static io.javalived.it.lab.Shell.out;
import static io.javalived.it.lab.Shell.sh;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code enable_script_security} at run time, javalived next to Debian's keepalived (root; namespaces
 * {@code jvssPID_*}): a world-writable vrrp_script (it would touch a marker file) is disabled and never runs, and the
 * instance ignores it (it has {@code init_fail} and weight 0: counted as failed, the instance would stay in FAULT and
 * never become MASTER); a world-writable notify_master script is not run while the safe {@code notify} script is; a
 * world-writable MISC_CHECK is removed (javalived only: --ipvs-dry-run). Both daemons log keepalived's lines. Then a
 * SIGHUP after the permissions are fixed: javalived's reload checks again and the scripts run.
 */
class ScriptSecurityRunTest {
    static final int VRID = 58;
    final String tag = "jvss" + ProcessHandle.current().pid() % 100000;
    final List<String> namespaces = new ArrayList<>();
    final List<Process> procs = new ArrayList<>();
    Path dir;

    @BeforeEach
    void dir() throws IOException {
        dir = Files.createTempDirectory(tag).toRealPath(); // 0700 root under the sticky, root-owned /tmp
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        for (Process p : procs) {
            if (p.isAlive()) {
                p.destroy();
            }
        }
        for (Process p : procs) {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        for (String ns : namespaces) {
            try {
                out("ip netns del " + ns);
            } catch (IOException e) {
                // best effort
            }
        }
        try {
            out("rm -rf " + dir);
        } catch (IOException e) {
            // best effort
        }
    }

    private String namespace(String name) throws IOException {
        String ns = tag + "_" + name;
        sh("ip netns add " + ns);
        namespaces.add(ns);
        sh("ip -n " + ns + " link set lo up");
        sh("ip -n " + ns + " link add eth0 type veth peer name eth1");
        sh("ip -n " + ns + " addr add 10.58.0.1/24 dev eth0");
        sh("ip -n " + ns + " link set eth0 up");
        sh("ip -n " + ns + " link set eth1 up");
        return ns;
    }

    /** The scripts of one daemon in {@code d}: each appends its arguments to a marker file named after it. */
    private static void scripts(Path d) throws IOException {
        Files.createDirectories(d);
        for (String[] s : new String[][] {{"ok-track", "755"}, {"w-track", "777"}, {"ok-notify", "755"},
                {"w-notify", "777"}, {"w-misc", "777"}}) {
            Path p = d.resolve(s[0] + ".sh");
            Files.writeString(p, "#!/bin/sh\necho \"$@\" >> " + d.resolve("ran-" + s[0]) + "\nexit 0\n");
            sh("chmod " + s[1] + " " + p);
        }
    }

    private static String conf(Path d, boolean withVirtualServer) {
        String c = "global_defs {\n    enable_script_security\n    script_user root\n}\n"
                + "vrrp_script chk_ok {\n    script \"" + d.resolve("ok-track.sh") + "\"\n    interval 1\n}\n"
                + "vrrp_script chk_w {\n    script \"" + d.resolve("w-track.sh") + "\"\n    interval 1\n"
                + "    init_fail\n}\n"
                + "vrrp_instance VI_SEC {\n    state MASTER\n    interface eth0\n    virtual_router_id " + VRID + "\n"
                + "    priority 150\n    advert_int 1\n    track_script {\n        chk_ok\n        chk_w\n    }\n"
                + "    notify \"" + d.resolve("ok-notify.sh") + "\"\n"
                + "    notify_master \"" + d.resolve("w-notify.sh") + "\"\n"
                + "    virtual_ipaddress {\n        10.58.0.100/24 dev eth0\n    }\n}\n";
        if (withVirtualServer) {
            c += "virtual_server 10.58.0.100 80 {\n    delay_loop 1\n    lb_algo rr\n    lb_kind NAT\n"
                    + "    protocol TCP\n    real_server 10.58.0.2 80 {\n        MISC_CHECK {\n            misc_path \""
                    + d.resolve("w-misc.sh") + "\"\n        }\n    }\n}\n";
        }
        return c;
    }

    @Test
    void worldWritableScriptsNeverRunAndTheInstanceIgnoresTheTrackScript() throws Exception {
        Path ka = dir.resolve("ka");
        Path jv = dir.resolve("jv");
        scripts(ka);
        scripts(jv);
        Files.writeString(dir.resolve("ka.conf"), conf(ka, false));
        Files.writeString(dir.resolve("jv.conf"), conf(jv, true));

        String kns = namespace("ka");
        Process k = new ProcessBuilder("ip", "netns", "exec", kns, "/usr/sbin/keepalived", "-n", "-l", "-P", "-f",
                dir.resolve("ka.conf").toString(), "-p", dir.resolve("ka.pid").toString(), "-r",
                dir.resolve("ka-vrrp.pid").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("ka.log").toFile()).start();
        procs.add(k);
        String jns = namespace("jv");
        Process j = java(jns, "run", "-f", dir.resolve("jv.conf").toString(), "--pid", dir.resolve("jv.pid").toString(),
                "--control-socket", dir.resolve("jv.sock").toString(), "--no-metrics", "--ipvs-dry-run")
                .redirectErrorStream(true).redirectOutput(dir.resolve("jv.log").toFile()).start();
        procs.add(j);

        // MASTER although chk_w (init_fail, weight 0) never ran: the disabled script is ignored, not failed
        for (Path d : List.of(ka, jv)) {
            assertThat(waitFor(Duration.ofSeconds(30), () -> read(d.resolve("ran-ok-notify")).contains("MASTER")))
                    .as(d.getFileName() + " becomes MASTER (safe notify script ran)\nka.log:\n" + read(dir.resolve("ka.log"))
                            + "\njv.log:\n" + read(dir.resolve("jv.log"))).isTrue();
        }
        assertThat(out("ip -n " + jns + " -4 addr show dev eth0")).contains("10.58.0.100/24");
        Thread.sleep(3500); // three intervals of the track scripts, three delay_loops of the MISC_CHECK
        for (Path d : List.of(ka, jv)) {
            assertThat(d.resolve("ran-ok-track")).as("the safe vrrp_script runs").exists();
            assertThat(d.resolve("ran-w-track")).as("the world-writable vrrp_script never runs").doesNotExist();
            assertThat(d.resolve("ran-w-notify")).as("the world-writable notify_master is not run").doesNotExist();
        }
        assertThat(jv.resolve("ran-w-misc")).as("the world-writable MISC_CHECK never runs").doesNotExist();

        String kaLog = read(dir.resolve("ka.log"));
        String jvLog = read(dir.resolve("jv.log"));
        for (String line : List.of("Unsafe permissions found for script '%s' - disabling.".formatted(
                        "DIR/w-track.sh"), "Disabling track script chk_w due to insecure",
                "Unsafe permissions found for script '%s' - disabling.".formatted("DIR/w-notify.sh"))) {
            assertThat(kaLog).as("keepalived's log").contains(line.replace("DIR", ka.toString()));
            assertThat(jvLog).as("javalived's log").contains(line.replace("DIR", jv.toString()));
        }
        assertThat(jvLog).contains("Unsafe permissions found for script '" + jv.resolve("w-misc.sh")
                + "' - disabling.", "Disabling misc script '" + jv.resolve("w-misc.sh") + "' due to insecure");

        // fixed permissions + SIGHUP: javalived checks again and now runs them
        sh("chmod 755 " + jv.resolve("w-track.sh") + " " + jv.resolve("w-misc.sh"));
        sh("kill -HUP " + j.pid());
        assertThat(waitFor(Duration.ofSeconds(20), () -> Files.exists(jv.resolve("ran-w-track"))
                && Files.exists(jv.resolve("ran-w-misc")))).as("after the reload\n" + read(dir.resolve("jv.log")))
                .isTrue();
        // and the other way round: the safe script made world-writable is disabled at the next reload
        sh("chmod 777 " + jv.resolve("ok-track.sh"));
        sh("kill -HUP " + j.pid());
        assertThat(waitFor(Duration.ofSeconds(20), () -> count(read(dir.resolve("jv.log")), "Reload done") >= 2))
                .isTrue();
        Thread.sleep(1500); // a run already started before the reload may still finish
        long before = Files.readAllLines(jv.resolve("ran-ok-track")).size();
        Thread.sleep(3000);
        assertThat(Files.readAllLines(jv.resolve("ran-ok-track"))).as("no run after the second reload")
                .hasSize((int) before);
        assertThat(read(dir.resolve("jv.log"))).contains("Unsafe permissions found for script '"
                + jv.resolve("ok-track.sh") + "' - disabling.", "Disabling track script chk_ok due to insecure");
        assertThat(j.isAlive()).isTrue();
        for (String[] log : new String[][] {{"keepalived", kaLog}, {"javalived", read(dir.resolve("jv.log"))}}) {
            System.out.println("--- " + log[0] + ":");
            log[1].lines().filter(l -> l.contains("script") || l.contains("Reload")).forEach(System.out::println);
        }
    }

    /**
     * {@code script_user nobody}: scripts that name no user run as nobody (not root), in keepalived and javalived; a
     * script run by a non-root user is not permission-checked (only that it is executable for that user).
     */
    @Test
    void scriptsRunAsTheDefaultScriptUser() throws Exception {
        sh("chmod 755 " + dir); // nobody must reach the scripts
        List<Path> outs = new ArrayList<>();
        for (String who : List.of("ka", "jv")) {
            Path d = dir.resolve(who);
            Path o = d.resolve("out");
            Files.createDirectories(o);
            sh("chmod 755 " + d + " && chmod 777 " + o);
            outs.add(o);
            for (String name : List.of("uid-track", "uid-notify")) {
                Path p = d.resolve(name + ".sh");
                Files.writeString(p, "#!/bin/sh\nid -u >> " + o.resolve(name) + "\nexit 0\n");
                sh("chmod 755 " + p);
            }
            Files.writeString(dir.resolve(who + ".conf"), "global_defs {\n    enable_script_security\n"
                    + "    script_user nobody\n}\nvrrp_script chk_uid {\n    script \"" + d.resolve("uid-track.sh")
                    + "\"\n    interval 1\n}\nvrrp_instance VI_UID {\n    state MASTER\n    interface eth0\n"
                    + "    virtual_router_id " + VRID + "\n    priority 150\n    advert_int 1\n"
                    + "    track_script {\n        chk_uid\n    }\n    notify \"" + d.resolve("uid-notify.sh")
                    + "\"\n    virtual_ipaddress {\n        10.58.0.100/24 dev eth0\n    }\n}\n");
        }
        String kns = namespace("ka");
        procs.add(new ProcessBuilder("ip", "netns", "exec", kns, "/usr/sbin/keepalived", "-n", "-l", "-P", "-f",
                dir.resolve("ka.conf").toString(), "-p", dir.resolve("ka.pid").toString(), "-r",
                dir.resolve("ka-vrrp.pid").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("ka.log").toFile()).start());
        String jns = namespace("jv");
        procs.add(java(jns, "run", "-f", dir.resolve("jv.conf").toString(), "--pid", dir.resolve("jv.pid").toString(),
                "--control-socket", dir.resolve("jv.sock").toString(), "--no-metrics").redirectErrorStream(true)
                .redirectOutput(dir.resolve("jv.log").toFile()).start());
        for (Path o : outs) {
            assertThat(waitFor(Duration.ofSeconds(30), () -> !read(o.resolve("uid-notify")).isBlank()
                    && !read(o.resolve("uid-track")).isBlank())).as(o + "\nka.log:\n" + read(dir.resolve("ka.log"))
                    + "\njv.log:\n" + read(dir.resolve("jv.log"))).isTrue();
            for (String name : List.of("uid-track", "uid-notify")) {
                assertThat(read(o.resolve(name)).lines().distinct().toList()).as(o + "/" + name)
                        .containsExactly("65534");
            }
        }
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static ProcessBuilder java(String ns, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-XX:+UseSerialGC", "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "io.javalived.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("_JAVA_SR_SIGNUM");
        return pb;
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean waitFor(Duration d, BooleanSupplier ok) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            if (ok.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return ok.getAsBoolean();
    }
}
