package io.javalived.cli;

import io.javalived.daemon.Json;
import io.javalived.inet.InetText;
import io.javalived.config.ConfigCheck;
import io.javalived.config.ConfigException;
import io.javalived.config.ConfigWarning;
import io.javalived.config.model.Authentication;
import io.javalived.config.model.CheckerCommon;
import io.javalived.config.model.CheckerConfig;
import io.javalived.config.model.GlobalDefs;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.config.model.NotifyScript;
import io.javalived.config.model.Origin;
import io.javalived.config.model.RealServer;
import io.javalived.config.model.ReplyPattern;
import io.javalived.config.model.StatusCodes;
import io.javalived.config.model.TrackedFile;
import io.javalived.config.model.TrackedInterface;
import io.javalived.config.model.TrackedScript;
import io.javalived.config.model.UnicastPeer;
import io.javalived.config.model.VirtualIpAddress;
import io.javalived.config.model.VirtualRoute;
import io.javalived.config.model.VirtualServer;
import io.javalived.config.model.VirtualServerGroup;
import io.javalived.config.model.VrrpInstance;
import io.javalived.config.model.VrrpScript;
import io.javalived.config.model.VrrpSyncGroup;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Renders a {@link ConfigCheck.Verdict} as the normalized text summary or as the stable JSON document. */
final class CheckSummary {
    /** Version of the JSON document's layout; bumped only on incompatible changes. */
    static final int JSON_SCHEMA_VERSION = 1;

    private CheckSummary() {}

    // ================================================================= diagnostics

    static String errorLine(ConfigException e) {
        return e.file() + ":" + e.line() + ": error: "
                + (e.keyword().isEmpty() ? "" : "keyword '" + e.keyword() + "': ") + e.reason();
    }

    static String findingLine(ConfigCheck.Finding f) {
        return (f.file() == null ? "" : f.file() + ":" + f.line() + ": ") + (f.warning() ? "warning: " : "error: ")
                + f.message();
    }

    static List<String> diagnostics(ConfigCheck.Verdict v) {
        List<String> out = new ArrayList<>();
        for (ConfigException e : v.errors()) {
            out.add(errorLine(e));
        }
        for (ConfigWarning w : v.warnings()) {
            out.add(w.toString());
        }
        for (ConfigCheck.Finding f : v.findings()) {
            out.add(findingLine(f));
        }
        return out;
    }

    // ================================================================= text

    static String text(Path file, ConfigCheck.Verdict v) {
        StringBuilder sb = new StringBuilder();
        if (v.config().isEmpty()) {
            sb.append("Configuration ").append(file).append(": REJECTED (exit ").append(v.exitCode()).append(")\n");
            return sb.toString();
        }
        KeepalivedConfig c = v.config().get();
        sb.append("Configuration ").append(file).append(": ")
                .append(v.accepted() ? "OK" : "REJECTED (exit " + v.exitCode() + ")")
                .append(" - ").append(c.vrrpInstances().size()).append(" vrrp_instance(s), ")
                .append(c.virtualServers().size()).append(" virtual_server(s)\n");
        GlobalDefs g = c.globalDefs();
        sb.append("\nglobal_defs\n");
        sb.append("  router_id ").append(g.routerId().orElse("(host name)"))
                .append("  vrrp_version ").append(g.vrrpVersion())
                .append("  vrrp_strict ").append(onOff(g.vrrpStrict()))
                .append("  script security ").append(onOff(g.enableScriptSecurity()))
                .append(g.scriptUser().map(u -> " (script_user " + u + ")").orElse("")).append('\n');
        sb.append("  vrrp_mcast_group4 ").append(InetText.ntop(g.vrrpMcastGroup4()))
                .append("  vrrp_mcast_group6 ").append(InetText.ntop(g.vrrpMcastGroup6()))
                .append("  garp master delay ").append(secs(g.vrrpGarpMasterDelay()))
                .append(" repeat ").append(g.vrrpGarpMasterRepeat())
                .append(" refresh ").append(secs(g.vrrpGarpMasterRefresh())).append('\n');
        if (!g.notificationEmail().isEmpty() || g.smtpServer().isPresent()) {
            sb.append("  notification_email ").append(String.join(", ", g.notificationEmail()))
                    .append(g.smtpServer().map(s -> "  smtp_server " + s.host() + ":" + s.port()).orElse(""))
                    .append("  smtp_connect_timeout ").append(secs(g.smtpConnectTimeout())).append('\n');
        }
        if (g.lvsFlush() || g.lvsFlushOnStop() != GlobalDefs.LvsFlushOnStop.NONE) {
            sb.append("  lvs_flush ").append(onOff(g.lvsFlush())).append("  lvs_flush_on_stop ")
                    .append(g.lvsFlushOnStop()).append('\n');
        }
        for (VrrpScript s : c.vrrpScripts().values()) {
            sb.append("\nvrrp_script ").append(s.name()).append("  (").append(s.origin()).append(")\n");
            sb.append("  script \"").append(s.script().command()).append("\"  interval ").append(secs(s.interval()))
                    .append("  timeout ").append(secs(s.timeout())).append("  weight ").append(s.weight())
                    .append(s.weightReverse() ? " reverse" : "").append("  rise ").append(s.rise())
                    .append("  fall ").append(s.fall()).append('\n');
        }
        for (VrrpSyncGroup sg : c.syncGroups()) {
            sb.append("\nvrrp_sync_group ").append(sg.name()).append("  (").append(sg.origin()).append(")\n");
            sb.append("  group ").append(String.join(" ", sg.members())).append('\n');
        }
        for (VrrpInstance i : c.vrrpInstances()) {
            sb.append("\nvrrp_instance ").append(i.name()).append("  (").append(i.origin()).append(")\n");
            sb.append("  state ").append(i.initialState()).append("  interface ")
                    .append(i.interfaceName().orElse("(none)")).append("  virtual_router_id ")
                    .append(i.virtualRouterId()).append("  priority ").append(i.priority())
                    .append("  advert_int ").append(secs(i.advertInterval())).append("  version ").append(i.version())
                    .append("  ").append(i.isIpv6() ? "IPv6" : "IPv4").append('\n');
            sb.append("  preempt ").append(onOff(i.preempt()));
            if (!i.preemptDelay().isZero()) {
                sb.append("  preempt_delay ").append(secs(i.preemptDelay()));
            }
            sb.append("  accept ").append(onOff(i.accept())).append("  strict ").append(onOff(i.strictMode()));
            i.authentication().ifPresent(a -> sb.append("  authentication ").append(a.type()));
            if (i.useVmac()) {
                sb.append("  use_vmac ").append(i.vmacInterfaceName().orElse(""));
            }
            sb.append('\n');
            if (i.isUnicast()) {
                sb.append("  unicast").append(i.unicastSrcIp().map(a -> " src " + InetText.ntop(a)).orElse("")).append(" peers");
                for (UnicastPeer p : i.unicastPeers()) {
                    sb.append(' ').append(InetText.ntop(p.address()));
                }
                sb.append('\n');
            } else {
                sb.append("  multicast ").append(InetText.ntop(i.mcastDstIp()))
                        .append(i.mcastSrcIp().map(a -> " src " + InetText.ntop(a)).orElse("")).append('\n');
            }
            sb.append("  virtual_ipaddress");
            if (i.virtualIpAddresses().isEmpty()) {
                sb.append(" (none)");
            }
            for (VirtualIpAddress a : i.virtualIpAddresses()) {
                sb.append(' ').append(vip(a, i));
            }
            sb.append('\n');
            if (!i.virtualIpAddressesExcluded().isEmpty()) {
                sb.append("  virtual_ipaddress_excluded");
                for (VirtualIpAddress a : i.virtualIpAddressesExcluded()) {
                    sb.append(' ').append(vip(a, i));
                }
                sb.append('\n');
            }
            for (VirtualRoute r : i.virtualRoutes()) {
                sb.append("  virtual_route ").append(r.text()).append('\n');
            }
            for (io.javalived.config.model.VirtualRule r : i.virtualRules()) {
                sb.append("  virtual_rule ").append(r.text()).append('\n');
            }
            for (TrackedInterface t : i.trackInterfaces()) {
                sb.append("  track_interface ").append(t.name()).append(" weight ").append(t.weight())
                        .append(t.reverse() ? " reverse" : "").append('\n');
            }
            for (TrackedScript t : i.trackScripts()) {
                sb.append("  track_script ").append(t.name()).append(" weight ").append(t.weight())
                        .append(t.reverse() ? " reverse" : "").append('\n');
            }
            for (TrackedFile t : i.trackFiles()) {
                sb.append("  track_file ").append(t.name()).append(" weight ").append(t.weight()).append('\n');
            }
            notify(sb, "notify", i.notifyAny());
            notify(sb, "notify_master", i.notifyMaster());
            notify(sb, "notify_backup", i.notifyBackup());
            notify(sb, "notify_fault", i.notifyFault());
            notify(sb, "notify_stop", i.notifyStop());
        }
        for (VirtualServerGroup grp : c.virtualServerGroups().values()) {
            sb.append("\nvirtual_server_group ").append(grp.name()).append("  (").append(grp.origin()).append(")\n");
            for (VirtualServerGroup.Entry e : grp.entries()) {
                sb.append("  ").append(groupEntry(e)).append('\n');
            }
        }
        for (VirtualServer vs : c.virtualServers()) {
            sb.append("\nvirtual_server ").append(vsName(vs)).append("  (").append(vs.origin()).append(")\n");
            sb.append("  protocol ").append(vs.protocol()).append("  lb_algo ").append(vs.lbAlgo())
                    .append(flags(vs)).append("  lb_kind ").append(lbKind(vs.lbKind(), vs.tunnel())).append("  delay_loop ")
                    .append(secs(vs.delayLoop()));
            if (vs.isPersistent()) {
                sb.append("  persistence_timeout ").append(vs.persistenceTimeout())
                        .append(vs.persistenceGranularity().map(a -> " granularity " + InetText.ntop(a)).orElse(""));
            }
            sb.append('\n');
            sb.append("  quorum ").append(vs.quorum()).append("  hysteresis ").append(vs.hysteresis())
                    .append("  alpha ").append(onOff(vs.alpha())).append("  omega ").append(onOff(vs.omega()))
                    .append("  inhibit_on_failure ").append(onOff(vs.inhibitOnFailure()))
                    .append(vs.virtualhost().map(h -> "  virtualhost " + h).orElse(""))
                    .append(vs.haSuspend() ? "  ha_suspend" : "").append('\n');
            vs.anycast().ifPresent(a -> sb.append("  anycast (javalived only) on ").append(a.interfaceName())
                    .append("  table ").append(a.table()).append("  metric ").append(a.metric())
                    .append("  min_up ").append(a.minUp().toMillis() / 1000.0).append("s  hold_down ")
                    .append(a.holdDown().toMillis() / 1000.0).append("s\n"));
            vs.sorryServer().ifPresent(s -> sb.append("  sorry_server ").append(InetText.hostPort(s.address(), s.port()))
                    .append(" lb_kind ").append(lbKind(s.lvsMethod(), s.tunnel())).append(s.inhibit() ? " inhibit" : "").append('\n'));
            notify(sb, "quorum_up", vs.quorumUp());
            notify(sb, "quorum_down", vs.quorumDown());
            for (RealServer rs : vs.realServers()) {
                sb.append("  real_server ").append(InetText.hostPort(rs.address(), rs.port())).append("  weight ")
                        .append(rs.weight()).append("  lb_kind ").append(lbKind(rs.lvsMethod(), rs.tunnel()))
                        .append(rs.inhibitOnFailure() ? "  inhibit_on_failure" : "");
                if (rs.uthreshold() > 0 || rs.lthreshold() > 0) {
                    sb.append("  uthreshold ").append(rs.uthreshold()).append(" lthreshold ").append(rs.lthreshold());
                }
                sb.append('\n');
                for (CheckerConfig ch : rs.checkers()) {
                    sb.append("    ").append(checkerLine(ch)).append('\n');
                }
            }
        }
        return sb.toString();
    }

    private static void notify(StringBuilder sb, String kw, Optional<NotifyScript> s) {
        s.ifPresent(x -> sb.append("  ").append(kw).append(" \"").append(x.command()).append("\"")
                .append(x.user().map(u -> " user " + u).orElse("")).append('\n'));
    }

    static String checkerLine(CheckerConfig ch) {
        CheckerCommon c = ch.common();
        StringBuilder sb = new StringBuilder(ch.type());
        if (!(ch instanceof CheckerConfig.MiscCheck) && !(ch instanceof CheckerConfig.FileCheck)) {
            sb.append(" ").append(InetText.hostPort(c.connectIp(), c.connectPort()));
            c.bindTo().ifPresent(b -> sb.append(" bindto ").append(InetText.ntop(b)));
            sb.append(" connect_timeout ").append(secs(c.connectTimeout()));
        }
        sb.append(" retry ").append(c.retry()).append(" delay_before_retry ").append(secs(c.delayBeforeRetry()))
                .append(" delay_loop ").append(secs(c.delayLoop())).append(" warmup ").append(secs(c.warmup()));
        if (c.alpha()) {
            sb.append(" alpha");
        }
        if (ch instanceof CheckerConfig.HttpGetCheck h) {
            sb.append(" http_protocol ").append(h.httpProtocol().text());
            if (h.enableSni()) {
                sb.append(" sni ").append(h.sniName().orElse("(virtualhost)"));
            }
            for (CheckerConfig.Url u : h.urls()) {
                sb.append("\n      url ").append(u.path());
                u.digest().ifPresent(d -> sb.append(" digest ").append(d));
                sb.append(" status_code ").append(u.statusCodes());
                u.virtualhost().ifPresent(v -> sb.append(" virtualhost ").append(v));
                u.regex().ifPresent(r -> sb.append(u.regexNoMatch() ? " regex_no_match " : " regex ").append(r));
            }
        } else if (ch instanceof CheckerConfig.MiscCheck m) {
            sb.append(" misc_path \"").append(m.miscPath().command()).append("\" misc_timeout ")
                    .append(secs(m.miscTimeout())).append(m.dynamic() ? " misc_dynamic" : "");
        } else if (ch instanceof CheckerConfig.SmtpCheck s) {
            sb.append(" helo_name ").append(s.heloName().orElse("(host name)"));
        } else if (ch instanceof CheckerConfig.DnsCheck d) {
            sb.append(" type ").append(d.queryType()).append(" name ").append(d.name());
        } else if (ch instanceof CheckerConfig.UdpCheck u) {
            sb.append(" payload ").append(u.payloadHex().orElse("(random)"));
            if (u.requireReply()) {
                sb.append(" require_reply ").append(u.replyPattern().map(ReplyPattern::toString).orElse("(any)"));
            }
        } else if (ch instanceof CheckerConfig.FileCheck f) {
            sb.append(" track_file ").append(f.trackFile()).append(" weight ").append(f.weight());
        }
        return sb.toString();
    }

    private static String flags(VirtualServer vs) {
        StringBuilder sb = new StringBuilder();
        VirtualServer.SchedulerFlags f = vs.schedulerFlags();
        if (f.flag1()) {
            sb.append(" flag-1");
        }
        if (f.flag2()) {
            sb.append(" flag-2");
        }
        if (f.flag3()) {
            sb.append(" flag-3");
        }
        if (vs.ops()) {
            sb.append(" ops");
        }
        return sb.toString();
    }

    static String vsName(VirtualServer vs) {
        return switch (vs.kind()) {
            case ADDRESS -> InetText.hostPort(vs.address().orElseThrow(), vs.port());
            case FWMARK -> "fwmark " + vs.fwmark();
            case GROUP -> "group " + vs.group().orElseThrow();
        };
    }

    private static String groupEntry(VirtualServerGroup.Entry e) {
        if (e.isFwmark()) {
            return "fwmark " + e.fwmark() + e.family().map(f -> " " + f.name().toLowerCase()).orElse("");
        }
        String a = InetText.ntop(e.address().orElseThrow());
        InetAddress end = e.rangeEnd().orElseThrow();
        if (!end.equals(e.address().get())) {
            a += "-" + InetText.ntop(end);
        }
        return a + (e.port() == 0 ? "" : " " + e.port());
    }

    private static String vip(VirtualIpAddress a, VrrpInstance i) {
        return a.cidr() + " dev " + a.dev().orElse(i.interfaceName().orElse("?"))
                + a.label().map(l -> " label " + l).orElse("") + a.scope().map(s -> " scope " + s).orElse("");
    }

    private static String secs(Duration d) {
        return Json.seconds(d) + "s";
    }

    private static String onOff(boolean b) {
        return b ? "on" : "off";
    }

    // ================================================================= JSON

    static Map<String, Object> json(Path file, ConfigCheck.Verdict v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", JSON_SCHEMA_VERSION);
        m.put("file", file.toString());
        m.put("accepted", v.accepted());
        m.put("exitCode", v.exitCode());
        List<Object> errors = new ArrayList<>();
        for (ConfigException e : v.errors()) {
            errors.add(diag(e.file(), e.line(), e.keyword(), e.reason()));
        }
        List<Object> warnings = new ArrayList<>();
        for (ConfigCheck.Finding f : v.findings()) {
            if (!f.warning()) {
                errors.add(diag(f.file(), f.line(), f.keyword(), f.message()));
            }
        }
        m.put("errors", errors);
        for (ConfigWarning w : v.warnings()) {
            Map<String, Object> d = diag(w.file(), w.line(), w.keyword(), w.message());
            d.put("failsConfigTest", w.failsConfigTest());
            warnings.add(d);
        }
        for (ConfigCheck.Finding f : v.findings()) {
            if (f.warning()) {
                Map<String, Object> d = diag(f.file(), f.line(), f.keyword(), f.message());
                d.put("failsConfigTest", false);
                warnings.add(d);
            }
        }
        m.put("warnings", warnings);
        m.put("config", v.config().map(CheckSummary::config).orElse(null));
        return m;
    }

    private static Map<String, Object> diag(Path file, int line, String keyword, String message) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("file", file == null ? null : file.toString());
        d.put("line", line);
        d.put("keyword", keyword == null || keyword.isEmpty() ? null : keyword);
        d.put("message", message);
        return d;
    }

    private static Map<String, Object> config(KeepalivedConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("globalDefs", globalDefs(c.globalDefs()));
        List<Object> scripts = new ArrayList<>();
        for (VrrpScript s : c.vrrpScripts().values()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", s.name());
            o.put("script", s.script().command());
            o.put("interval", s.interval());
            o.put("timeout", s.timeout());
            o.put("weight", s.weight());
            o.put("weightReverse", s.weightReverse());
            o.put("rise", s.rise());
            o.put("fall", s.fall());
            o.put("user", s.user());
            o.put("initFail", s.initFail());
            o.put("origin", origin(s.origin()));
            scripts.add(o);
        }
        m.put("vrrpScripts", scripts);
        List<Object> groups = new ArrayList<>();
        for (VrrpSyncGroup g : c.syncGroups()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", g.name());
            o.put("members", g.members());
            o.put("trackInterfaces", trackIfs(g.trackInterfaces()));
            o.put("trackScripts", trackScripts(g.trackScripts()));
            o.put("notify", notifies(g.notifyAny(), g.notifyMaster(), g.notifyBackup(), g.notifyFault(),
                    g.notifyStop(), Optional.empty()));
            o.put("origin", origin(g.origin()));
            groups.add(o);
        }
        m.put("vrrpSyncGroups", groups);
        List<Object> instances = new ArrayList<>();
        for (VrrpInstance i : c.vrrpInstances()) {
            instances.add(instance(i));
        }
        m.put("vrrpInstances", instances);
        List<Object> vsgs = new ArrayList<>();
        for (VirtualServerGroup g : c.virtualServerGroups().values()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", g.name());
            List<Object> entries = new ArrayList<>();
            for (VirtualServerGroup.Entry e : g.entries()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("address", e.address().map(InetText::ntop));
                x.put("rangeEnd", e.rangeEnd().map(InetText::ntop));
                x.put("port", e.port());
                x.put("fwmark", e.fwmark());
                entries.add(x);
            }
            o.put("entries", entries);
            o.put("origin", origin(g.origin()));
            vsgs.add(o);
        }
        m.put("virtualServerGroups", vsgs);
        List<Object> servers = new ArrayList<>();
        for (VirtualServer vs : c.virtualServers()) {
            servers.add(virtualServer(vs));
        }
        m.put("virtualServers", servers);
        return m;
    }

    private static Map<String, Object> globalDefs(GlobalDefs g) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("routerId", g.routerId());
        o.put("notificationEmail", g.notificationEmail());
        o.put("notificationEmailFrom", g.notificationEmailFrom());
        o.put("smtpServer", g.smtpServer().map(s -> s.host() + ":" + s.port()));
        o.put("smtpConnectTimeout", g.smtpConnectTimeout());
        o.put("scriptUser", g.scriptUser());
        o.put("enableScriptSecurity", g.enableScriptSecurity());
        o.put("vrrpVersion", g.vrrpVersion());
        o.put("vrrpMcastGroup4", InetText.ntop(g.vrrpMcastGroup4()));
        o.put("vrrpMcastGroup6", InetText.ntop(g.vrrpMcastGroup6()));
        o.put("vrrpStrict", g.vrrpStrict());
        o.put("v3ChecksumAsV2", g.v3ChecksumAsV2());
        o.put("vrrpGarpMasterDelay", g.vrrpGarpMasterDelay());
        o.put("vrrpGarpMasterRepeat", g.vrrpGarpMasterRepeat());
        o.put("vrrpGarpMasterRefresh", g.vrrpGarpMasterRefresh());
        o.put("lvsFlush", g.lvsFlush());
        o.put("lvsFlushOnStop", g.lvsFlushOnStop().name());
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("tcp", g.lvsTimeouts().tcp());
        t.put("tcpfin", g.lvsTimeouts().tcpFin());
        t.put("udp", g.lvsTimeouts().udp());
        o.put("lvsTimeouts", t);
        return o;
    }

    private static Map<String, Object> instance(VrrpInstance i) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", i.name());
        o.put("state", i.initialState().name());
        o.put("interface", i.interfaceName());
        o.put("virtualRouterId", i.virtualRouterId());
        o.put("priority", i.priority());
        o.put("advertInterval", i.advertInterval());
        o.put("version", i.version());
        o.put("family", i.isIpv6() ? "inet6" : "inet");
        o.put("preempt", i.preempt());
        o.put("preemptDelay", i.preemptDelay());
        o.put("accept", i.accept());
        o.put("strictMode", i.strictMode());
        o.put("authentication", i.authentication().map(Authentication::type).map(Enum::name));
        o.put("virtualIpAddresses", vips(i.virtualIpAddresses(), i));
        o.put("virtualIpAddressesExcluded", vips(i.virtualIpAddressesExcluded(), i));
        List<Object> routes = new ArrayList<>();
        for (VirtualRoute r : i.virtualRoutes()) {
            routes.add(r.text());
        }
        o.put("virtualRoutes", routes);
        o.put("virtualRules", i.virtualRules().stream().map(io.javalived.config.model.VirtualRule::text).toList());
        o.put("unicastSrcIp", i.unicastSrcIp().map(InetText::ntop));
        List<Object> peers = new ArrayList<>();
        for (UnicastPeer p : i.unicastPeers()) {
            peers.add(InetText.ntop(p.address()));
        }
        o.put("unicastPeers", peers);
        o.put("mcastSrcIp", i.mcastSrcIp().map(InetText::ntop));
        o.put("mcastDstIp", InetText.ntop(i.mcastDstIp()));
        o.put("trackInterfaces", trackIfs(i.trackInterfaces()));
        o.put("trackScripts", trackScripts(i.trackScripts()));
        o.put("trackFiles", tracked(i.trackFiles(), TrackedFile::name, TrackedFile::weight, TrackedFile::reverse));
        o.put("notify", notifies(i.notifyAny(), i.notifyMaster(), i.notifyBackup(), i.notifyFault(), i.notifyStop(),
                i.notifyMasterRxLowerPri()));
        o.put("garpMasterDelay", i.garpMasterDelay());
        o.put("garpMasterRepeat", i.garpMasterRepeat());
        o.put("garpMasterRefresh", i.garpMasterRefresh());
        o.put("garpMasterRefreshRepeat", i.garpMasterRefreshRepeat());
        o.put("useVmac", i.useVmac());
        o.put("vmacInterface", i.vmacInterfaceName());
        o.put("dontTrackPrimary", i.dontTrackPrimary());
        o.put("origin", origin(i.origin()));
        return o;
    }

    private static List<Object> vips(List<VirtualIpAddress> list, VrrpInstance i) {
        List<Object> out = new ArrayList<>();
        for (VirtualIpAddress a : list) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("address", InetText.ntop(a.address()));
            x.put("prefixLength", a.prefixLength());
            x.put("dev", a.dev().orElse(i.interfaceName().orElse(null)));
            x.put("brd", a.broadcast().map(InetText::ntop));
            x.put("scope", a.scope());
            x.put("label", a.label());
            x.put("noTrack", a.noTrack());
            out.add(x);
        }
        return out;
    }

    private static List<Object> trackIfs(List<TrackedInterface> l) {
        return tracked(l, TrackedInterface::name, TrackedInterface::weight, TrackedInterface::reverse);
    }

    private static List<Object> trackScripts(List<TrackedScript> l) {
        return tracked(l, TrackedScript::name, TrackedScript::weight, TrackedScript::reverse);
    }

    /** track_interface / track_script / track_file entries: name, weight, reverse. */
    private static <T> List<Object> tracked(List<T> l, java.util.function.Function<T, String> name,
                                            java.util.function.ToIntFunction<T> weight,
                                            java.util.function.Predicate<T> reverse) {
        List<Object> out = new ArrayList<>();
        for (T t : l) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("name", name.apply(t));
            x.put("weight", weight.applyAsInt(t));
            x.put("reverse", reverse.test(t));
            out.add(x);
        }
        return out;
    }

    private static Map<String, Object> notifies(Optional<NotifyScript> any, Optional<NotifyScript> master,
                                                Optional<NotifyScript> backup, Optional<NotifyScript> fault,
                                                Optional<NotifyScript> stop, Optional<NotifyScript> rxLower) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("notify", any.map(NotifyScript::command));
        o.put("master", master.map(NotifyScript::command));
        o.put("backup", backup.map(NotifyScript::command));
        o.put("fault", fault.map(NotifyScript::command));
        o.put("stop", stop.map(NotifyScript::command));
        if (rxLower.isPresent()) {
            o.put("masterRxLowerPri", rxLower.get().command());
        }
        return o;
    }

    private static Map<String, Object> virtualServer(VirtualServer vs) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("kind", vs.kind().name());
        o.put("address", vs.address().map(InetText::ntop));
        o.put("port", vs.port());
        o.put("fwmark", vs.fwmark());
        o.put("group", vs.group());
        o.put("family", vs.isIpv6() ? "inet6" : "inet");
        o.put("protocol", vs.protocol().name());
        o.put("delayLoop", vs.delayLoop());
        o.put("lbAlgo", vs.lbAlgo());
        List<Object> flags = new ArrayList<>();
        if (vs.schedulerFlags().flag1()) {
            flags.add("flag-1");
        }
        if (vs.schedulerFlags().flag2()) {
            flags.add("flag-2");
        }
        if (vs.schedulerFlags().flag3()) {
            flags.add("flag-3");
        }
        o.put("schedulerFlags", flags);
        o.put("ops", vs.ops());
        o.put("lbKind", vs.lbKind().name());
        o.put("tunnel", tunnel(vs.lbKind(), vs.tunnel()));
        o.put("persistenceTimeout", vs.persistenceTimeout());
        o.put("persistenceGranularity", vs.persistenceGranularity().map(InetText::ntop));
        o.put("sorryServer", vs.sorryServer().map(s -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("address", InetText.ntop(s.address()));
            x.put("port", s.port());
            x.put("lbKind", s.lvsMethod().name());
            x.put("tunnel", tunnel(s.lvsMethod(), s.tunnel()));
            x.put("inhibit", s.inhibit());
            return x;
        }));
        o.put("quorum", vs.quorum());
        o.put("hysteresis", vs.hysteresis());
        o.put("quorumUp", vs.quorumUp().map(NotifyScript::command));
        o.put("quorumDown", vs.quorumDown().map(NotifyScript::command));
        o.put("alpha", vs.alpha());
        o.put("omega", vs.omega());
        o.put("inhibitOnFailure", vs.inhibitOnFailure());
        o.put("virtualhost", vs.virtualhost());
        o.put("haSuspend", vs.haSuspend());
        List<Object> reals = new ArrayList<>();
        for (RealServer rs : vs.realServers()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("address", InetText.ntop(rs.address()));
            x.put("port", rs.port());
            x.put("weight", rs.weight());
            x.put("lbKind", rs.lvsMethod().name());
            x.put("tunnel", tunnel(rs.lvsMethod(), rs.tunnel()));
            x.put("inhibitOnFailure", rs.inhibitOnFailure());
            x.put("notifyUp", rs.notifyUp().map(NotifyScript::command));
            x.put("notifyDown", rs.notifyDown().map(NotifyScript::command));
            x.put("uthreshold", rs.uthreshold());
            x.put("lthreshold", rs.lthreshold());
            List<Object> checkers = new ArrayList<>();
            for (CheckerConfig ch : rs.checkers()) {
                checkers.add(checker(ch));
            }
            x.put("checkers", checkers);
            x.put("origin", origin(rs.origin()));
            reals.add(x);
        }
        o.put("realServers", reals);
        o.put("origin", origin(vs.origin()));
        return o;
    }

    private static Map<String, Object> checker(CheckerConfig ch) {
        CheckerCommon c = ch.common();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("type", ch.type());
        o.put("connectIp", InetText.ntop(c.connectIp()));
        o.put("connectPort", c.connectPort());
        o.put("bindTo", c.bindTo().map(InetText::ntop));
        o.put("bindPort", c.bindPort());
        o.put("connectTimeout", c.connectTimeout());
        o.put("retry", c.retry());
        o.put("delayBeforeRetry", c.delayBeforeRetry());
        o.put("warmup", c.warmup());
        o.put("delayLoop", c.delayLoop());
        o.put("alpha", c.alpha());
        if (ch instanceof CheckerConfig.HttpGetCheck h) {
            o.put("httpProtocol", h.httpProtocol().text());
            o.put("enableSni", h.enableSni());
            o.put("sniName", h.sniName());
            List<Object> urls = new ArrayList<>();
            for (CheckerConfig.Url u : h.urls()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("path", u.path());
                x.put("digest", u.digest());
                List<Object> codes = new ArrayList<>();
                for (StatusCodes.Range r : u.statusCodes()) {
                    codes.add(r.toString());
                }
                x.put("statusCodes", codes);
                x.put("regex", u.regex());
                x.put("regexNoMatch", u.regexNoMatch());
                x.put("virtualhost", u.virtualhost());
                urls.add(x);
            }
            o.put("urls", urls);
        } else if (ch instanceof CheckerConfig.MiscCheck m) {
            o.put("miscPath", m.miscPath().command());
            o.put("miscTimeout", m.miscTimeout());
            o.put("miscDynamic", m.dynamic());
            o.put("user", m.user());
        } else if (ch instanceof CheckerConfig.SmtpCheck s) {
            o.put("heloName", s.heloName());
        } else if (ch instanceof CheckerConfig.DnsCheck d) {
            o.put("queryType", d.queryType());
            o.put("name", d.name());
        } else if (ch instanceof CheckerConfig.UdpCheck u) {
            o.put("payload", u.payloadHex());
            o.put("requireReply", u.requireReply());
            o.put("replyPattern", u.replyPattern().map(ReplyPattern::toString));
            o.put("minReplyLength", u.minReplyLength());
            o.put("maxReplyLength", u.maxReplyLength());
        } else if (ch instanceof CheckerConfig.FileCheck f) {
            o.put("trackFile", f.trackFile());
            o.put("weight", f.weight());
            o.put("reverse", f.reverse());
            o.put("dynamic", f.dynamic());
        }
        return o;
    }

    private static Map<String, Object> origin(Origin o) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("file", o.file().toString());
        x.put("line", o.line());
        return x;
    }

    /** "TUN type gue port 6080 csum" as written in the configuration; NAT, DR and TUN (ipip) as they are. */
    static String lbKind(io.javalived.config.model.LvsMethod m, io.javalived.config.model.Tunnel t) {
        return m == io.javalived.config.model.LvsMethod.TUN && t != null && !t.equals(io.javalived.config.model.Tunnel.IPIP)
                ? "TUN type " + t : m.name();
    }

    /** The tunnel of a TUN server for --json (absent otherwise). */
    static Optional<String> tunnel(io.javalived.config.model.LvsMethod m, io.javalived.config.model.Tunnel t) {
        return m == io.javalived.config.model.LvsMethod.TUN && t != null ? Optional.of(t.toString()) : Optional.empty();
    }
}
