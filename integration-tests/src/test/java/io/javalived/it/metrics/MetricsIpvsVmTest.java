package io.javalived.it.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static io.javalived.it.lab.Shell.out;
import static io.javalived.it.lab.Shell.sh;

import io.javalived.daemon.metrics.ExpositionParser;
import io.javalived.daemon.metrics.ExpositionParser.Exposition;
import io.javalived.daemon.metrics.MetricsServer;
import io.javalived.director.status.DaemonStatus;
import io.javalived.director.status.StatusSource;
import io.javalived.ipvs.IpvsClient;
import io.javalived.ipvs.IpvsTable;
import io.javalived.netlink.NetlinkException;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * node_ipvs_* from the real kernel's counters (inside the IPVS VM): an LVS-NAT service on the VM's root namespace
 * (10.94.1.1:80 to a python web server at 10.94.2.2:8080 in a backend namespace), ten HTTP requests from a client
 * namespace; then the metrics endpoint (reading the kernel's table through javalived's netlink client, as
 * {@code javalived run} does) is scraped with curl and its per-service and per-destination connections, packets and
 * bytes must equal {@code ipvsadm -L -n --stats --exact} and be non-zero.
 */
@Tag("vm")
class MetricsIpvsVmTest {
    static final String NS_C = "jvmvc";
    static final String NS_B = "jvmvb";
    static final String VIP = "10.94.1.1";
    static final String RS = "10.94.2.2";
    static final int METRICS_PORT = 19651;
    static Process backend;
    static IpvsClient ipvs;
    static AutoCloseable metrics;

    @BeforeAll
    static void lab() throws Exception {
        cleanupNet();
        sh("ip netns add " + NS_C + " && ip netns add " + NS_B);
        sh("ip link add jvmvc0 type veth peer name eth0 netns " + NS_C);
        sh("ip link add jvmvb0 type veth peer name eth0 netns " + NS_B);
        sh("ip addr add " + VIP + "/24 dev jvmvc0 && ip link set jvmvc0 up");
        sh("ip addr add 10.94.2.1/24 dev jvmvb0 && ip link set jvmvb0 up");
        sh("ip -n " + NS_C + " addr add 10.94.1.2/24 dev eth0 && ip -n " + NS_C + " link set eth0 up && ip -n "
                + NS_C + " link set lo up");
        sh("ip -n " + NS_B + " addr add " + RS + "/24 dev eth0 && ip -n " + NS_B + " link set eth0 up && ip -n "
                + NS_B + " link set lo up && ip -n " + NS_B + " route add default via 10.94.2.1");
        sh("sysctl -qw net.ipv4.ip_forward=1");
        sh("ipvsadm -A -t " + VIP + ":80 -s rr && ipvsadm -a -t " + VIP + ":80 -r " + RS + ":8080 -m -w 2");
        backend = new ProcessBuilder("ip", "netns", "exec", NS_B, "python3", "-m", "http.server", "8080", "--bind",
                RS).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!out("ip netns exec " + NS_B + " ss -ltn").contains(RS + ":8080")) {
            assertThat(System.nanoTime()).as("the backend listens within 60 s").isLessThan(end);
            assertThat(backend.isAlive()).as("the backend runs").isTrue();
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void cleanup() throws Exception {
        if (metrics != null) {
            metrics.close();
        }
        if (ipvs != null) {
            ipvs.close();
        }
        if (backend != null && backend.isAlive()) {
            backend.destroyForcibly();
            backend.waitFor(20, TimeUnit.SECONDS);
        }
        out("ipvsadm -D -t " + VIP + ":80 2>/dev/null; true");
        cleanupNet();
    }

    static void cleanupNet() throws IOException {
        out("ip netns del " + NS_C + " 2>/dev/null; ip netns del " + NS_B + " 2>/dev/null; ip link del jvmvc0 "
                + "2>/dev/null; ip link del jvmvb0 2>/dev/null; true");
    }

    @Test
    void kernelCountersUnderNodeExporterNames() throws Exception {
        for (int i = 0; i < 10; i++) {
            String code = out("ip netns exec " + NS_C + " curl -s -o /dev/null -w '%{http_code}' --max-time 20 http://"
                    + VIP + "/").trim();
            assertThat(code).as("request " + i + " through the VIP").isEqualTo("200");
        }
        ipvs = IpvsClient.open();
        StatusSource source = new StatusSource() {
            @Override
            public DaemonStatus status() {
                return new DaemonStatus("test", ProcessHandle.current().pid(), Instant.now(), "none", Instant.now(),
                        "kernel", List.of(), List.of());
            }

            @Override
            public IpvsTable ipvsTable() throws NetlinkException {
                return ipvs.table();
            }
        };
        metrics = MetricsServer.start(source, "127.0.0.1:" + METRICS_PORT);

        // the kernel's view just before the scrape (no traffic in between)
        String stats = out("ipvsadm -L -n --stats --exact -t " + VIP + ":80");
        String conns = out("ipvsadm -L -n -t " + VIP + ":80");
        String text = out("curl -sS -f --max-time 120 http://127.0.0.1:" + METRICS_PORT + "/metrics");
        Exposition e = ExpositionParser.parse(text);
        long[] svc = fields(stats, "TCP  " + VIP + ":80");
        long[] dst = fields(stats, "-> " + RS + ":8080");
        long[] act = fields(conns, "-> " + RS + ":8080"); // Forward Weight ActiveConn InActConn (Forward skipped)

        String[] s = {"local_address", VIP, "local_port", "80", "local_mark", "", "proto", "TCP"};
        String[] d = {"local_address", VIP, "local_port", "80", "local_mark", "", "proto", "TCP", "remote_address",
            RS, "remote_port", "8080"};
        String report = "\n--- ipvsadm:\n" + stats + conns + "--- scrape:\n" + text;
        System.out.println("MetricsIpvsVmTest: kernel service conns/inpkts/outpkts/inbytes/outbytes "
                + java.util.Arrays.toString(svc) + ", destination " + java.util.Arrays.toString(dst)
                + "; the scrape has the same");
        assertThat(svc[0]).as("connections" + report).isGreaterThanOrEqualTo(10);
        assertThat(e.value("node_ipvs_connections_total", s)).as(report).isEqualTo(svc[0]);
        assertThat(e.value("node_ipvs_incoming_packets_total", s)).as(report).isEqualTo(svc[1]).isGreaterThan(0);
        assertThat(e.value("node_ipvs_outgoing_packets_total", s)).as(report).isEqualTo(svc[2]).isGreaterThan(0);
        assertThat(e.value("node_ipvs_incoming_bytes_total", s)).as(report).isEqualTo(svc[3]).isGreaterThan(0);
        assertThat(e.value("node_ipvs_outgoing_bytes_total", s)).as(report).isEqualTo(svc[4]).isGreaterThan(0);
        assertThat(e.value("node_ipvs_backend_connections_total", d)).as(report).isEqualTo(dst[0]);
        assertThat(e.value("node_ipvs_backend_incoming_packets_total", d)).as(report).isEqualTo(dst[1]);
        assertThat(e.value("node_ipvs_backend_outgoing_packets_total", d)).as(report).isEqualTo(dst[2]);
        assertThat(e.value("node_ipvs_backend_incoming_bytes_total", d)).as(report).isEqualTo(dst[3]);
        assertThat(e.value("node_ipvs_backend_outgoing_bytes_total", d)).as(report).isEqualTo(dst[4]);
        assertThat(e.value("node_ipvs_backend_weight", d)).as(report).isEqualTo(2);
        assertThat(e.value("node_ipvs_backend_connections_active", d)).as(report).isEqualTo(act[1]);
        assertThat(e.value("node_ipvs_backend_connections_inactive", d)).as(report).isEqualTo(act[2]);
        assertThat(e.value("javalived_ipvs_up")).isEqualTo(1);
        assertThat(e.value("javalived_ipvs_mode", "mode", "kernel")).isEqualTo(1);
    }

    /** The numbers after the line's first field that starts with {@code prefix} (the non-numeric ones skipped). */
    static long[] fields(String table, String prefix) {
        String p = prefix.replaceAll("\\s+", " ");
        for (String line : table.split("\n")) {
            String t = line.trim().replaceAll("\\s+", " ");
            if (t.startsWith(p)) {
                return java.util.Arrays.stream(t.substring(p.length()).trim().split(" "))
                        .filter(f -> f.matches("\\d+")).mapToLong(Long::parseLong).toArray();
            }
        }
        throw new AssertionError("no line starting with " + prefix + " in\n" + table);
    }
}
