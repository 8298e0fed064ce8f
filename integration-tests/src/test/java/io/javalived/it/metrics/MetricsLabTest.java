package io.javalived.it.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static io.javalived.it.lab.Shell.out;
import static io.javalived.it.lab.Shell.sh;

import io.javalived.daemon.metrics.Catalog;
import io.javalived.daemon.metrics.ExpositionParser;
import io.javalived.daemon.metrics.ExpositionParser.Exposition;
import io.javalived.daemon.metrics.ExpositionParser.Family;
import io.javalived.daemon.metrics.ExpositionParser.ParsedSample;
import io.javalived.daemon.metrics.MetricDef;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code /metrics} of a running {@code javalived run --ipvs-dry-run} in a network namespace lab: a director namespace
 * (VRRP instance alone on its link, so it becomes MASTER; a virtual server with two real servers, one TCP_CHECK and
 * one HTTP_GET, quorum 2) and a backend namespace with two web servers. The scrape is taken from inside the director's
 * namespace with curl, checked by {@code promtool check metrics} (Prometheus' own parser and linter: no error, no lint
 * finding) and parsed with the strict {@link ExpositionParser}: every documented metric is there with its labels and
 * values that follow the lab. Then one backend is killed: its health, failed checkers, consecutive failures, failure
 * class CONNECTION_REFUSED, real servers up 1/2, quorum down and its IPVS destination's removal show; restarted, it
 * comes back. Then 2 and 100 stalled clients on /metrics and on the status socket: scrapes and {@code javalived
 * status} are still answered within 1 s, and the stalled clients are closed at the deadlines.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsLabTest {
    static final String TAG = "jvmx" + ProcessHandle.current().pid() % 100000;
    static final String NS_D = TAG + "d";
    static final String NS_B = TAG + "b";
    static final String VIP = "10.93.0.100";
    static final String RS1 = "10.93.0.2";
    static final String RS2 = "10.93.0.3";
    static final int RS_PORT = 8080;
    static final int METRICS_PORT = 19650;
    static final String VS = "[" + VIP + "]:tcp:80";
    static final String TCP = "TCP_CHECK [" + RS1 + "]:tcp:" + RS_PORT;
    static final String HTTP = "HTTP_GET [" + RS2 + "]:tcp:" + RS_PORT;

    static Path dir;
    static Process daemon;
    static final Process[] backends = new Process[2];
    static final Thread HOOK = new Thread(MetricsLabTest::teardown, "metrics-lab-cleanup");

    static final String CONF = """
            global_defs {
                router_id metrics_lab
            }
            vrrp_script chk_ok {
                script "/bin/true"
                interval 1
                weight 5
            }
            vrrp_instance VI_1 {
                state BACKUP
                interface eth0
                virtual_router_id 51
                priority 100
                advert_int 1
                virtual_ipaddress {
                    %1$s/24 dev eth0
                }
                track_script {
                    chk_ok
                }
            }
            virtual_server %1$s 80 {
                delay_loop 1
                lb_algo rr
                lb_kind NAT
                protocol TCP
                quorum 2
                real_server %2$s %4$d {
                    weight 1
                    TCP_CHECK {
                        connect_timeout 1
                        retry 1
                        delay_before_retry 1
                    }
                }
                real_server %3$s %4$d {
                    weight 1
                    HTTP_GET {
                        url {
                            path /
                            status_code 200
                        }
                        connect_timeout 1
                        retry 1
                        delay_before_retry 1
                    }
                }
            }
            """.formatted(VIP, RS1, RS2, RS_PORT);

    @BeforeAll
    static void lab() throws Exception {
        Runtime.getRuntime().addShutdownHook(HOOK);
        dir = Files.createTempDirectory(TAG);
        sh("ip netns add " + NS_D);
        sh("ip netns add " + NS_B);
        sh("ip link add " + TAG + "a netns " + NS_D + " type veth peer name " + TAG + "z netns " + NS_B);
        sh("ip -n " + NS_D + " link set " + TAG + "a name eth0");
        sh("ip -n " + NS_B + " link set " + TAG + "z name eth0");
        for (String ns : new String[] {NS_D, NS_B}) {
            sh("ip -n " + ns + " link set lo up");
            sh("ip -n " + ns + " link set eth0 up");
        }
        sh("ip -n " + NS_D + " addr add 10.93.0.1/24 dev eth0");
        sh("ip -n " + NS_B + " addr add " + RS1 + "/24 dev eth0");
        sh("ip -n " + NS_B + " addr add " + RS2 + "/24 dev eth0");
        startBackend(0, RS1);
        startBackend(1, RS2);
        // the first checks must find the web servers listening (a JVM start takes seconds on a busy machine)
        for (String rs : new String[] {RS1, RS2}) {
            sh("ip netns exec " + NS_D + " bash -c 'for i in $(seq 1 300); do (exec 3<>/dev/tcp/" + rs + "/" + RS_PORT
                    + ") 2>/dev/null && exit 0; sleep 0.1; done; echo backend " + rs + " not listening >&2; exit 1'");
        }
        Files.writeString(dir.resolve("lab.conf"), CONF);
        daemon = new ProcessBuilder(daemonCommand()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("javalived.log").toFile()).start();
    }

    static List<String> daemonCommand() {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", NS_D, java(), "-XX:+UseSerialGC",
                "-Xmx128m", "-XX:TieredStopAtLevel=1"));
        Path jar = Path.of(System.getProperty("javalived.jar", "../cli/target/javalived.jar"));
        if (Files.isRegularFile(jar)) {
            cmd.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        } else {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.javalived.cli.Main"));
        }
        cmd.addAll(List.of("run", "--ipvs-dry-run", "--metrics", "127.0.0.1:" + METRICS_PORT, "-p",
                dir.resolve("javalived.pid").toString(), "-f", dir.resolve("lab.conf").toString()));
        return cmd;
    }

    static void startBackend(int i, String addr) throws IOException {
        backends[i] = new ProcessBuilder("ip", "netns", "exec", NS_B, java(), "-XX:+UseSerialGC", "-Xmx32m",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Backend.class.getName(),
                addr, Integer.toString(RS_PORT)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("backend" + i + ".log").toFile()))
                .start();
    }

    static void stopBackend(int i) throws InterruptedException {
        Process p = backends[i];
        if (p != null && p.isAlive()) {
            p.destroyForcibly(); // SIGKILL, by PID (ip netns exec execs java: same process)
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void cleanup() {
        teardown();
        try {
            Runtime.getRuntime().removeShutdownHook(HOOK);
        } catch (IllegalStateException e) {
            // shutting down
        }
    }

    static synchronized void teardown() {
        try {
            if (daemon != null && daemon.isAlive()) {
                daemon.destroy(); // SIGTERM: a graceful stop
                if (!daemon.waitFor(15, TimeUnit.SECONDS)) {
                    daemon.destroyForcibly();
                    daemon.waitFor(10, TimeUnit.SECONDS);
                }
            }
            for (int i = 0; i < backends.length; i++) {
                stopBackend(i);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            out("ip netns del " + NS_D + " 2>/dev/null; ip netns del " + NS_B + " 2>/dev/null; true");
        } catch (IOException e) {
            // best effort
        }
        if (dir != null && Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException e) {
                // best effort
            }
        }
    }

    // -------------------------------------------------------------------------------------------- the test

    @Test
    @Order(1)
    void metricsFollowTheLab() throws Exception {
        // 1. MASTER, both real servers healthy, quorum up 2/2
        Exposition e = waitForScrape("MASTER with both real servers up", x ->
                value(x, "keepalived_vrrp_state", "iname", "VI_1") == 2
                        && value(x, "javalived_virtual_server_real_servers_up", "virtual_server", VS) == 2
                        && !x.find("javalived_check_last_duration_seconds", "check", HTTP).isEmpty()
                        && !x.find("javalived_check_last_duration_seconds", "check", TCP).isEmpty()
                        && value(x, "javalived_vrrp_effective_priority", "iname", "VI_1") == 105);
        String text = lastText;
        Files.writeString(Path.of("target/metrics-lab-scrape.txt"), text); // for the record (README, METRICS.md)
        promtool(text);
        // every documented family is there, with exactly its documented labels
        for (MetricDef d : Catalog.ALL) {
            if (d == Catalog.RS_DRAIN_CONNECTIONS) {
                continue; // only while an operator's drain runs (StatusMetricsTest.operatorOverridesAsOneSeriesPerState)
            }
            if (d == Catalog.ANYCAST_ANNOUNCED) {
                continue; // only for an anycast virtual server (this lab has none; AnycastLabTest reads it)
            }
            Family f = e.families().get(d.name());
            assertThat(f).as(d.name() + " in\n" + text).isNotNull();
            assertThat(f.type()).as(d.name()).isEqualTo(d.type().text());
            assertThat(f.samples()).as(d.name()).isNotEmpty();
            for (ParsedSample s : f.samples()) {
                assertThat(s.labels().keySet()).as(d.name()).isEqualTo(Set.copyOf(d.labels()));
            }
        }
        assertThat(e.value("keepalived_up")).isEqualTo(1);
        assertThat(e.value("keepalived_vrrp_state", "iname", "VI_1", "intf", "eth0", "vrid", "51", "ip_address",
                VIP + "/24")).isEqualTo(2);
        assertThat(e.value("keepalived_become_master_total", "iname", "VI_1", "intf", "eth0", "vrid", "51"))
                .isEqualTo(1);
        assertThat(e.value("keepalived_advertisements_sent_total", "iname", "VI_1")).isGreaterThan(0);
        for (String c : new String[] {"keepalived_advertisements_received_total", "keepalived_release_master_total",
            "keepalived_packet_length_errors_total", "keepalived_advertisements_interval_errors_total",
            "keepalived_ip_ttl_errors_total", "keepalived_invalid_type_received_total",
            "keepalived_address_list_errors_total", "keepalived_authentication_invalid_total",
            "keepalived_authentication_mismatch_total", "keepalived_authentication_failure_total",
            "keepalived_priority_zero_received_total", "keepalived_priority_zero_sent_total"}) {
            assertThat(e.value(c, "iname", "VI_1", "intf", "eth0", "vrid", "51")).as(c).isEqualTo(0);
        }
        assertThat(e.value("keepalived_script_status", "name", "chk_ok")).isEqualTo(1);
        assertThat(e.value("javalived_vrrp_base_priority", "iname", "VI_1")).isEqualTo(100);
        assertThat(e.value("javalived_vrrp_tracker_up", "iname", "VI_1", "kind", "script", "name", "chk_ok"))
                .isEqualTo(1);
        assertThat(e.value("javalived_vrrp_tracker_priority_effect", "iname", "VI_1", "name", "chk_ok"))
                .isEqualTo(5);
        double now = System.currentTimeMillis() / 1000.0;
        assertThat(e.value("javalived_vrrp_state_change_timestamp_seconds", "iname", "VI_1"))
                .isBetween(now - 120, now + 1);
        assertThat(e.value("javalived_start_time_seconds")).isBetween(now - 300, now + 1);
        assertThat(e.value("javalived_ipvs_mode", "mode", "dry-run")).isEqualTo(1);
        assertThat(e.value("javalived_ipvs_up")).isEqualTo(1);
        assertThat(e.value("javalived_ipvs_read_errors_total")).isEqualTo(0);

        assertThat(e.value("javalived_virtual_server_quorum_up", "virtual_server", VS)).isEqualTo(1);
        assertThat(e.value("javalived_virtual_server_quorum", "virtual_server", VS)).isEqualTo(2);
        assertThat(e.value("javalived_virtual_server_alive_weight", "virtual_server", VS)).isEqualTo(2);
        assertThat(e.value("javalived_virtual_server_real_servers_configured", "virtual_server", VS)).isEqualTo(2);
        assertThat(e.value("javalived_virtual_server_sorry_server_active", "virtual_server", VS)).isEqualTo(0);
        assertThat(e.value("javalived_virtual_server_suspended", "virtual_server", VS)).isEqualTo(0);
        for (String rs : new String[] {RS1, RS2}) {
            String[] l = {"virtual_server", VS, "real_server", rs + ":" + RS_PORT};
            assertThat(e.value("javalived_real_server_up", l)).as(rs).isEqualTo(1);
            assertThat(e.value("javalived_real_server_failed_checkers", l)).as(rs).isEqualTo(0);
            assertThat(e.value("javalived_real_server_consecutive_failures", l)).as(rs).isEqualTo(0);
            assertThat(e.value("javalived_real_server_weight", l)).as(rs).isEqualTo(1);
            assertThat(e.value("javalived_real_server_in_pool", l)).as(rs).isEqualTo(1);
        }
        for (String check : new String[] {TCP, HTTP}) {
            assertThat(e.value("javalived_check_up", "virtual_server", VS, "check", check)).as(check).isEqualTo(1);
            assertThat(e.value("javalived_check_attempts_total", "check", check)).as(check).isGreaterThan(0);
            assertThat(e.value("javalived_check_failures_total", "check", check)).as(check).isEqualTo(0);
            assertThat(e.value("javalived_check_consecutive_failures", "check", check)).as(check).isEqualTo(0);
            assertThat(e.value("javalived_check_last_duration_seconds", "check", check)).as(check)
                    .isGreaterThan(0).isLessThan(1.5);
            assertThat(e.value("javalived_check_last_failure_reason", "check", check, "reason", "none")).isEqualTo(1);
        }
        // the dry-run IPVS table under node_exporter's names: the service and both destinations, counters 0
        String[] svc = {"local_address", VIP, "local_port", "80", "local_mark", "", "proto", "TCP"};
        for (String n : new String[] {"node_ipvs_connections_total", "node_ipvs_incoming_packets_total",
            "node_ipvs_outgoing_packets_total", "node_ipvs_incoming_bytes_total", "node_ipvs_outgoing_bytes_total"}) {
            assertThat(e.value(n, svc)).as(n).isEqualTo(0);
        }
        for (String rs : new String[] {RS1, RS2}) {
            String[] d = dest(rs);
            assertThat(e.value("node_ipvs_backend_weight", d)).as(rs).isEqualTo(1);
            assertThat(e.value("node_ipvs_backend_connections_active", d)).as(rs).isEqualTo(0);
            assertThat(e.value("node_ipvs_backend_connections_inactive", d)).as(rs).isEqualTo(0);
            assertThat(e.value("node_ipvs_backend_connections_total", d)).as(rs).isEqualTo(0);
        }

        // 2. the HTTP_GET backend dies
        long killed = System.nanoTime();
        stopBackend(1);
        String[] rs2 = {"virtual_server", VS, "real_server", RS2 + ":" + RS_PORT};
        // health and table are published apart (the table after the director's reconcile): wait for both
        e = waitForScrape("the killed backend's health at 0 and its destination gone", x ->
                value(x, "javalived_real_server_up", rs2) == 0
                        && x.find("node_ipvs_backend_weight", "remote_address", RS2).isEmpty());
        System.out.printf("MetricsLabTest: backend killed -> javalived_real_server_up 0 in %d ms "
                + "(consecutive failures %.0f, reason CONNECTION_REFUSED)%n", (System.nanoTime() - killed) / 1_000_000,
                e.value("javalived_check_consecutive_failures", "check", HTTP));
        promtool(lastText);
        assertThat(e.value("javalived_check_up", "check", HTTP)).isEqualTo(0);
        assertThat(e.value("javalived_real_server_failed_checkers", rs2)).isEqualTo(1);
        assertThat(e.value("javalived_real_server_consecutive_failures", rs2)).isGreaterThan(0);
        assertThat(e.value("javalived_check_consecutive_failures", "check", HTTP)).isGreaterThan(0);
        assertThat(e.value("javalived_check_failures_total", "check", HTTP)).isGreaterThan(0);
        assertThat(e.value("javalived_check_last_failure_reason", "virtual_server", VS, "real_server",
                RS2 + ":" + RS_PORT, "check", HTTP, "reason", "CONNECTION_REFUSED")).isEqualTo(1);
        assertThat(e.find("javalived_check_last_failure_reason", "check", HTTP)).hasSize(1);
        assertThat(e.value("javalived_real_server_in_pool", rs2)).isEqualTo(0);
        assertThat(e.value("javalived_virtual_server_real_servers_up", "virtual_server", VS)).isEqualTo(1);
        assertThat(e.value("javalived_virtual_server_real_servers_configured", "virtual_server", VS)).isEqualTo(2);
        assertThat(e.value("javalived_virtual_server_alive_weight", "virtual_server", VS)).isEqualTo(1);
        assertThat(e.value("javalived_virtual_server_quorum_up", "virtual_server", VS)).isEqualTo(0);
        assertThat(e.value("javalived_real_server_up", "real_server", RS1 + ":" + RS_PORT)).isEqualTo(1);
        assertThat(e.value("javalived_check_last_failure_reason", "check", TCP, "reason", "none")).isEqualTo(1);
        // its IPVS destination is gone from the (dry-run) table, so its series are gone too
        assertThat(e.find("node_ipvs_backend_weight", "remote_address", RS2)).isEmpty();
        assertThat(e.value("node_ipvs_backend_weight", dest(RS1))).isEqualTo(1);
        assertThat(e.value("keepalived_vrrp_state", "iname", "VI_1")).isEqualTo(2);

        // 3. it comes back
        long restarted = System.nanoTime();
        startBackend(1, RS2);
        e = waitForScrape("the restarted backend's health at 1", x -> value(x, "javalived_real_server_up", rs2) == 1);
        System.out.printf("MetricsLabTest: backend restarted -> javalived_real_server_up 1 in %d ms%n",
                (System.nanoTime() - restarted) / 1_000_000);
        promtool(lastText);
        assertThat(e.value("javalived_check_up", "check", HTTP)).isEqualTo(1);
        assertThat(e.value("javalived_check_consecutive_failures", "check", HTTP)).isEqualTo(0);
        assertThat(e.value("javalived_real_server_failed_checkers", rs2)).isEqualTo(0);
        assertThat(e.value("javalived_real_server_in_pool", rs2)).isEqualTo(1);
        assertThat(e.value("javalived_virtual_server_real_servers_up", "virtual_server", VS)).isEqualTo(2);
        assertThat(e.value("javalived_virtual_server_quorum_up", "virtual_server", VS)).isEqualTo(1);
        assertThat(e.value("node_ipvs_backend_weight", dest(RS2))).isEqualTo(1);
        // the last failure's class stays for "why did it flap"
        assertThat(e.value("javalived_check_last_failure_reason", "check", HTTP, "reason", "CONNECTION_REFUSED"))
                .isEqualTo(1);
        assertThat(daemon.isAlive()).isTrue();
    }

    /**
     * The case on the real daemon: 2, then 100 clients connect to /metrics and to the status socket and
     * stall (half drip a byte every 500 ms, half send nothing after the first line); while they are connected, curl
     * scrapes and {@code javalived status} are each answered within 1 s, and the server closes the stalled clients
     * at its request deadlines (5 s for /metrics, 2 s for the socket), the oldest ones earlier when 64 are open.
     */
    @Test
    @Order(2)
    void slowClientsHoldNeitherScrapesNorStatus() throws Exception {
        waitForScrape("the daemon serving", x -> x.families().containsKey("keepalived_up"));
        Path sock = dir.resolve("javalived.sock");
        for (int i = 0; i < 100 && !Files.exists(sock); i++) {
            Thread.sleep(100);
        }
        assertThat(status(sock).code()).isZero(); // warm
        for (int n : new int[] {2, 100}) {
            Process slow = new ProcessBuilder("ip", "netns", "exec", NS_D, "python3", "-c", SLOW_CLIENTS,
                    Integer.toString(n), Integer.toString(METRICS_PORT), sock.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                var out = new java.io.BufferedReader(new java.io.InputStreamReader(slow.getInputStream(),
                        StandardCharsets.UTF_8));
                assertThat(out.readLine()).isEqualTo("connected " + n);
                long maxScrape = 0;
                long maxStatus = 0;
                for (int i = 0; i < 3; i++) {
                    Process curl = new ProcessBuilder("ip", "netns", "exec", NS_D, "curl", "-sS", "-f", "-o",
                            "/dev/null", "-w", "%{time_total}", "--max-time", "5", "http://127.0.0.1:" + METRICS_PORT
                            + "/metrics").redirectError(ProcessBuilder.Redirect.INHERIT).start();
                    String t = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                    assertThat(curl.waitFor(10, TimeUnit.SECONDS)).isTrue();
                    assertThat(curl.exitValue()).as("curl with %d slow clients", n).isZero();
                    long ms = Math.round(Double.parseDouble(t) * 1000);
                    assertThat(ms).as("scrape with %d slow clients connected", n).isLessThanOrEqualTo(1000);
                    maxScrape = Math.max(maxScrape, ms);

                    long t0 = System.nanoTime();
                    StatusRun r = status(sock);
                    long sms = (System.nanoTime() - t0) / 1_000_000;
                    assertThat(r.code()).as("javalived status with %d slow clients: %s", n, r.err()).isZero();
                    assertThat(r.out()).contains("VI_1");
                    assertThat(sms).as("javalived status with %d slow clients connected", n)
                            .isLessThanOrEqualTo(1000);
                    maxStatus = Math.max(maxStatus, sms);
                }
                // "http 5012 5013 ..." and "unix 2003 ...": ms after connect at which the server closed each
                String http = out.readLine();
                String unix = out.readLine();
                assertThat(slow.waitFor(30, TimeUnit.SECONDS)).isTrue();
                long[] h = closeTimes(http, "http", n);
                long[] u = closeTimes(unix, "unix", n);
                int earlyH = checkClosed(h, 5000, n);
                int earlyU = checkClosed(u, 2000, n);
                System.out.printf("MetricsLabTest: %d slow clients on /metrics and on the status socket: scrapes "
                        + "<= %d ms, javalived status <= %d ms; /metrics closed them at %d-%d ms (%d earlier, to "
                        + "admit newer ones), the socket at %d-%d ms (%d earlier)%n", n, maxScrape, maxStatus,
                        min(h, 4800), java.util.Arrays.stream(h).max().orElse(-1), earlyH, min(u, 1800),
                        java.util.Arrays.stream(u).max().orElse(-1), earlyU);
            } finally {
                if (slow.isAlive()) {
                    slow.destroyForcibly(); // by PID
                    slow.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
        assertThat(daemon.isAlive()).isTrue();
    }

    static long[] closeTimes(String line, String kind, int n) {
        assertThat(line).as(kind + " close times").startsWith(kind + " ");
        long[] t = java.util.Arrays.stream(line.substring(kind.length() + 1).trim().split(" "))
                .mapToLong(Long::parseLong).toArray();
        assertThat(t).hasSize(n);
        return t;
    }

    /** Every one closed; those closed before the deadline were made room of (at most n - 64 + a few). */
    static int checkClosed(long[] t, long deadline, int n) {
        int early = 0;
        for (long x : t) {
            assertThat(x).as("closed by the server").isPositive();
            if (x < deadline - 200) {
                early++;
            } else {
                assertThat(x).as("closed at the deadline").isLessThanOrEqualTo(deadline + 2000);
            }
        }
        assertThat(early).isLessThanOrEqualTo(Math.max(0, n - 64 + 6));
        return early;
    }

    static long min(long[] t, long from) {
        return java.util.Arrays.stream(t).filter(x -> x >= from).min().orElse(-1);
    }

    record StatusRun(int code, String out, String err) {}

    /** {@code javalived status -S sock}, in this JVM. */
    static StatusRun status(Path sock) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cl = io.javalived.cli.Main.commandLine();
        cl.setOut(new java.io.PrintWriter(out));
        cl.setErr(new java.io.PrintWriter(err));
        int code = cl.execute("status", "-S", sock.toString());
        return new StatusRun(code, out.toString(), err.toString());
    }

    /**
     * argv: N, the metrics port, the status socket. Opens N TCP connections to /metrics sending
     * "GET /metrics HTTP/1.1\r\n" and N unix connections sending "st"; the even ones then drip one byte every
     * 500 ms. Prints "connected N", then, once all are closed by the server (or after 20 s), one line per kind with
     * the ms after its connect at which each was closed (-1: not closed).
     */
    static final String SLOW_CLIENTS = """
            import selectors, socket, sys, time
            n, port, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
            conns = []
            for kind in ("http", "unix"):
                for i in range(n):
                    if kind == "http":
                        s = socket.create_connection(("127.0.0.1", port))
                        s.sendall(b"GET /metrics HTTP/1.1\\r\\n")
                    else:
                        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                        s.connect(path)
                        s.sendall(b"st")
                    s.setblocking(False)
                    conns.append([kind, i, s, time.monotonic(), -1])
            print("connected %d" % n, flush=True)
            sel = selectors.DefaultSelector()
            for c in conns:
                sel.register(c[2], selectors.EVENT_READ, c)
            open_, end, drip = len(conns), time.monotonic() + 20, time.monotonic()
            while open_ > 0 and time.monotonic() < end:
                if time.monotonic() >= drip:
                    drip += 0.5
                    for c in conns:
                        if c[4] < 0 and c[1] % 2 == 0:
                            try:
                                c[2].send(b"X")
                            except OSError:
                                pass
                for key, _ in sel.select(0.05):
                    c = key.data
                    try:
                        data = c[2].recv(4096)
                    except BlockingIOError:
                        continue
                    except OSError:
                        data = b""
                    if data:
                        print("%s %d got an answer: %r" % (c[0], c[1], data[:80]), file=sys.stderr, flush=True)
                        sys.exit(2)
                    c[4] = int((time.monotonic() - c[3]) * 1000)
                    sel.unregister(c[2])
                    open_ -= 1
            for kind in ("http", "unix"):
                print(kind + " " + " ".join(str(c[4]) for c in conns if c[0] == kind), flush=True)
            """;

    static String[] dest(String rs) {
        return new String[] {"local_address", VIP, "local_port", "80", "local_mark", "", "proto", "TCP",
            "remote_address", rs, "remote_port", Integer.toString(RS_PORT)};
    }

    // ------------------------------------------------------------------------------------------- helpers

    static String lastText;

    /** The single value, or NaN when there is none (or several): for polling conditions. */
    static double value(Exposition e, String name, String... labels) {
        List<ParsedSample> l = e.find(name, labels);
        return l.size() == 1 ? l.get(0).value() : Double.NaN;
    }

    /** Scrapes until {@code cond} holds (at most 60 s), failing with the last scrape and the daemon's log. */
    static Exposition waitForScrape(String what, Predicate<Exposition> cond) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "(no scrape yet)";
        while (System.nanoTime() < end) {
            if (!daemon.isAlive()) {
                throw new AssertionError("javalived exited (" + daemon.exitValue() + ") while waiting for " + what
                        + "\n--- log:\n" + log());
            }
            String text = scrape();
            if (text != null) {
                last = text;
                Exposition e = ExpositionParser.parse(text); // strict: every scrape must parse
                if (cond.test(e)) {
                    lastText = text;
                    return e;
                }
            }
            Thread.sleep(300);
        }
        throw new AssertionError("timed out waiting for " + what + "\n--- last scrape:\n" + last + "\n--- log:\n"
                + log());
    }

    /** GET /metrics from inside the director's namespace with curl; null when it does not answer (yet). */
    static String scrape() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "netns", "exec", NS_D, "curl", "-sS", "-f", "--max-time", "5",
                "http://127.0.0.1:" + METRICS_PORT + "/metrics").redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String body = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return null;
        }
        return p.exitValue() == 0 ? body : null;
    }

    /** promtool check metrics: Prometheus' parser must accept the scrape and its linter find nothing. */
    static void promtool(String text) throws Exception {
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        try (var os = p.getOutputStream()) {
            os.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("promtool check metrics:\n" + out).isZero();
        assertThat(out.strip()).as("promtool findings").isEmpty();
    }

    static String log() {
        try {
            return Files.readString(dir.resolve("javalived.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
