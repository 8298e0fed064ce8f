package io.javalived.cli.status;

import io.javalived.director.status.DaemonStatus;
import io.javalived.director.status.VirtualServerStatus;
import io.javalived.director.status.RealServerStatus;
import io.javalived.daemon.StatusJson;
import io.javalived.checkers.CheckStatus;
import io.javalived.vrrp.runtime.InstanceStatus;
import io.javalived.vrrp.runtime.InstanceStatus.TrackerStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code javalived status} without --json: the daemon's state as an operator reads it. Pure: the time is given. */
public final class StatusText {
    private StatusText() {
    }

    /** The status as text; {@code now} gives the ages ("since ... (5m12s)"). */
    public static String render(DaemonStatus s, Instant now) {
        StringBuilder sb = new StringBuilder(1024);
        sb.append("javalived ").append(s.version()).append("  pid ").append(s.pid());
        if (s.startedAt() != null) {
            sb.append("  up ").append(age(s.startedAt(), now));
        }
        sb.append("  config ").append(s.configFile());
        if (s.configLoadedAt() != null) {
            sb.append(" (loaded ").append(time(s.configLoadedAt())).append(')');
        }
        sb.append("  IPVS ").append(ipvsMode(s.ipvs())).append('\n');

        sb.append('\n');
        if (s.instances().isEmpty()) {
            sb.append("VRRP instances: none\n");
        } else {
            sb.append("VRRP instances\n");
            int nameW = 0;
            int stateW = 0;
            for (InstanceStatus i : s.instances()) {
                nameW = Math.max(nameW, i.name().length());
                stateW = Math.max(stateW, i.state().length());
            }
            for (InstanceStatus i : s.instances()) {
                instance(sb, i, now, nameW, stateW);
            }
        }

        sb.append('\n');
        if (s.virtualServers().isEmpty()) {
            sb.append("Virtual servers: none\n");
        } else {
            sb.append("Virtual servers\n");
            for (VirtualServerStatus v : s.virtualServers()) {
                virtualServer(sb, v, now);
            }
        }
        return sb.toString();
    }

    private static String ipvsMode(String mode) {
        return switch (String.valueOf(mode)) {
            case "kernel" -> "kernel";
            case "dry-run" -> "dry-run (computed, not programmed)";
            case "off" -> "off";
            default -> String.valueOf(mode);
        };
    }

    private static void instance(StringBuilder sb, InstanceStatus i, Instant now, int nameW, int stateW) {
        sb.append("  ").append(pad(i.name(), nameW)).append("  ").append(pad(i.state(), stateW))
                .append("  prio ").append(i.effectivePriority()).append(" (base ").append(i.basePriority())
                .append(")  vrid ").append(i.vrid());
        if (i.version() != 0 && i.version() != 2) {
            sb.append(" v").append(i.version());
        }
        sb.append("  ").append(i.interfaceName());
        if (i.stateSince() != null) {
            sb.append("  since ").append(time(i.stateSince())).append(" (").append(age(i.stateSince(), now))
                    .append(')');
        }
        List<String> vips = i.virtualIps() == null ? List.of() : i.virtualIps();
        sb.append("  VIPs ");
        if (vips.isEmpty()) {
            sb.append('-');
        }
        for (int k = 0; k < vips.size(); k++) {
            String v = vips.get(k);
            String own = " dev " + i.interfaceName();
            if (v.endsWith(own)) {
                v = v.substring(0, v.length() - own.length());
            }
            sb.append(k == 0 ? "" : ", ").append(v);
        }
        sb.append('\n');
        if ("MASTER".equals(i.state()) && i.masterSince() != null && !i.masterSince().equals(i.stateSince())) {
            sb.append("    master since ").append(time(i.masterSince())).append(" (")
                    .append(age(i.masterSince(), now)).append(")\n");
        }
        if (i.syncGroup() != null) {
            sb.append("    sync group ").append(i.syncGroup()).append('\n');
        }
        List<TrackerStatus> trackers = i.trackers() == null ? List.of() : i.trackers();
        int w = 0;
        for (TrackerStatus t : trackers) {
            w = Math.max(w, trackerName(t).length());
        }
        for (TrackerStatus t : trackers) {
            sb.append("    ").append(pad(trackerName(t), w)).append("  ").append(pad(StatusJson.trackerState(t), 4))
                    .append("  weight ").append(signed(t.weight()));
            if (t.reverse()) {
                sb.append(" reverse");
            }
            if (t.weight() == 0) {
                sb.append(t.fault() ? "  FAULT" : "  (FAULT when " + (t.kind().equals("interface") ? "down" : "bad")
                        + ")");
            } else {
                sb.append("  effect ").append(signed(t.effect()));
                if (t.fault()) {
                    sb.append("  FAULT");
                }
            }
            if (t.detail() != null) {
                sb.append("  (").append(t.detail()).append(')');
            }
            sb.append('\n');
        }
        Map<String, Long> c = i.counters();
        if (c != null && !c.isEmpty()) {
            sb.append("    adverts received ").append(c.getOrDefault("advert_rcvd", 0L)).append(" sent ")
                    .append(c.getOrDefault("advert_sent", 0L)).append("  became master ")
                    .append(c.getOrDefault("become_master", 0L)).append("  released master ")
                    .append(c.getOrDefault("release_master", 0L));
            long errors = 0;
            for (Map.Entry<String, Long> e : c.entrySet()) {
                if (e.getKey().endsWith("_err") || e.getKey().startsWith("auth") || e.getKey().equals("invalid_type_rcvd")
                        || e.getKey().equals("invalid_authtype")) {
                    errors += e.getValue();
                }
            }
            if (errors > 0) {
                sb.append("  packet errors ").append(errors);
            }
            sb.append('\n');
        }
    }

    private static String trackerName(TrackerStatus t) {
        return "track_" + t.kind() + " " + t.name();
    }

    private static void virtualServer(StringBuilder sb, VirtualServerStatus v, Instant now) {
        sb.append("  ").append(v.name()).append("  ").append(v.scheduler()).append(' ').append(v.forwarding())
                .append("  quorum ").append(v.quorumUp() ? "UP" : "DOWN").append(" (alive weight ")
                .append(v.aliveWeight()).append(", quorum ").append(v.quorum());
        if (v.hysteresis() != 0) {
            sb.append(" hysteresis ").append(v.hysteresis());
        }
        sb.append(")  real servers ").append(v.realServersUp()).append('/').append(v.realServersTotal())
                .append(" up");
        if (v.suspended()) {
            sb.append("  SUSPENDED (ha_suspend: no VRRP instance is MASTER)");
        }
        if (v.disabled()) {
            sb.append("  DISABLED by operator (out of IPVS; javalived enable --vs ").append(v.name()).append(')');
        }
        sb.append('\n');
        if (v.anycast() != null) {
            sb.append("    anycast ").append(v.anycast().prefix()).append(" table ").append(v.anycast().table())
                    .append(v.anycast().announced() ? "  ANNOUNCED" : "  withdrawn");
            if (v.anycast().since() != null) {
                sb.append(" since ").append(v.anycast().since().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            }
            sb.append(" (on ").append(v.anycast().iface()).append(")\n");
        }
        if (v.sorryServer() != null) {
            sb.append("    sorry server ").append(v.sorryServer()).append(v.sorryActive() ? "  ACTIVE" : "  standby")
                    .append('\n');
        }
        List<RealServerStatus> rs = v.realServers() == null ? List.of() : v.realServers();
        int w = 0;
        for (RealServerStatus r : rs) {
            w = Math.max(w, r.address().length());
        }
        for (RealServerStatus r : rs) {
            sb.append("    ").append(pad(r.address(), w)).append("  ").append(r.alive() ? "UP  " : "DOWN")
                    .append("  weight ").append(r.weight()).append("  ").append(r.inPool() ? "in pool    "
                            : "not in pool");
            if (r.since() != null) {
                sb.append("  since ").append(time(r.since())).append(" (").append(age(r.since(), now)).append(')');
            }
            override(sb, r, now);
            sb.append('\n');
            for (CheckStatus c : r.checks() == null ? List.<CheckStatus>of() : r.checks()) {
                check(sb, c, now);
            }
        }
    }

    /** The operator's override: {@code  DRAINING since ... (12s), 3 connections left, until ...}, {@code  DISABLED}. */
    private static void override(StringBuilder sb, RealServerStatus r, Instant now) {
        String o = r.override() == null ? "none" : r.override();
        if (!o.equals("none")) {
            sb.append("  ").append(o.toUpperCase(java.util.Locale.ROOT)).append(" by operator");
            if (r.drainingSince() != null) {
                sb.append(" since ").append(time(r.drainingSince())).append(" (").append(age(r.drainingSince(), now))
                        .append(')');
                sb.append(r.connectionsLeft() == null ? ", connections not counted yet"
                        : ", " + r.connectionsLeft() + " connection" + (r.connectionsLeft() == 1 ? "" : "s")
                        + " left");
                if (r.drainDeadline() != null) {
                    sb.append(", out at the latest ").append(time(r.drainDeadline()));
                }
            }
        }
        if (r.weightOverride() != null) {
            sb.append("  weight set by operator");
        }
    }

    private static void check(StringBuilder sb, CheckStatus c, Instant now) {
        sb.append("      ").append(c.name()).append("  ").append(c.up() ? "up" : "DOWN");
        if (c.lastAt() == null) {
            sb.append("  not checked yet\n");
            return;
        }
        sb.append("  last ").append(c.lastOk() ? "ok" : "FAILED");
        if (!c.lastOk() && c.lastFailure() != null) {
            sb.append(' ').append(c.lastFailure());
        }
        sb.append(" (").append(age(c.lastAt(), now)).append(" ago");
        if (c.lastDurationNanos() >= 0) {
            sb.append(", ").append(millis(c.lastDurationNanos()));
        }
        sb.append(")  consecutive failures ").append(c.consecutiveFailures()).append("  checks ")
                .append(c.attempts()).append(" failed ").append(c.failures()).append('\n');
        if (c.lastReason() != null && !c.lastReason().isEmpty()) {
            sb.append("        ").append(c.lastOk() ? "" : "reason: ").append(oneLine(c.lastReason())).append('\n');
        }
    }

    private static String oneLine(String s) {
        String t = s.replace('\n', ' ').replace('\r', ' ');
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, nanos < 10_000_000L ? "%.1f ms" : "%.0f ms", nanos / 1e6);
    }

    private static String signed(int v) {
        return v > 0 ? "+" + v : Integer.toString(v);
    }

    private static String pad(String s, int w) {
        StringBuilder b = new StringBuilder(s);
        while (b.length() < w) {
            b.append(' ');
        }
        return b.toString();
    }

    /** ISO-8601 UTC, to the second. */
    static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** A short age: 12s, 5m12s, 3h04m, 2d03h (0s for a time in the future). */
    static String age(Instant since, Instant now) {
        long s = Math.max(0, Duration.between(since, now).getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + two(s % 60) + "s";
        }
        if (s < 86400) {
            return s / 3600 + "h" + two(s / 60 % 60) + "m";
        }
        return s / 86400 + "d" + two(s / 3600 % 24) + "h";
    }

    private static String two(long v) {
        return v < 10 ? "0" + v : Long.toString(v);
    }
}
