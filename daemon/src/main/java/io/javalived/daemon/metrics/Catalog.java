package io.javalived.daemon.metrics;

import static io.javalived.daemon.metrics.MetricDef.counter;
import static io.javalived.daemon.metrics.MetricDef.gauge;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every metric javalived exports (documented in METRICS.md next to this class; a unit test keeps the two in step).
 * VRRP metrics carry keepalived_exporter's names and labels (mehdy/keepalived-exporter, the one Grafana dashboards
 * use); IPVS metrics carry node_exporter's ipvs collector names and labels.
 */
public final class Catalog {
    private Catalog() {
    }

    // ------------------------------------------------------------------------- keepalived_exporter compatible
    static final String[] VRRP = {"iname", "intf", "vrid"};

    public static final MetricDef UP = gauge("keepalived_up",
            "Whether the daemon answers (always 1 when scraped: javalived serves its own metrics)");
    public static final MetricDef VRRP_STATE = gauge("keepalived_vrrp_state",
            "VRRP state per virtual address: 0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT, 98 STOP (keepalived's numbers)",
            "iname", "intf", "vrid", "ip_address");
    public static final MetricDef SCRIPT_STATUS = gauge("keepalived_script_status",
            "vrrp_script result: 1 GOOD, 0 BAD", "name");

    /** keepalived's statistics key (InstanceStatus.counters) to the exporter's counter. */
    static final Map<String, MetricDef> VRRP_COUNTERS;

    static {
        Map<String, MetricDef> m = new LinkedHashMap<>();
        m.put("advert_rcvd", counter("keepalived_advertisements_received_total", "Advertisements received", VRRP));
        m.put("advert_sent", counter("keepalived_advertisements_sent_total", "Advertisements sent", VRRP));
        m.put("become_master", counter("keepalived_become_master_total", "Became master", VRRP));
        m.put("release_master", counter("keepalived_release_master_total", "Released master", VRRP));
        m.put("packet_len_err", counter("keepalived_packet_length_errors_total", "Packet length errors", VRRP));
        m.put("advert_interval_err", counter("keepalived_advertisements_interval_errors_total",
                "Advertisement interval errors", VRRP));
        m.put("ip_ttl_err", counter("keepalived_ip_ttl_errors_total", "TTL errors", VRRP));
        m.put("invalid_type_rcvd", counter("keepalived_invalid_type_received_total", "Invalid type errors", VRRP));
        m.put("addr_list_err", counter("keepalived_address_list_errors_total", "Address list errors", VRRP));
        m.put("invalid_authtype", counter("keepalived_authentication_invalid_total", "Authentication invalid",
                VRRP));
        m.put("authtype_mismatch", counter("keepalived_authentication_mismatch_total", "Authentication mismatch",
                VRRP));
        m.put("auth_failure", counter("keepalived_authentication_failure_total", "Authentication failure", VRRP));
        m.put("pri_zero_rcvd", counter("keepalived_priority_zero_received_total", "Priority zero received", VRRP));
        m.put("pri_zero_sent", counter("keepalived_priority_zero_sent_total", "Priority zero sent", VRRP));
        VRRP_COUNTERS = Collections.unmodifiableMap(m);
    }

    // ------------------------------------------------------------------------------------ javalived's VRRP
    public static final MetricDef BASE_PRIORITY = gauge("javalived_vrrp_base_priority",
            "The configured priority", VRRP);
    public static final MetricDef EFFECTIVE_PRIORITY = gauge("javalived_vrrp_effective_priority",
            "The priority sent in adverts: base plus tracker weights (255 for an address owner)", VRRP);
    public static final MetricDef STATE_SINCE = gauge("javalived_vrrp_state_change_timestamp_seconds",
            "When the instance entered its current state (Unix time)", VRRP);
    public static final MetricDef TRACKER_UP = gauge("javalived_vrrp_tracker_up",
            "A tracker's state: 1 good (script succeeding, interface up, file value 0), 0 bad",
            "iname", "kind", "name");
    public static final MetricDef TRACKER_EFFECT = gauge("javalived_vrrp_tracker_priority_effect",
            "The priority offset a tracker contributes now", "iname", "kind", "name");

    // ------------------------------------------------------------------------------------- daemon and IPVS
    public static final MetricDef START_TIME = gauge("javalived_start_time_seconds",
            "When the daemon started (Unix time)");
    public static final MetricDef CONFIG_LOADED = gauge("javalived_config_load_timestamp_seconds",
            "When the running configuration was (re)loaded (Unix time)");
    public static final MetricDef IPVS_MODE = gauge("javalived_ipvs_mode",
            "How IPVS is driven (1 for the current mode): kernel, dry-run (computed, not programmed) or off",
            "mode");
    public static final MetricDef IPVS_UP = gauge("javalived_ipvs_up",
            "Whether the IPVS table could be read at this scrape (absent when IPVS is off)");
    public static final MetricDef IPVS_READ_ERRORS = counter("javalived_ipvs_read_errors_total",
            "Scrapes whose IPVS table read failed since the daemon started");

    // ---------------------------------------------------------------------------------- virtual servers
    static final String[] VS = {"virtual_server"};
    static final String[] RS = {"virtual_server", "real_server"};
    static final String[] CHECK = {"virtual_server", "real_server", "check"};

    public static final MetricDef VS_QUORUM_UP = gauge("javalived_virtual_server_quorum_up",
            "1 when the alive real servers' weights reach quorum (quorum_up ran), 0 when not", VS);
    public static final MetricDef VS_QUORUM = gauge("javalived_virtual_server_quorum",
            "The configured quorum", VS);
    public static final MetricDef VS_ALIVE_WEIGHT = gauge("javalived_virtual_server_alive_weight",
            "The sum of the alive real servers' weights (compared with quorum)", VS);
    public static final MetricDef VS_RS_UP = gauge("javalived_virtual_server_real_servers_up",
            "How many of the virtual server's real servers are alive", VS);
    public static final MetricDef VS_RS_CONFIGURED = gauge("javalived_virtual_server_real_servers_configured",
            "How many real servers the virtual server has", VS);
    public static final MetricDef VS_SORRY_ACTIVE = gauge("javalived_virtual_server_sorry_server_active",
            "1 while the sorry_server replaces the pool", VS);
    public static final MetricDef VS_SUSPENDED = gauge("javalived_virtual_server_suspended",
            "1 while ha_suspend holds the virtual server out of IPVS (this node not MASTER)", VS);
    public static final MetricDef VS_DISABLED = gauge("javalived_virtual_server_disabled",
            "1 while an operator keeps the virtual server out of IPVS (javalived disable VS)", VS);
    public static final MetricDef ANYCAST_ANNOUNCED = gauge("javalived_anycast_announced",
            "1 while the anycast virtual server's host route is in its routing table (announced), 0 when withdrawn",
            "virtual_server", "vip", "table");

    // ------------------------------------------------------------------------------------- real servers
    public static final MetricDef RS_UP = gauge("javalived_real_server_up",
            "Real server health as KEEPALIVED-MIB realServerStatus: 1 alive (every checker up), 0 dead", RS);
    public static final MetricDef RS_FAILED_CHECKERS = gauge("javalived_real_server_failed_checkers",
            "As KEEPALIVED-MIB realServerFailedChecks: how many of its checkers report it down now", RS);
    public static final MetricDef RS_CONSECUTIVE_FAILURES = gauge("javalived_real_server_consecutive_failures",
            "Failed check attempts in a row, retries included (the most among its checkers); 0 after a success", RS);
    public static final MetricDef RS_WEIGHT = gauge("javalived_real_server_weight",
            "The real server's weight now (configured, dynamic, or the operator's)", RS);
    public static final MetricDef RS_IN_POOL = gauge("javalived_real_server_in_pool",
            "1 when it is in the desired IPVS table with a weight above 0", RS);
    public static final MetricDef RS_SINCE = gauge("javalived_real_server_state_change_timestamp_seconds",
            "When its health last changed (Unix time; registration time until then)", RS);
    public static final MetricDef RS_OVERRIDE = gauge("javalived_real_server_override",
            "The operator's override: 1 for the current state (none, draining, drained, disabled), 0 for the others",
            "virtual_server", "real_server", "state");
    public static final MetricDef RS_DRAIN_CONNECTIONS = gauge("javalived_real_server_drain_connections",
            "Active + inactive connections a draining real server still has (at the last count, every second)", RS);

    // ------------------------------------------------------------------------------------------- checks
    public static final MetricDef CHECK_UP = gauge("javalived_check_up",
            "A checker's verdict after retry: 1 up, 0 down", CHECK);
    public static final MetricDef CHECK_CONSECUTIVE_FAILURES = gauge("javalived_check_consecutive_failures",
            "Failed attempts since this checker's last success (retries included)", CHECK);
    public static final MetricDef CHECK_ATTEMPTS = counter("javalived_check_attempts_total",
            "Attempts completed since the checker was registered", CHECK);
    public static final MetricDef CHECK_FAILURES = counter("javalived_check_failures_total",
            "Failed attempts since the checker was registered", CHECK);
    public static final MetricDef CHECK_LAST_DURATION = gauge("javalived_check_last_duration_seconds",
            "How long the last attempt took (absent before the first)", CHECK);
    public static final MetricDef CHECK_LAST_FAILURE = gauge("javalived_check_last_failure_reason",
            "Always 1; the reason label is the class of the checker's last failed attempt (CONNECTION_REFUSED, "
                    + "CONNECT_TIMEOUT, HTTP_STATUS, ...) or none when no attempt failed yet",
            "virtual_server", "real_server", "check", "reason");

    // ------------------------------------------------------------------------- IPVS, node_exporter's names
    static final String[] SVC = {"local_address", "local_port", "local_mark", "proto"};
    static final String[] DEST = {"local_address", "local_port", "local_mark", "proto", "remote_address",
        "remote_port"};

    public static final MetricDef SVC_CONNECTIONS = counter("node_ipvs_connections_total",
            "Connections scheduled to the IPVS service", SVC);
    public static final MetricDef SVC_IN_PACKETS = counter("node_ipvs_incoming_packets_total",
            "Incoming packets of the IPVS service", SVC);
    public static final MetricDef SVC_OUT_PACKETS = counter("node_ipvs_outgoing_packets_total",
            "Outgoing packets of the IPVS service", SVC);
    public static final MetricDef SVC_IN_BYTES = counter("node_ipvs_incoming_bytes_total",
            "Incoming bytes of the IPVS service", SVC);
    public static final MetricDef SVC_OUT_BYTES = counter("node_ipvs_outgoing_bytes_total",
            "Outgoing bytes of the IPVS service", SVC);
    public static final MetricDef DEST_ACTIVE = gauge("node_ipvs_backend_connections_active",
            "The current active connections by local and remote address", DEST);
    public static final MetricDef DEST_INACTIVE = gauge("node_ipvs_backend_connections_inactive",
            "The current inactive connections by local and remote address", DEST);
    public static final MetricDef DEST_WEIGHT = gauge("node_ipvs_backend_weight",
            "The current backend weight by local and remote address", DEST);
    public static final MetricDef DEST_CONNECTIONS = counter("node_ipvs_backend_connections_total",
            "Connections scheduled to the destination", DEST);
    public static final MetricDef DEST_IN_PACKETS = counter("node_ipvs_backend_incoming_packets_total",
            "Incoming packets of the destination", DEST);
    public static final MetricDef DEST_OUT_PACKETS = counter("node_ipvs_backend_outgoing_packets_total",
            "Outgoing packets of the destination", DEST);
    public static final MetricDef DEST_IN_BYTES = counter("node_ipvs_backend_incoming_bytes_total",
            "Incoming bytes of the destination", DEST);
    public static final MetricDef DEST_OUT_BYTES = counter("node_ipvs_backend_outgoing_bytes_total",
            "Outgoing bytes of the destination", DEST);

    /** Every family, in exposition order of the documentation. */
    public static final List<MetricDef> ALL;

    static {
        List<MetricDef> all = new ArrayList<>();
        all.add(UP);
        all.add(VRRP_STATE);
        all.addAll(VRRP_COUNTERS.values());
        all.addAll(List.of(SCRIPT_STATUS, BASE_PRIORITY, EFFECTIVE_PRIORITY, STATE_SINCE, TRACKER_UP,
                TRACKER_EFFECT, START_TIME, CONFIG_LOADED, IPVS_MODE, IPVS_UP, IPVS_READ_ERRORS, VS_QUORUM_UP,
                VS_QUORUM, VS_ALIVE_WEIGHT, VS_RS_UP, VS_RS_CONFIGURED, VS_SORRY_ACTIVE, VS_SUSPENDED, VS_DISABLED, ANYCAST_ANNOUNCED, RS_UP,
                RS_FAILED_CHECKERS, RS_CONSECUTIVE_FAILURES, RS_WEIGHT, RS_IN_POOL, RS_SINCE, RS_OVERRIDE, RS_DRAIN_CONNECTIONS, CHECK_UP,
                CHECK_CONSECUTIVE_FAILURES, CHECK_ATTEMPTS, CHECK_FAILURES, CHECK_LAST_DURATION, CHECK_LAST_FAILURE,
                SVC_CONNECTIONS, SVC_IN_PACKETS, SVC_OUT_PACKETS, SVC_IN_BYTES, SVC_OUT_BYTES, DEST_ACTIVE,
                DEST_INACTIVE, DEST_WEIGHT, DEST_CONNECTIONS, DEST_IN_PACKETS, DEST_OUT_PACKETS, DEST_IN_BYTES,
                DEST_OUT_BYTES));
        ALL = List.copyOf(all);
    }
}
