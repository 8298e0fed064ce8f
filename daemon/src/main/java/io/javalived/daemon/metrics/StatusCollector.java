package io.javalived.daemon.metrics;

import io.javalived.inet.InetText;
import io.javalived.checkers.CheckStatus;
import io.javalived.director.status.DaemonStatus;
import io.javalived.director.status.RealServerStatus;
import io.javalived.director.status.VirtualServerStatus;
import io.javalived.ipvs.DestEntry;
import io.javalived.ipvs.IpvsStats;
import io.javalived.ipvs.IpvsTable;
import io.javalived.ipvs.ServiceKey;
import io.javalived.vrrp.runtime.InstanceStatus;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The mapping from one daemon snapshot (and one IPVS table read) to samples: pure, no I/O. Series that would repeat
 * (the same name and labels) are merged: IPVS ones are summed as node_exporter does (an IPv4 and an IPv6 fwmark
 * service with the same mark share labels), others keep the first.
 */
public final class StatusCollector {
    private StatusCollector() {
    }

    /**
     * The IPVS part of a scrape.
     *
     * @param table the table, null when IPVS is off or the read failed
     * @param error why the read failed, null when it did not
     */
    public record IpvsRead(IpvsTable table, String error) {
        public static IpvsRead off() {
            return new IpvsRead(null, null);
        }

        public static IpvsRead of(IpvsTable table) {
            return new IpvsRead(table, null);
        }

        public static IpvsRead failed(String error) {
            return new IpvsRead(null, error == null ? "unknown error" : error);
        }
    }

    /** keepalived's state numbers (vrrp.h: VRRP_STATE_INIT 0, BACK 1, MAST 2, FAULT 3, STOP 98). */
    static double stateNumber(String state) {
        return switch (state == null ? "" : state) {
            case "INIT" -> 0;
            case "BACKUP" -> 1;
            case "MASTER" -> 2;
            case "FAULT" -> 3;
            case "STOP" -> 98;
            default -> Double.NaN;
        };
    }

    /**
     * All samples of one scrape.
     *
     * @param ipvsReadErrors failed IPVS reads since the daemon started (this one included)
     */
    public static List<Sample> collect(DaemonStatus status, IpvsRead ipvs, long ipvsReadErrors) {
        Out out = new Out();
        out.add(Catalog.UP, 1);
        if (status != null) {
            vrrp(out, status.instances());
            daemon(out, status);
            virtualServers(out, status.virtualServers());
        }
        if (ipvs.table() != null || ipvs.error() != null) {
            out.add(Catalog.IPVS_UP, ipvs.error() == null ? 1 : 0);
        }
        out.add(Catalog.IPVS_READ_ERRORS, ipvsReadErrors);
        if (ipvs.table() != null) {
            ipvs(out, ipvs.table());
        }
        return out.samples();
    }

    // ----------------------------------------------------------------------------------------------- VRRP

    private static void vrrp(Out out, List<InstanceStatus> instances) {
        Set<String> scripts = new HashSet<>();
        for (InstanceStatus i : instances) {
            String intf = nz(i.interfaceName());
            String vrid = Integer.toString(i.vrid());
            double state = stateNumber(i.state());
            if (i.virtualIps().isEmpty()) {
                out.add(Catalog.VRRP_STATE, state, i.name(), intf, vrid, "");
            }
            for (String vip : i.virtualIps()) {
                // "address/prefix dev IF"
                String[] f = vip.trim().split("\\s+");
                String dev = f.length >= 3 && f[1].equals("dev") ? f[2] : intf;
                out.add(Catalog.VRRP_STATE, state, i.name(), dev, vrid, vipLabel(f[0]));
            }
            Map<String, Long> counters = i.counters() == null ? Map.of() : i.counters();
            for (Map.Entry<String, MetricDef> c : Catalog.VRRP_COUNTERS.entrySet()) {
                Long v = counters.get(c.getKey());
                out.add(c.getValue(), v == null ? 0 : v, i.name(), intf, vrid);
            }
            out.add(Catalog.BASE_PRIORITY, i.basePriority(), i.name(), intf, vrid);
            out.add(Catalog.EFFECTIVE_PRIORITY, i.effectivePriority(), i.name(), intf, vrid);
            if (i.stateSince() != null) {
                out.add(Catalog.STATE_SINCE, seconds(i.stateSince()), i.name(), intf, vrid);
            }
            if (i.trackers() != null) {
                for (InstanceStatus.TrackerStatus t : i.trackers()) {
                    out.add(Catalog.TRACKER_UP, t.good() ? 1 : 0, i.name(), nz(t.kind()), nz(t.name()));
                    out.add(Catalog.TRACKER_EFFECT, t.effect(), i.name(), nz(t.kind()), nz(t.name()));
                    if ("script".equals(t.kind()) && scripts.add(nz(t.name()))) {
                        out.add(Catalog.SCRIPT_STATUS, t.good() ? 1 : 0, nz(t.name()));
                    }
                }
            }
        }
    }

    /** "10.0.0.1/24" as keepalived prints it; an IPv6 literal in its compressed form. */
    static String vipLabel(String cidr) {
        int slash = cidr.indexOf('/');
        String addr = slash < 0 ? cidr : cidr.substring(0, slash);
        String suffix = slash < 0 ? "" : cidr.substring(slash);
        int scope = addr.indexOf('%'); // a link-local VIP's zone: keepalived prints the address without it
        if (scope >= 0) {
            addr = addr.substring(0, scope);
        }
        if (addr.indexOf(':') >= 0 && addr.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            try {
                addr = InetText.ntop(InetAddress.getByName(addr)); // a literal: no lookup
            } catch (UnknownHostException e) {
                // keep as given
            }
        }
        return addr + suffix;
    }

    // --------------------------------------------------------------------------------------------- daemon

    private static void daemon(Out out, DaemonStatus s) {
        if (s.startedAt() != null) {
            out.add(Catalog.START_TIME, seconds(s.startedAt()));
        }
        if (s.configLoadedAt() != null) {
            out.add(Catalog.CONFIG_LOADED, seconds(s.configLoadedAt()));
        }
        if (s.ipvs() != null) {
            out.add(Catalog.IPVS_MODE, 1, s.ipvs());
        }
    }

    // ------------------------------------------------------------------------------------ virtual servers

    private static void virtualServers(Out out, List<VirtualServerStatus> list) {
        for (VirtualServerStatus v : list) {
            String vs = v.name();
            out.add(Catalog.VS_QUORUM_UP, v.quorumUp() ? 1 : 0, vs);
            out.add(Catalog.VS_QUORUM, v.quorum(), vs);
            out.add(Catalog.VS_ALIVE_WEIGHT, v.aliveWeight(), vs);
            out.add(Catalog.VS_RS_UP, v.realServersUp(), vs);
            out.add(Catalog.VS_RS_CONFIGURED, v.realServersTotal(), vs);
            out.add(Catalog.VS_SORRY_ACTIVE, v.sorryActive() ? 1 : 0, vs);
            out.add(Catalog.VS_SUSPENDED, v.suspended() ? 1 : 0, vs);
            out.add(Catalog.VS_DISABLED, v.disabled() ? 1 : 0, vs);
            if (v.anycast() != null) {
                String prefix = v.anycast().prefix();
                out.add(Catalog.ANYCAST_ANNOUNCED, v.anycast().announced() ? 1 : 0, vs,
                        prefix.substring(0, prefix.indexOf('/')), String.valueOf(v.anycast().table()));
            }
            for (RealServerStatus r : v.realServers()) {
                realServer(out, vs, r);
            }
        }
    }

    /** The values of javalived_real_server_override's state label (OperatorOverride.State's words). */
    static final List<String> OVERRIDE_STATES = List.of("none", "draining", "drained", "disabled");

    private static void realServer(Out out, String vs, RealServerStatus r) {
        String rs = r.address();
        List<CheckStatus> checks = r.checks() == null ? List.of() : r.checks();
        int failedCheckers = 0;
        int consecutive = 0;
        for (CheckStatus c : checks) {
            failedCheckers += c.up() ? 0 : 1;
            consecutive = Math.max(consecutive, c.consecutiveFailures());
        }
        out.add(Catalog.RS_UP, r.alive() ? 1 : 0, vs, rs);
        out.add(Catalog.RS_FAILED_CHECKERS, failedCheckers, vs, rs);
        out.add(Catalog.RS_CONSECUTIVE_FAILURES, consecutive, vs, rs);
        out.add(Catalog.RS_WEIGHT, r.weight(), vs, rs);
        out.add(Catalog.RS_IN_POOL, r.inPool() ? 1 : 0, vs, rs);
        if (r.since() != null) {
            out.add(Catalog.RS_SINCE, seconds(r.since()), vs, rs);
        }
        for (String state : OVERRIDE_STATES) {
            out.add(Catalog.RS_OVERRIDE, state.equals(r.override()) ? 1 : 0, vs, rs, state);
        }
        if (r.connectionsLeft() != null) {
            out.add(Catalog.RS_DRAIN_CONNECTIONS, r.connectionsLeft(), vs, rs);
        }
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (CheckStatus c : checks) {
            String name = nz(c.name());
            int n = seen.merge(name, 1, Integer::sum);
            String check = n == 1 ? name : name + " #" + n; // two identical checkers stay two series
            out.add(Catalog.CHECK_UP, c.up() ? 1 : 0, vs, rs, check);
            out.add(Catalog.CHECK_CONSECUTIVE_FAILURES, c.consecutiveFailures(), vs, rs, check);
            out.add(Catalog.CHECK_ATTEMPTS, c.attempts(), vs, rs, check);
            out.add(Catalog.CHECK_FAILURES, c.failures(), vs, rs, check);
            if (c.lastDurationNanos() >= 0) {
                out.add(Catalog.CHECK_LAST_DURATION, c.lastDurationNanos() / 1e9, vs, rs, check);
            }
            out.add(Catalog.CHECK_LAST_FAILURE, 1, vs, rs, check,
                    c.lastFailure() == null ? "none" : c.lastFailure().name());
        }
    }

    // ----------------------------------------------------------------------------------------------- IPVS

    /** node_exporter's label values for a service: local_address, local_port, local_mark, proto. */
    static List<String> serviceLabels(ServiceKey k) {
        if (k.isFwmark()) {
            // /proc/net/ip_vs prints "FWM  %08X": node_exporter takes the mark as printed, no address, port 0
            return List.of("", "0", String.format(Locale.ROOT, "%08X", k.fwmark()), "FWM");
        }
        return List.of(InetText.ntop(k.address()), Integer.toString(k.port()), "", k.protocol().name());
    }

    private static void ipvs(Out out, IpvsTable table) {
        for (IpvsTable.Row s : table.services()) {
            List<String> svc = serviceLabels(s.key());
            IpvsStats st = s.entry().stats() == null ? IpvsStats.ZERO : s.entry().stats();
            out.sum(Catalog.SVC_CONNECTIONS, st.conns(), svc);
            out.sum(Catalog.SVC_IN_PACKETS, st.inPackets(), svc);
            out.sum(Catalog.SVC_OUT_PACKETS, st.outPackets(), svc);
            out.sum(Catalog.SVC_IN_BYTES, st.inBytes(), svc);
            out.sum(Catalog.SVC_OUT_BYTES, st.outBytes(), svc);
            for (DestEntry d : s.dests()) {
                List<String> dl = new ArrayList<>(svc);
                dl.add(InetText.ntop(d.server().address()));
                dl.add(Integer.toString(d.server().port()));
                IpvsStats ds = d.stats() == null ? IpvsStats.ZERO : d.stats();
                out.sum(Catalog.DEST_ACTIVE, d.activeConns(), dl);
                out.sum(Catalog.DEST_INACTIVE, d.inactConns(), dl);
                out.sum(Catalog.DEST_WEIGHT, d.server().weight(), dl);
                out.sum(Catalog.DEST_CONNECTIONS, ds.conns(), dl);
                out.sum(Catalog.DEST_IN_PACKETS, ds.inPackets(), dl);
                out.sum(Catalog.DEST_OUT_PACKETS, ds.outPackets(), dl);
                out.sum(Catalog.DEST_IN_BYTES, ds.inBytes(), dl);
                out.sum(Catalog.DEST_OUT_BYTES, ds.outBytes(), dl);
            }
        }
    }

    // ------------------------------------------------------------------------------------------- helpers

    static double seconds(Instant t) {
        return t.getEpochSecond() + t.getNano() / 1e9;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** Samples in insertion order, one per series. */
    private static final class Out {
        private final Map<Sample.SeriesKey, Sample> samples = new LinkedHashMap<>();

        void add(MetricDef def, double value, String... labels) {
            Sample s = new Sample(def, List.of(labels), value);
            samples.putIfAbsent(s.key(), s);
        }

        void sum(MetricDef def, double value, List<String> labels) {
            Sample s = new Sample(def, labels, value);
            samples.merge(s.key(), s, (a, b) -> new Sample(def, labels, a.value() + b.value()));
        }

        List<Sample> samples() {
            return List.copyOf(samples.values());
        }
    }
}
