package io.javalived.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.javalived.ipvs.IpvsClient;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code javalived run} as a separate process on the host (no IPVS here): the refusal to start virtual servers
 * without IPVS, and SIGHUP reloads of the VRRP side in a network namespace: a broken file is rejected, an added
 * instance starts, an unchanged one keeps its MASTER state, a removed one stops and releases its VIP.
 */
class RunCommandTest {
    static final String NS = "jvrh" + ProcessHandle.current().pid();
    Process daemon;
    Path log;

    static String sh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + script);
        }
        if (p.exitValue() != 0) {
            throw new IOException("exit " + p.exitValue() + ": " + script + "\n" + out);
        }
        return out;
    }

    static List<String> java(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "io.javalived.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @AfterEach
    void cleanup() throws Exception {
        if (daemon != null && daemon.isAlive()) {
            daemon.destroyForcibly();
            daemon.waitFor(20, TimeUnit.SECONDS);
        }
        sh("ip netns del " + NS + " 2>/dev/null; true");
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    void waitFor(String what, BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end || !daemon.isAlive()) {
                throw new AssertionError((daemon.isAlive() ? "timed out waiting for " : "javalived exited waiting for ")
                        + what + "\n--- log:\n" + log());
            }
            Thread.sleep(100);
        }
    }

    static boolean ipvsAvailable() {
        try (IpvsClient c = IpvsClient.open()) {
            return true;
        } catch (Exception | LinkageError e) {
            return false;
        }
    }

    @Test
    void virtualServersWithoutIpvsIsAClearErrorAndExit1(@TempDir Path dir) throws Exception {
        assumeTrue(!ipvsAvailable(), "this kernel has IPVS");
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, """
                virtual_server 10.79.9.1 80 {
                  lb_algo rr
                  lb_kind NAT
                  protocol TCP
                  real_server 127.0.0.1 1 { TCP_CHECK { connect_timeout 1 } }
                }
                """);
        Process p = new ProcessBuilder(java("run", "-f", conf.toString(), "--pid", dir.resolve("pid").toString()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(1);
        assertThat(out).contains("IPVS is not available", "modprobe ip_vs", "--vrrp-only",
                "1 virtual_server block(s) of " + conf).doesNotContain("Exception", "\tat ");
    }

    static String instance(String name, int vrid, int prio, String vip) {
        return "vrrp_instance " + name + " {\n  state MASTER\n  interface jvh0\n  virtual_router_id " + vrid
                + "\n  priority " + prio + "\n  advert_int 1\n  virtual_ipaddress {\n    " + vip + "/32\n  }\n}\n";
    }

    boolean hasVip(String vip) {
        try {
            return sh("ip -n " + NS + " -4 addr show dev jvh0").contains(vip + "/32");
        } catch (Exception e) {
            return false;
        }
    }

    static long count(String s, String what) {
        long n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    void hupAndWait(int reloadsBefore, String outcome) throws Exception {
        sh("kill -HUP " + daemon.pid());
        waitFor("reload " + (reloadsBefore + 1), () -> count(log(), "Reload done") + count(log(), "Reload failed")
                > reloadsBefore);
        assertThat(log()).contains(outcome);
    }

    @Test
    void sighupReloadsVrrpInstanceByInstance(@TempDir Path dir) throws Exception {
        sh("set -e; ip netns add " + NS + "; ip -n " + NS + " link set lo up\n"
                + "ip -n " + NS + " link add jvh0 type veth peer name jvh1\n"
                + "ip -n " + NS + " addr add 10.79.0.1/24 dev jvh0; ip -n " + NS + " link set jvh0 up; ip -n " + NS
                + " link set jvh1 up");
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, instance("VI_1", 1, 255, "10.79.0.100"));
        log = dir.resolve("run.log");
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", NS));
        Path pid = dir.resolve("javalived.pid");
        cmd.addAll(java("run", "-f", conf.toString(), "--pid", pid.toString()));
        daemon = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        waitFor("VI_1 master", () -> hasVip("10.79.0.100") && log().contains("javalived running"));

        Files.writeString(conf, "# moved down\n" + instance("VI_1", 1, 255, "10.79.0.100") + "vrrp_instance {\n");
        hupAndWait(0, "Reload failed, keeping the running configuration: " + conf + ":");
        assertThat(daemon.isAlive()).isTrue();

        assertThat(Files.readString(pid).trim()).isEqualTo(Long.toString(daemon.pid()));
        Process refused = new ProcessBuilder(java("reload", "--pid", pid.toString(), "-f", conf.toString()))
                .redirectErrorStream(true).start();
        String refusedOut = new String(refused.getInputStream().readAllBytes());
        assertThat(refused.waitFor()).as(refusedOut).isEqualTo(1);
        assertThat(refusedOut).contains("not reloading, the configuration has errors: " + conf + ":");

        Files.writeString(conf, "# moved down\n" + instance("VI_1", 1, 255, "10.79.0.100")
                + instance("VI_2", 2, 255, "10.79.0.101"));
        // -p as for run and status (--pid above)
        Process reload = new ProcessBuilder(java("reload", "-p", pid.toString(), "-f", conf.toString()))
                .redirectErrorStream(true).start();
        String reloadOut = new String(reload.getInputStream().readAllBytes());
        assertThat(reload.waitFor()).as(reloadOut).isZero();
        waitFor("reload 2", () -> count(log(), "Reload done") == 1);
        assertThat(log()).contains("Reload done: 2 VRRP instance(s)");
        waitFor("VI_2 master", () -> hasVip("10.79.0.101"));
        assertThat(count(log(), "VRRP_Instance(VI_1) Entering MASTER STATE")).as("VI_1 untouched").isEqualTo(1);
        assertThat(hasVip("10.79.0.100")).isTrue();

        Files.writeString(conf, instance("VI_2", 2, 255, "10.79.0.101"));
        hupAndWait(2, "Reload done: 1 VRRP instance(s)");
        waitFor("VI_1 released", () -> !hasVip("10.79.0.100"));
        assertThat(log()).contains("VRRP_Instance(VI_1) sent 0 priority");
        assertThat(hasVip("10.79.0.101")).isTrue();
        assertThat(count(log(), "VRRP_Instance(VI_2) Entering MASTER STATE")).as("VI_2 untouched").isEqualTo(1);

        Files.writeString(conf, instance("VI_2", 2, 254, "10.79.0.101"));
        // a priority change is applied in place (the VIP stays; the next advert carries it), as keepalived 2.2.7
        hupAndWait(3, "Applying changed VRRP_Instance(VI_2) on reload without restart");
        waitFor("VI_2 at its new priority", () -> log().contains("VRRP_Instance(VI_2) Changing effective priority "
                + "from 255 to 254"));
        assertThat(count(log(), "VRRP_Instance(VI_2) Entering MASTER STATE")).as("VI_2 kept its state").isEqualTo(1);
        assertThat(hasVip("10.79.0.101")).isTrue();

        // a changed instance that cannot start (its interface does not exist) keeps its running configuration
        Files.writeString(conf, instance("VI_2", 2, 253, "10.79.0.101").replace("jvh0", "jvnone0"));
        hupAndWait(4, "Reload: cannot start changed VRRP_Instance(VI_2)");
        assertThat(log()).contains("keeping its running configuration");
        // (restarted on its running configuration: the priority change above was applied in place, without this line)
        waitFor("VI_2 back on its running configuration", () -> count(log(),
                "VRRP_Instance(VI_2) on jvh0 vrid 2 priority 254") == 1 && hasVip("10.79.0.101"));

        sh("kill -TERM " + daemon.pid());
        assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(log()).contains("Stopped javalived");
        assertThat(pid).as("pid file removed on stop").doesNotExist();
        System.out.println(log());
    }
}
