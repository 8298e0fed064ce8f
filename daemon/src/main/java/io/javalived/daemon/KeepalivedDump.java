package io.javalived.daemon;

import io.javalived.inet.InetText;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.config.model.TrackedFile;
import io.javalived.config.model.TrackedInterface;
import io.javalived.config.model.TrackedScript;
import io.javalived.config.model.VirtualIpAddress;
import io.javalived.config.model.VrrpInstance;
import io.javalived.config.model.VrrpScript;
import io.javalived.vrrp.runtime.InstanceStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * keepalived's signal dumps of the VRRP instances, in keepalived 2.2.7's layout and names: {@code keepalived.data}
 * (SIGUSR1: the "VRRP Topology" and "VRRP Scripts" sections), {@code keepalived.stats} (SIGUSR2; SIGRTMAX-1 also
 * clears the counters, as {@code --signum=STATS_CLEAR}) and {@code keepalived.json} (SIGRTMIN+2). What
 * keepalived-exporter reads is exact: instance name, State, Wantstate, Interface, Gratuitous ARP delay, Virtual
 * Router ID, the Virtual IP lines ({@code ADDR[/LEN] dev IF ...}), script Status/State; every stats line; the JSON
 * data/stats fields. keepalived's lines for data javalived does not keep (fds, read timeout, master down timer,
 * master router/priority of a backup, the global definitions, sockpool and interfaces sections) are left out.
 *
 * <p>Files are written to a temporary file in the directory and renamed over the name (mode 0600, as keepalived's;
 * a reader never sees half a file, and a symlink planted at the name is replaced, not followed).
 */
public final class KeepalivedDump {
    private static final System.Logger LOG = System.getLogger("io.javalived.cli");
    static final String DATA = "keepalived.data";
    static final String STATS = "keepalived.stats";
    static final String JSON = "keepalived.json";

    private static final DateTimeFormatter CTIME_DATE = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss",
            Locale.ENGLISH);

    /** keepalived's stats lines: counter name to label, by section. */
    private static final String[][] STATS_LAYOUT = {
        {"  Advertisements:", null},
        {"    Received", "advert_rcvd"},
        {"    Sent", "advert_sent"},
        {"  Became master", "become_master"},
        {"  Released master", "release_master"},
        {"  Packet Errors:", null},
        {"    Length", "packet_len_err"},
        {"    TTL", "ip_ttl_err"},
        {"    Invalid Type", "invalid_type_rcvd"},
        {"    Advertisement Interval", "advert_interval_err"},
        {"    Address List", "addr_list_err"},
        {"  Authentication Errors:", null},
        {"    Invalid Type", "invalid_authtype"},
        {"    Type Mismatch", "authtype_mismatch"},
        {"    Failure", "auth_failure"},
        {"  Priority Zero:", null},
        {"    Received", "pri_zero_rcvd"},
        {"    Sent", "pri_zero_sent"},
    };

    /** JSON stats fields in keepalived's order. */
    private static final String[] JSON_STATS = {"advert_rcvd", "advert_sent", "become_master", "release_master",
        "packet_len_err", "advert_interval_err", "ip_ttl_err", "invalid_type_rcvd", "addr_list_err",
        "invalid_authtype", "authtype_mismatch", "auth_failure", "pri_zero_rcvd", "pri_zero_sent"};

    private final Path dir;
    private final ZoneId zone;
    /** Counter values at the last STATS_CLEAR, by instance: the files show the counts since. */
    private final Map<String, Map<String, Long>> cleared = new HashMap<>();

    public KeepalivedDump(Path dir, ZoneId zone) {
        this.dir = dir;
        this.zone = zone;
    }

    public Path dir() {
        return dir;
    }

    /** keepalived's default: $TMPDIR when absolute, else /tmp. */
    public static Path defaultDir() {
        String t = System.getenv("TMPDIR");
        return Path.of(t != null && t.startsWith("/") ? t : "/tmp");
    }

    // ---------------------------------------------------------------------------------------------- writing

    synchronized Path writeData(KeepalivedConfig cfg, List<InstanceStatus> instances) throws IOException {
        return write(DATA, data(cfg, instances));
    }

    synchronized Path writeStats(List<InstanceStatus> instances, boolean clear) throws IOException {
        Path p = write(STATS, stats(instances));
        if (clear) {
            for (InstanceStatus i : instances) {
                cleared.put(i.name(), Map.copyOf(i.counters()));
            }
        }
        return p;
    }

    synchronized Path writeJson(KeepalivedConfig cfg, List<InstanceStatus> instances) throws IOException {
        return write(JSON, json(cfg, instances));
    }

    private Path write(String name, String text) throws IOException {
        Path target = dir.resolve(name);
        Path tmp = Files.createTempFile(dir, "." + name + ".", ".tmp"); // 0600
        try {
            Files.writeString(tmp, text);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    /** A counter since the last clear (a counter that went down was reset by a reload: its value as is). */
    private long counter(InstanceStatus i, String name) {
        long v = i.counters().getOrDefault(name, 0L);
        long base = cleared.getOrDefault(i.name(), Map.of()).getOrDefault(name, 0L);
        return v >= base ? v - base : v;
    }

    // ---------------------------------------------------------------------------------------------- stats

    String stats(List<InstanceStatus> instances) {
        StringBuilder sb = new StringBuilder();
        for (InstanceStatus i : instances) {
            sb.append("VRRP Instance: ").append(i.name()).append('\n');
            for (String[] line : STATS_LAYOUT) {
                sb.append(line[0]);
                if (line[1] != null) {
                    sb.append(": ").append(counter(i, line[1]));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------------------------------------- data

    String data(KeepalivedConfig cfg, List<InstanceStatus> instances) {
        StringBuilder sb = new StringBuilder();
        sb.append("------< Global definitions >------\n");
        cfg.globalDefs().routerId().ifPresent(r -> line(sb, " Router ID = " + r));
        line(sb, " VRRP IPv4 mcast group = " + InetText.ntop(cfg.globalDefs().vrrpMcastGroup4()));
        line(sb, " VRRP IPv6 mcast group = " + InetText.ntop(cfg.globalDefs().vrrpMcastGroup6()));
        line(sb, " VRRP default protocol version = " + cfg.globalDefs().vrrpVersion());
        line(sb, " VRRP strict mode = " + cfg.globalDefs().vrrpStrict());
        line(sb, "------< VRRP Topology >------");
        Map<String, VrrpInstance> byName = new LinkedHashMap<>();
        cfg.vrrpInstances().forEach(v -> byName.put(v.name(), v));
        for (InstanceStatus st : instances) {
            VrrpInstance v = byName.get(st.name());
            if (v != null) {
                instance(sb, v, st);
            }
        }
        if (!cfg.vrrpScripts().isEmpty()) {
            line(sb, "------< VRRP Scripts >------");
            for (VrrpScript s : cfg.vrrpScripts().values()) {
                script(sb, s, instances, cfg);
            }
        }
        return sb.toString();
    }

    private void instance(StringBuilder sb, VrrpInstance v, InstanceStatus st) {
        String state = stateText(st.state());
        line(sb, " VRRP Instance = " + v.name());
        line(sb, "   VRRP Version = " + st.version());
        if (st.syncGroup() != null) {
            line(sb, "   Sync group = " + st.syncGroup());
        }
        if (v.isIpv6()) {
            line(sb, "   Using Native IPv6");
        }
        line(sb, "   State = " + state);
        if (v.isUnicast()) {
            line(sb, "   Flags:");
            line(sb, "     Using unicast");
        } else {
            line(sb, "   Flags: none");
        }
        line(sb, "   Wantstate = " + state);
        int faults = (int) st.trackers().stream().filter(InstanceStatus.TrackerStatus::fault).count();
        line(sb, "   Number of config faults = 0");
        line(sb, "   Number of interface and track script faults = " + faults);
        if (st.stateSince() != null) {
            line(sb, "   Last transition = " + epoch(st.stateSince()) + " (" + ctime(st.stateSince()) + ")");
        }
        line(sb, "   Interface = " + (st.interfaceName() == null ? "not configured" : st.interfaceName()));
        if (v.dontTrackPrimary()) {
            line(sb, "   VRRP interface tracking disabled");
        }
        if (v.skipCheckAdvAddr()) {
            line(sb, "   Skip checking advert IP addresses");
        }
        if (v.strictMode()) {
            line(sb, "   Enforcing strict VRRP compliance");
        }
        v.sourceAddress().ifPresent(a -> line(sb, "   Using src_ip = " + InetText.ntop(a) + " (from configuration)"));
        if (!v.isUnicast()) {
            line(sb, "   Multicast address " + InetText.ntop(v.mcastDstIp()));
        }
        line(sb, "   Gratuitous ARP delay = " + v.garpMasterDelay().toSeconds());
        line(sb, "   Gratuitous ARP repeat = " + v.garpMasterRepeat());
        line(sb, "   Gratuitous ARP refresh = " + v.garpMasterRefresh().toSeconds());
        line(sb, "   Gratuitous ARP refresh repeat = " + v.garpMasterRefreshRepeat());
        line(sb, "   Gratuitous ARP lower priority delay = " + v.garpLowerPrioDelay().toSeconds());
        line(sb, "   Gratuitous ARP lower priority repeat = " + v.garpLowerPrioRepeat());
        line(sb, "   Down timer adverts = " + v.downTimerAdverts());
        line(sb, "   Send advert after receive lower priority advert = " + !v.lowerPrioNoAdvert());
        line(sb, "   Send advert after receive higher priority advert = " + v.higherPrioSendAdvert());
        line(sb, "   Virtual Router ID = " + st.vrid());
        line(sb, "   Priority = " + st.basePriority());
        line(sb, "   Effective priority = " + st.effectivePriority());
        line(sb, "   Total priority = " + st.effectivePriority());
        line(sb, "   Advert interval = " + (st.version() == 2 ? v.advertInterval().toSeconds() + " sec"
                : v.advertInterval().toMillis() + " milli-sec"));
        line(sb, "   Accept = " + (v.accept() ? "enabled" : "disabled"));
        line(sb, "   Preempt = " + (v.preempt() ? "enabled" : "disabled"));
        if (!v.preemptDelay().isZero()) {
            line(sb, "   Preempt delay = " + g(v.preemptDelay()) + " secs");
        }
        line(sb, "   Promote_secondaries = " + (v.promoteSecondaries() ? "enabled" : "disabled"));
        if (v.authentication().isPresent()) {
            line(sb, "   Authentication type = " + (v.authentication().get().type()
                    == io.javalived.config.model.Authentication.Type.AH ? "IPSEC_AH" : "SIMPLE_PASSWORD"));
        } else if (st.version() == 2) {
            line(sb, "   Authentication type = none");
        }
        boolean set = "MASTER".equals(st.state());
        if (!v.virtualIpAddresses().isEmpty()) {
            line(sb, "   Virtual IP (" + v.virtualIpAddresses().size() + "):");
            v.virtualIpAddresses().forEach(a -> line(sb, "     " + vip(a, v, set)));
        }
        if (!v.virtualIpAddressesExcluded().isEmpty()) {
            line(sb, "   Virtual IP Excluded :");
            v.virtualIpAddressesExcluded().forEach(a -> line(sb, "     " + vip(a, v, set)));
        }
        if (v.isUnicast()) {
            line(sb, "   Check unicast src : " + (v.checkUnicastSrc() ? "yes" : "no"));
            line(sb, "   Unicast Peer :");
            v.unicastPeers().forEach(p -> line(sb, "     " + InetText.ntop(p.address())));
        }
        if (!v.trackInterfaces().isEmpty()) {
            line(sb, "   Tracked interfaces :");
            for (TrackedInterface t : v.trackInterfaces()) {
                line(sb, "     " + t.name() + " weight " + t.weight() + (t.reverse() ? " reverse" : ""));
            }
        }
        if (!v.trackScripts().isEmpty()) {
            line(sb, "   Tracked scripts :");
            for (TrackedScript t : v.trackScripts()) {
                line(sb, "     " + t.name() + " weight " + t.weight() + (t.reverse() ? " reverse" : ""));
            }
        }
        if (!v.trackFiles().isEmpty()) {
            line(sb, "   Tracked files :");
            for (TrackedFile t : v.trackFiles()) {
                line(sb, "     " + t.name() + " weight " + t.weight() + (t.reverse() ? " reverse" : ""));
            }
        }
        line(sb, "   Using smtp notification = " + (v.smtpAlert() ? "yes" : "no"));
    }

    private void script(StringBuilder sb, VrrpScript s, List<InstanceStatus> instances, KeepalivedConfig cfg) {
        line(sb, " VRRP Script = " + s.name());
        line(sb, "   Command = " + cmd(s.script().command()));
        line(sb, "   Interval = " + s.interval().toSeconds() + " sec");
        line(sb, "   Timeout = " + s.timeout().toSeconds() + " sec");
        line(sb, "   Weight = " + s.weight() + (s.weightReverse() ? " reverse" : ""));
        line(sb, "   Rise = " + s.rise());
        line(sb, "   Fall = " + s.fall());
        Boolean good = null;
        for (InstanceStatus i : instances) {
            for (InstanceStatus.TrackerStatus t : i.trackers()) {
                if ("script".equals(t.kind()) && s.name().equals(t.name())) {
                    good = t.good();
                }
            }
        }
        if (good != null) {
            line(sb, "   Status = " + (good ? "GOOD" : "BAD"));
        }
        line(sb, "   Tracking instances :");
        for (VrrpInstance v : cfg.vrrpInstances()) {
            for (TrackedScript t : v.trackScripts()) {
                if (t.name().equals(s.name())) {
                    line(sb, "     " + v.name() + ", weight " + t.weight() + (t.reverse() ? " reverse" : ""));
                }
            }
        }
        // javalived runs each check on its own schedule; between runs (nearly always) keepalived says idle
        line(sb, "   State = idle");
    }

    /** keepalived's format_ipaddress: ADDR[/LEN] [brd B] dev IF scope S [label L] [peer P/LEN] [no_track] [set]. */
    private static String vip(VirtualIpAddress a, VrrpInstance v, boolean set) {
        StringBuilder sb = new StringBuilder(InetText.ntop(a.address()));
        if (a.prefixLength() != (a.isIpv6() ? 128 : 32)) {
            sb.append('/').append(a.prefixLength());
        }
        a.broadcast().ifPresent(b -> sb.append(" brd ").append(InetText.ntop(b)));
        sb.append(" dev ").append(a.dev().orElse(v.interfaceName().orElse("(null)")));
        sb.append(" scope ").append(a.scope().orElse(a.isIpv6() && a.address().isLinkLocalAddress() ? "link"
                : "global"));
        a.label().ifPresent(l -> sb.append(" label ").append(l));
        a.peer().ifPresent(p -> sb.append(" peer ").append(InetText.ntop(p)).append('/').append(a.prefixLength()));
        if (a.noPrefixRoute()) {
            sb.append(" noprefixroute");
        }
        if (a.noTrack()) {
            sb.append(" no_track");
        }
        if (a.isIpv6()) {
            sb.append(" preferred_lft forever");
        }
        if (set) {
            sb.append(" set");
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------------------------------------- json

    String json(KeepalivedConfig cfg, List<InstanceStatus> instances) {
        Map<String, VrrpInstance> byName = new LinkedHashMap<>();
        cfg.vrrpInstances().forEach(v -> byName.put(v.name(), v));
        StringBuilder sb = new StringBuilder("[");
        boolean first = true;
        for (InstanceStatus st : instances) {
            VrrpInstance v = byName.get(st.name());
            if (v == null) {
                continue;
            }
            sb.append(first ? "" : ",");
            first = false;
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("iname", v.name());
            data.put("dont_track_primary", v.dontTrackPrimary() ? 1 : 0);
            data.put("skip_check_adv_addr", v.skipCheckAdvAddr() ? 1 : 0);
            data.put("strict_mode", v.strictMode() ? 1 : 0);
            data.put("vmac_ifname", v.vmacInterfaceName().orElse(""));
            if (st.interfaceName() != null) {
                data.put("ifp_ifname", st.interfaceName());
            }
            if (st.stateSince() != null) {
                data.put("last_transition", new Raw(epoch(st.stateSince())));
            }
            data.put("garp_delay", new Raw(g(v.garpMasterDelay())));
            data.put("garp_refresh", v.garpMasterRefresh().toSeconds());
            data.put("garp_rep", v.garpMasterRepeat());
            data.put("garp_refresh_rep", v.garpMasterRefreshRepeat());
            data.put("garp_lower_prio_delay", v.garpLowerPrioDelay().toSeconds());
            data.put("garp_lower_prio_rep", v.garpLowerPrioRepeat());
            data.put("lower_prio_no_advert", v.lowerPrioNoAdvert() ? 1 : 0);
            data.put("higher_prio_send_advert", v.higherPrioSendAdvert() ? 1 : 0);
            data.put("vrid", st.vrid());
            data.put("base_priority", st.basePriority());
            data.put("effective_priority", st.effectivePriority());
            data.put("vipset", "MASTER".equals(st.state()));
            data.put("promote_secondaries", v.promoteSecondaries());
            data.put("adver_int", new Raw(g(v.advertInterval())));
            data.put("accept", v.accept() ? 1 : 0);
            data.put("nopreempt", !v.preempt());
            data.put("preempt_delay", v.preemptDelay().toSeconds());
            data.put("state", stateNumber(st.state()));
            data.put("wantstate", stateNumber(st.state()));
            data.put("version", st.version());
            data.put("smtp_alert", v.smtpAlert());
            boolean set = "MASTER".equals(st.state());
            if (!v.virtualIpAddresses().isEmpty()) {
                data.put("vips", v.virtualIpAddresses().stream().map(a -> vip(a, v, set)).toList());
            }
            if (!v.virtualIpAddressesExcluded().isEmpty()) {
                data.put("evips", v.virtualIpAddressesExcluded().stream().map(a -> vip(a, v, set)).toList());
            }
            if (!v.trackInterfaces().isEmpty()) {
                data.put("track_ifp", v.trackInterfaces().stream().map(TrackedInterface::name).toList());
            }
            if (!v.trackScripts().isEmpty()) {
                data.put("track_script", v.trackScripts().stream().map(t -> {
                    VrrpScript s = cfg.vrrpScripts().get(t.name());
                    return s == null ? t.name() : cmd(s.script().command());
                }).toList());
            }
            data.put("auth_type", v.authentication().map(a -> a.type()
                    == io.javalived.config.model.Authentication.Type.AH ? 2 : 1).orElse(0));
            Map<String, Object> stats = new LinkedHashMap<>();
            for (String n : JSON_STATS) {
                stats.put(n, counter(st, n));
            }
            sb.append("{\"data\":");
            object(sb, data);
            sb.append(",\"stats\":");
            object(sb, stats);
            sb.append('}');
        }
        return sb.append("]\n").toString();
    }

    /** A number written as is. */
    private record Raw(String text) {}

    private static void object(StringBuilder sb, Map<String, Object> m) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            sb.append(first ? "" : ",");
            first = false;
            string(sb, e.getKey());
            sb.append(':');
            value(sb, e.getValue());
        }
        sb.append('}');
    }

    private static void value(StringBuilder sb, Object v) {
        if (v instanceof String s) {
            string(sb, s);
        } else if (v instanceof Raw r) {
            sb.append(r.text());
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ",");
                value(sb, l.get(i));
            }
            sb.append(']');
        } else {
            sb.append(v); // numbers, booleans
        }
    }

    /** JSON string as keepalived's writer escapes it (also {@code /} as {@code \/}). */
    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '/' -> sb.append("\\/");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static void line(StringBuilder sb, String s) {
        sb.append(s).append('\n');
    }

    /** keepalived's state names; STOP (javalived stopping) has none there. */
    static String stateText(String state) {
        return switch (state) {
            case "INIT", "BACKUP", "MASTER", "FAULT" -> state;
            default -> "unknown";
        };
    }

    static int stateNumber(String state) {
        return switch (state) {
            case "INIT" -> 0;
            case "BACKUP" -> 1;
            case "MASTER" -> 2;
            case "FAULT" -> 3;
            default -> 98; // VRRP_STATE_STOP
        };
    }

    /** keepalived's cmd_str: the command in single quotes. */
    private static String cmd(String command) {
        return "'" + command + "'";
    }

    /** SECONDS.MICROS. */
    private static String epoch(Instant t) {
        return t.getEpochSecond() + "." + String.format("%06d", t.getNano() / 1000);
    }

    /** ctime with microseconds: {@code Sat Dec  5 04:13:23.814680 2026}. */
    private String ctime(Instant t) {
        ZonedDateTime z = t.atZone(zone);
        return CTIME_DATE.format(z) + "." + String.format("%06d", t.getNano() / 1000) + " " + z.getYear();
    }

    /** printf %g of seconds: 5, 0.5, 1.25. */
    private static String g(Duration d) {
        return Json.seconds(d);
    }

    /**
     * Answers one dump signal as keepalived does: SIGUSR1 the data file, SIGUSR2 (SIGRTMAX-1: and clear) the stats,
     * SIGRTMIN+2 the JSON (none without instances), each with keepalived's log line.
     */
    public void answer(int sig, KeepalivedConfig cfg, List<InstanceStatus> inst) {
        long pid = ProcessHandle.current().pid();
        try {
            if (sig == DaemonSignals.SIGUSR1) {
                LOG.log(System.Logger.Level.INFO, "Printing VRRP data for process(" + pid + ") on signal");
                writeData(cfg, inst);
            } else if (sig == DaemonSignals.SIGUSR2 || sig == DaemonSignals.SIGSTATS_CLEAR) {
                LOG.log(System.Logger.Level.INFO, "Printing " + (sig == DaemonSignals.SIGSTATS_CLEAR ? "and clearing " : "")
                        + "VRRP stats for process(" + pid + ") on signal");
                writeStats(inst, sig == DaemonSignals.SIGSTATS_CLEAR);
            } else if (sig == DaemonSignals.SIGJSON) {
                LOG.log(System.Logger.Level.INFO, "Printing VRRP as json for process(" + pid + ") on signal");
                if (!inst.isEmpty()) { // as keepalived: no instances, no file
                    writeJson(cfg, inst);
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Can't write the " + DaemonSignals.name(sig) + " dump to " + dir() + " ("
                    + e + ") - give a writable directory with --tmp-dir DIR");
        }
    }
}
