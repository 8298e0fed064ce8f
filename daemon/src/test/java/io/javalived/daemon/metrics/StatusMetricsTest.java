package io.javalived.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.javalived.daemon.metrics.ExpositionParser.Exposition;
import io.javalived.daemon.metrics.ExpositionParser.Family;
import io.javalived.daemon.metrics.ExpositionParser.ParsedSample;
import io.javalived.director.status.DaemonStatus;
import io.javalived.director.status.VirtualServerStatus;
import io.javalived.ipvs.IpvsTable;
import io.javalived.vrrp.runtime.InstanceStatus;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The mapping from a hand-built DaemonStatus / IpvsTable to the exposition text, read back with the strict parser:
 * exact names (Micrometer's naming convention must not change them), types, labels and values; series that disappear;
 * one snapshot per scrape; a failing IPVS read.
 */
class StatusMetricsTest {

    static Exposition scrape(StatusMetrics m) throws Exception {
        return ExpositionParser.parse(m.scrape());
    }

    @Test
    void everyCatalogMetricIsExposedUnderItsExactNameTypeAndLabels() throws Exception {
        StatusMetrics m = new StatusMetrics(new Fixtures.FakeSource(Fixtures.status(), Fixtures.table()));
        Exposition e = scrape(m);
        for (MetricDef d : Catalog.ALL) {
            Family f = e.families().get(d.name());
            assertThat(f).as(d.name()).isNotNull();
            assertThat(f.type()).as(d.name()).isEqualTo(d.type().text());
            assertThat(f.help()).as(d.name()).isEqualTo(d.help());
            assertThat(f.samples()).as(d.name()).isNotEmpty();
            for (ParsedSample s : f.samples()) {
                assertThat(s.name()).isEqualTo(d.name());
                assertThat(s.labels().keySet()).as(d.name()).isEqualTo(Set.copyOf(d.labels()));
            }
        }
        // nothing else: no mangled duplicates, no stray meters
        assertThat(e.families().keySet()).containsExactlyInAnyOrderElementsOf(
                Catalog.ALL.stream().map(MetricDef::name).toList());
    }

    @Test
    void vrrpFollowsKeepalivedExporter() throws Exception {
        Exposition e = scrape(new StatusMetrics(new Fixtures.FakeSource(Fixtures.status(), null)));
        assertThat(e.value("keepalived_up")).isEqualTo(1);
        // one keepalived_vrrp_state series per VIP, intf = the VIP's device, ip_address = address/prefix
        assertThat(e.value("keepalived_vrrp_state", "iname", "VI_1", "intf", "eth0", "vrid", "51", "ip_address",
                "10.0.0.100/32")).isEqualTo(2);
        assertThat(e.value("keepalived_vrrp_state", "iname", "VI_1", "intf", "eth1", "ip_address",
                "2001:db8::64/128")).isEqualTo(2);
        // no VIP: one series with ip_address "" on the instance's interface
        assertThat(e.value("keepalived_vrrp_state", "iname", "VI_2", "intf", "eth0", "vrid", "52", "ip_address", ""))
                .isEqualTo(1);
        assertThat(e.samples("keepalived_vrrp_state")).hasSize(3);
        String[] names = {"keepalived_advertisements_received_total", "keepalived_advertisements_sent_total",
            "keepalived_become_master_total", "keepalived_release_master_total",
            "keepalived_packet_length_errors_total", "keepalived_advertisements_interval_errors_total",
            "keepalived_ip_ttl_errors_total", "keepalived_invalid_type_received_total",
            "keepalived_address_list_errors_total", "keepalived_authentication_invalid_total",
            "keepalived_authentication_mismatch_total", "keepalived_authentication_failure_total",
            "keepalived_priority_zero_received_total", "keepalived_priority_zero_sent_total"};
        for (int i = 0; i < names.length; i++) {
            assertThat(e.value(names[i], "iname", "VI_1", "intf", "eth0", "vrid", "51")).as(names[i])
                    .isEqualTo(100 + i);
            assertThat(e.value(names[i], "iname", "VI_2", "intf", "eth0", "vrid", "52")).as(names[i]).isEqualTo(i);
            assertThat(e.samples(names[i]).get(0).labels().keySet()).containsExactly("iname", "intf", "vrid");
        }
        assertThat(e.value("keepalived_script_status", "name", "chk_web")).isEqualTo(1);
        assertThat(e.samples("keepalived_script_status")).hasSize(1); // one per script, not per instance
        assertThat(e.value("javalived_vrrp_base_priority", "iname", "VI_1")).isEqualTo(100);
        assertThat(e.value("javalived_vrrp_effective_priority", "iname", "VI_1")).isEqualTo(110);
        assertThat(e.value("javalived_vrrp_state_change_timestamp_seconds", "iname", "VI_1"))
                .isCloseTo(Fixtures.T1.getEpochSecond() + 0.25, within(1e-3));
        assertThat(e.value("javalived_vrrp_tracker_up", "iname", "VI_2", "kind", "file", "name", "prio"))
                .isEqualTo(0);
        assertThat(e.value("javalived_vrrp_tracker_priority_effect", "iname", "VI_1", "kind", "script", "name",
                "chk_web")).isEqualTo(10);
        assertThat(e.value("javalived_ipvs_mode", "mode", "kernel")).isEqualTo(1);
        assertThat(e.value("javalived_start_time_seconds")).isEqualTo(Fixtures.T0.getEpochSecond());
        // IPVS off (null table): no ipvs_up, no node_ipvs_*
        assertThat(e.samples("javalived_ipvs_up")).isEmpty();
        assertThat(e.families().keySet()).noneMatch(n -> n.startsWith("node_ipvs"));
    }

    @Test
    void realServersChecksAndQuorum() throws Exception {
        Exposition e = scrape(new StatusMetrics(new Fixtures.FakeSource(Fixtures.status(), null)));
        String vs = "[10.0.0.100]:tcp:80";
        assertThat(e.value("javalived_virtual_server_quorum_up", "virtual_server", vs)).isEqualTo(1);
        assertThat(e.value("javalived_virtual_server_quorum", "virtual_server", vs)).isEqualTo(2);
        assertThat(e.value("javalived_virtual_server_alive_weight", "virtual_server", vs)).isEqualTo(3);
        assertThat(e.value("javalived_virtual_server_real_servers_up", "virtual_server", vs)).isEqualTo(1);
        assertThat(e.value("javalived_virtual_server_real_servers_configured", "virtual_server", vs)).isEqualTo(2);
        assertThat(e.value("javalived_virtual_server_quorum_up", "virtual_server", "FWM 7")).isEqualTo(0);
        assertThat(e.value("javalived_virtual_server_sorry_server_active", "virtual_server", "FWM 7")).isEqualTo(1);
        assertThat(e.value("javalived_virtual_server_suspended", "virtual_server", "FWM 7")).isEqualTo(1);

        assertThat(e.value("javalived_real_server_up", "virtual_server", vs, "real_server", "10.0.0.2:80"))
                .isEqualTo(1);
        assertThat(e.value("javalived_real_server_up", "virtual_server", vs, "real_server", "10.0.0.3:80"))
                .isEqualTo(0);
        assertThat(e.value("javalived_real_server_failed_checkers", "real_server", "10.0.0.3:80")).isEqualTo(1);
        assertThat(e.value("javalived_real_server_failed_checkers", "real_server", "10.0.0.2:80")).isEqualTo(0);
        assertThat(e.value("javalived_real_server_consecutive_failures", "real_server", "10.0.0.3:80"))
                .isEqualTo(4);
        assertThat(e.value("javalived_real_server_weight", "real_server", "10.0.0.2:80")).isEqualTo(3);
        assertThat(e.value("javalived_real_server_in_pool", "real_server", "10.0.0.3:80")).isEqualTo(0);
        assertThat(e.value("javalived_real_server_up", "virtual_server", "FWM 7", "real_server", "[2001:db8::5]:53"))
                .isEqualTo(1);

        String http = "HTTP_GET [10.0.0.3]:tcp:80";
        assertThat(e.value("javalived_check_up", "check", http)).isEqualTo(0);
        assertThat(e.value("javalived_check_consecutive_failures", "check", http)).isEqualTo(4);
        assertThat(e.value("javalived_check_attempts_total", "check", http)).isEqualTo(12);
        assertThat(e.value("javalived_check_failures_total", "check", http)).isEqualTo(5);
        assertThat(e.value("javalived_check_last_duration_seconds", "check", http)).isCloseTo(0.002, within(1e-9));
        assertThat(e.value("javalived_check_last_failure_reason", "virtual_server", vs, "real_server",
                "10.0.0.3:80", "check", http, "reason", "CONNECTION_REFUSED")).isEqualTo(1);
        assertThat(e.find("javalived_check_last_failure_reason", "check", http)).hasSize(1);
        assertThat(e.value("javalived_check_last_failure_reason", "check", "TCP_CHECK [10.0.0.2]:tcp:80",
                "reason", "none")).isEqualTo(1);
        // before the first attempt: no duration series, reason none
        String dns = "DNS_CHECK [2001:db8::5]:udp:53";
        assertThat(e.find("javalived_check_last_duration_seconds", "check", dns)).isEmpty();
        assertThat(e.value("javalived_check_last_failure_reason", "check", dns, "reason", "none")).isEqualTo(1);
    }

    @Test
    void ipvsUnderNodeExporterNamesAndLabels() throws Exception {
        Exposition e = scrape(new StatusMetrics(new Fixtures.FakeSource(Fixtures.status(), Fixtures.table())));
        String[] svc = {"local_address", "10.0.0.100", "local_port", "80", "local_mark", "", "proto", "TCP"};
        assertThat(e.value("node_ipvs_connections_total", svc)).isEqualTo(7);
        assertThat(e.value("node_ipvs_incoming_packets_total", svc)).isEqualTo(70);
        assertThat(e.value("node_ipvs_outgoing_packets_total", svc)).isEqualTo(63);
        assertThat(e.value("node_ipvs_incoming_bytes_total", svc)).isEqualTo(7000);
        assertThat(e.value("node_ipvs_outgoing_bytes_total", svc)).isEqualTo(6300);
        String[] d2 = {"local_address", "10.0.0.100", "local_port", "80", "local_mark", "", "proto", "TCP",
            "remote_address", "10.0.0.2", "remote_port", "80"};
        assertThat(e.value("node_ipvs_backend_connections_active", d2)).isEqualTo(2);
        assertThat(e.value("node_ipvs_backend_connections_inactive", d2)).isEqualTo(5);
        assertThat(e.value("node_ipvs_backend_weight", d2)).isEqualTo(3);
        assertThat(e.value("node_ipvs_backend_connections_total", d2)).isEqualTo(4);
        assertThat(e.value("node_ipvs_backend_incoming_packets_total", d2)).isEqualTo(40);
        assertThat(e.value("node_ipvs_backend_outgoing_packets_total", d2)).isEqualTo(36);
        assertThat(e.value("node_ipvs_backend_incoming_bytes_total", d2)).isEqualTo(4000);
        assertThat(e.value("node_ipvs_backend_outgoing_bytes_total", d2)).isEqualTo(3600);
        assertThat(e.value("node_ipvs_backend_weight", "remote_address", "10.0.0.3")).isEqualTo(0);
        // fwmark: /proc/net/ip_vs's %08X mark, no address, port 0, proto FWM; IPv4 + IPv6 of mark 7 summed
        String[] fwm = {"local_address", "", "local_port", "0", "local_mark", "00000007", "proto", "FWM"};
        assertThat(e.value("node_ipvs_connections_total", fwm)).isEqualTo(3);
        assertThat(e.value("node_ipvs_backend_connections_inactive", "local_mark", "00000007", "remote_address",
                "2001:db8::5", "remote_port", "53")).isEqualTo(1);
        assertThat(e.value("node_ipvs_backend_weight", "local_mark", "00000007")).isEqualTo(2);
        // IPv6 service in the compressed form
        assertThat(e.value("node_ipvs_connections_total", "local_address", "2001:db8::100", "proto", "UDP",
                "local_port", "53")).isEqualTo(0);
        assertThat(e.value("javalived_ipvs_up")).isEqualTo(1);
        assertThat(e.value("javalived_ipvs_read_errors_total")).isEqualTo(0);
    }

    @Test
    void aFailingIpvsReadDoesNotFailTheScrape() throws Exception {
        Fixtures.FakeSource src = new Fixtures.FakeSource(Fixtures.status(), Fixtures.table());
        StatusMetrics m = new StatusMetrics(src);
        assertThat(scrape(m).samples("node_ipvs_connections_total")).hasSize(3);
        src.ipvsFails = true;
        Exposition e = scrape(m);
        assertThat(e.value("javalived_ipvs_up")).isEqualTo(0);
        assertThat(e.value("javalived_ipvs_read_errors_total")).isEqualTo(1);
        assertThat(e.families().keySet()).noneMatch(n -> n.startsWith("node_ipvs"));
        assertThat(e.value("javalived_real_server_up", "real_server", "10.0.0.2:80")).isEqualTo(1); // the rest stays
        e = scrape(m);
        assertThat(e.value("javalived_ipvs_read_errors_total")).isEqualTo(2);
        src.ipvsFails = false;
        e = scrape(m);
        assertThat(e.value("javalived_ipvs_up")).isEqualTo(1);
        assertThat(e.value("javalived_ipvs_read_errors_total")).isEqualTo(2);
        assertThat(e.samples("node_ipvs_connections_total")).hasSize(3);
    }

    @Test
    void oneSnapshotPerScrapeAndValuesFollowIt() throws Exception {
        Fixtures.FakeSource src = new Fixtures.FakeSource(Fixtures.status(), Fixtures.table());
        StatusMetrics m = new StatusMetrics(src);
        scrape(m);
        assertThat(src.statusCalls.get()).isEqualTo(1);
        assertThat(src.tableCalls.get()).isEqualTo(1);
        // the next snapshot: VI_1 went BACKUP, one more advert
        InstanceStatus a = Fixtures.vi1();
        java.util.Map<String, Long> c = new java.util.LinkedHashMap<>(a.counters());
        c.put("advert_rcvd", 500L);
        InstanceStatus b = new InstanceStatus(a.name(), a.interfaceName(), a.vrid(), a.version(), "BACKUP",
                a.basePriority(), a.effectivePriority(), a.virtualIps(), a.stateSince(), null, null, a.trackers(), c);
        DaemonStatus s = Fixtures.status();
        src.status = new DaemonStatus(s.version(), s.pid(), s.startedAt(), s.configFile(), s.configLoadedAt(),
                s.ipvs(), List.of(b, Fixtures.vi2()), s.virtualServers());
        Exposition e = scrape(m);
        assertThat(src.statusCalls.get()).isEqualTo(2);
        assertThat(src.tableCalls.get()).isEqualTo(2);
        assertThat(e.value("keepalived_vrrp_state", "iname", "VI_1", "ip_address", "10.0.0.100/32")).isEqualTo(1);
        assertThat(e.value("keepalived_advertisements_received_total", "iname", "VI_1")).isEqualTo(500);
    }

    @Test
    void seriesOfRemovedInstancesAndRealServersDisappear() throws Exception {
        Fixtures.FakeSource src = new Fixtures.FakeSource(Fixtures.status(), Fixtures.table());
        StatusMetrics m = new StatusMetrics(src);
        Exposition before = scrape(m);
        int sizeBefore = m.size();
        assertThat(before.find("javalived_real_server_up", "real_server", "10.0.0.3:80")).hasSize(1);
        // a reload removed VI_2, the real server 10.0.0.3 and the FWM virtual server; IPVS lost the UDP service
        VirtualServerStatus w = Fixtures.web();
        VirtualServerStatus w1 = new VirtualServerStatus(w.name(), w.scheduler(), w.forwarding(), true, 1, 0, 3, 1, 1,
                null, false, false, List.of(w.realServers().get(0)));
        DaemonStatus s = Fixtures.status();
        src.status = new DaemonStatus(s.version(), s.pid(), s.startedAt(), s.configFile(), s.configLoadedAt(),
                s.ipvs(), List.of(Fixtures.vi1()), List.of(w1));
        IpvsTable t = Fixtures.table();
        src.table = new IpvsTable(t.services().subList(0, 1));
        Exposition after = scrape(m);
        assertThat(m.size()).isLessThan(sizeBefore);
        assertThat(after.find("javalived_real_server_up", "real_server", "10.0.0.3:80")).isEmpty();
        assertThat(after.find("javalived_check_up", "real_server", "10.0.0.3:80")).isEmpty();
        assertThat(after.find("keepalived_vrrp_state", "iname", "VI_2")).isEmpty();
        assertThat(after.find("keepalived_advertisements_sent_total", "iname", "VI_2")).isEmpty();
        assertThat(after.find("javalived_virtual_server_quorum_up", "virtual_server", "FWM 7")).isEmpty();
        assertThat(after.find("keepalived_script_status")).hasSize(1); // still tracked by VI_1
        assertThat(after.find("node_ipvs_connections_total", "proto", "UDP")).isEmpty();
        assertThat(after.find("node_ipvs_connections_total", "proto", "FWM")).isEmpty();
        assertThat(after.value("javalived_virtual_server_real_servers_configured")).isEqualTo(1);
        // and they come back
        src.status = Fixtures.status();
        src.table = Fixtures.table();
        Exposition again = scrape(m);
        assertThat(m.size()).isEqualTo(sizeBefore);
        assertThat(again.value("javalived_real_server_up", "real_server", "10.0.0.3:80")).isEqualTo(0);
    }

    @Test
    void labelValuesAreEscaped() throws Exception {
        InstanceStatus a = Fixtures.vi1();
        InstanceStatus odd = new InstanceStatus("VI \"quoted\" \\ back\nslash", "eth0", 9, 2, "FAULT", 1, 1, List.of(),
                null, null, null, List.of(), Map.of());
        DaemonStatus s = Fixtures.status();
        DaemonStatus st = new DaemonStatus(s.version(), s.pid(), s.startedAt(), s.configFile(), s.configLoadedAt(),
                s.ipvs(), List.of(a, odd), List.of());
        String text = new StatusMetrics(new Fixtures.FakeSource(st, null)).scrape();
        Exposition e = ExpositionParser.parse(text);
        assertThat(e.value("keepalived_vrrp_state", "iname", "VI \"quoted\" \\ back\nslash")).isEqualTo(3);
        assertThat(e.value("keepalived_advertisements_received_total", "vrid", "9")).isEqualTo(0);
        promtool(text);
    }

    @Test
    void promtoolAcceptsTheExposition() throws Exception {
        promtool(new StatusMetrics(new Fixtures.FakeSource(Fixtures.status(), Fixtures.table())).scrape());
    }

    @Test
    void processAndJvmMetricsAlongsideAndPromtoolStillClean() throws Exception {
        try (StatusMetrics m = new StatusMetrics(new Fixtures.FakeSource(Fixtures.status(), Fixtures.table()), true)) {
            System.gc(); // so that a GC pause is recorded
            String text = m.scrape();
            Exposition e = ExpositionParser.parse(text);
            assertThat(e.find("jvm_memory_used_bytes", "area", "heap")).isNotEmpty();
            assertThat(e.value("process_uptime_seconds")).isGreaterThan(0);
            assertThat(e.value("process_files_open_files")).isGreaterThan(0);
            assertThat(e.value("jvm_threads_live_threads")).isGreaterThan(0);
            assertThat(e.samples("process_cpu_time_ns_total")).isEmpty();
            assertThat(e.samples("system_cpu_count")).isEmpty();
            assertThat(e.value("javalived_real_server_up", "real_server", "10.0.0.2:80")).isEqualTo(1);
            promtool(text);
            // the per-scrape refresh leaves the binders' meters alone
            assertThat(ExpositionParser.parse(m.scrape()).find("jvm_memory_used_bytes")).isNotEmpty();
        }
    }

    @Test
    void vipLabelsAsKeepalivedPrintsThem() {
        assertThat(StatusCollector.vipLabel("10.0.0.1/24")).isEqualTo("10.0.0.1/24");
        assertThat(StatusCollector.vipLabel("2001:db8:0:0:0:0:0:1/64")).isEqualTo("2001:db8::1/64");
        assertThat(StatusCollector.vipLabel("fe80:0:0:0:0:0:0:1%eth0/64")).isEqualTo("fe80::1/64");
        assertThat(StatusCollector.vipLabel("10.0.0.1")).isEqualTo("10.0.0.1");
    }

    @Test
    void stateNumbersAreKeepalived() {
        assertThat(StatusCollector.stateNumber("INIT")).isEqualTo(0);
        assertThat(StatusCollector.stateNumber("BACKUP")).isEqualTo(1);
        assertThat(StatusCollector.stateNumber("MASTER")).isEqualTo(2);
        assertThat(StatusCollector.stateNumber("FAULT")).isEqualTo(3);
        assertThat(StatusCollector.stateNumber("STOP")).isEqualTo(98);
        assertThat(StatusCollector.stateNumber("odd")).isNaN();
    }

    @Test
    void metricsMdDocumentsEveryMetricAndLabel() throws Exception {
        String doc = Files.readString(Path.of("src/main/java/io/javalived/daemon/metrics/METRICS.md"));
        for (MetricDef d : Catalog.ALL) {
            // a table row: | `name` | type | labels | meaning |
            String row = doc.lines().filter(l -> l.startsWith("| `" + d.name() + "`")).findFirst().orElse(null);
            assertThat(row).as("METRICS.md row for " + d.name()).isNotNull();
            assertThat(row).as(d.name()).contains("| " + d.type().text() + " |");
            for (String l : d.labels()) {
                assertThat(row).as(d.name() + " label " + l).contains(l);
            }
        }
    }

    /**
     * Runs {@code promtool check metrics} (Prometheus' own parser and linter) when it is installed (CI installs
     * Debian's prometheus package). Parse errors fail; lint findings fail too, except the ones METRICS.md explains:
     * none are expected.
     */
    static void promtool(String text) throws Exception {
        if (!new File("/usr/bin/promtool").canExecute() && !onPath("promtool")) {
            return;
        }
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        try (var os = p.getOutputStream()) {
            os.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("promtool check metrics:\n" + out).isZero();
        assertThat(out.strip()).as("promtool output").isEmpty();
    }

    static boolean onPath(String cmd) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (new File(d, cmd).canExecute()) {
                return true;
            }
        }
        return false;
    }

    @Test
    void operatorOverridesAsOneSeriesPerState() throws Exception {
        Exposition e = scrape(new StatusMetrics(new Fixtures.FakeSource(Fixtures.status(), null)));
        String vs = "[10.0.0.100]:tcp:80";
        for (String state : List.of("none", "draining", "drained", "disabled")) {
            assertThat(e.value("javalived_real_server_override", "virtual_server", vs, "real_server", "10.0.0.3:80",
                    "state", state)).as(state).isEqualTo(state.equals("draining") ? 1 : 0);
            assertThat(e.value("javalived_real_server_override", "virtual_server", vs, "real_server", "10.0.0.2:80",
                    "state", state)).as(state).isEqualTo(state.equals("none") ? 1 : 0);
        }
        assertThat(e.value("javalived_real_server_drain_connections", "real_server", "10.0.0.3:80")).isEqualTo(4);
        assertThat(e.find("javalived_real_server_drain_connections", "real_server", "10.0.0.2:80")).isEmpty();
        assertThat(e.value("javalived_virtual_server_disabled", "virtual_server", vs)).isEqualTo(0);
    }

    @Test
    void exposedNamesSortedListForTheRecord() throws Exception {
        // the exact list that METRICS.md documents, as exposed (guards against renames by Micrometer)
        Exposition e = scrape(new StatusMetrics(new Fixtures.FakeSource(Fixtures.status(), Fixtures.table())));
        Set<String> exposed = new TreeSet<>();
        for (Family f : e.families().values()) {
            for (ParsedSample s : f.samples()) {
                exposed.add(s.name());
            }
        }
        List<String> expected = new ArrayList<>(Catalog.ALL.stream().map(MetricDef::name).toList());
        assertThat(exposed).containsExactlyInAnyOrderElementsOf(expected);
    }
}
