package io.javalived.config;

import io.javalived.config.Values.BadValue;
import io.javalived.config.model.Authentication;
import io.javalived.config.model.CheckerCommon;
import io.javalived.config.model.CheckerConfig;
import io.javalived.config.model.GlobalDefs;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.config.model.LvsMethod;
import io.javalived.config.model.NotifyScript;
import io.javalived.config.model.Origin;
import io.javalived.config.model.RealServer;
import io.javalived.config.model.SorryServer;
import io.javalived.config.model.TrackFile;
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
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the statement tree into the typed model: checks every value as keepalived does, resolves defaults and
 * inheritance, and cross-checks references (track_script names, sync group members, virtual server groups).
 * Errors are collected (reading goes on, as keepalived's does) and reported together.
 */
final class ModelBuilder extends LvsBlockParser {
    private final List<ConfigWarning> warnings = cx.warnings;
    private final List<ConfigException> errors = cx.errors;
    private final Map<String, TrackFile> trackFiles = cx.trackFiles;
    private final Map<String, VirtualServerGroup> vsGroups = cx.vsGroups;
    private final List<ParseContext.ScriptUse> scriptsUsed = cx.scriptsUsed;
    private final Set<String> bfdInstances = cx.bfdInstances;

    private final GlobalDefsParser global = new GlobalDefsParser(cx);
    private final TrackParser track = new TrackParser(cx);
    private final IpBlockParser ip = new IpBlockParser(cx);
    private final SyncGroupParser syncGroups = new SyncGroupParser(cx, track);
    private final VrrpInstanceParser instances = new VrrpInstanceParser(cx, track, ip);
    private final VirtualServerGroupParser vsGroupParser = new VirtualServerGroupParser(cx);
    private final Map<String, CheckerParser> checkers = new HashMap<>();
    private final List<VsDraft> vsDrafts = new ArrayList<>();
    final List<VirtualIpAddress> staticAddresses = new ArrayList<>();
    final List<VirtualRoute> staticRoutes = new ArrayList<>();

    ModelBuilder(List<ConfigWarning> warnings, List<ConfigException> errors) {
        super(new ParseContext(warnings, errors));
        for (CheckerParser p : List.of(new TcpCheckParser(cx), new HttpGetCheckParser(cx, false),
                new HttpGetCheckParser(cx, true), new MiscCheckParser(cx), new PingCheckParser(cx),
                new SmtpCheckParser(cx), new DnsCheckParser(cx), new UdpCheckParser(cx), new FileCheckParser(cx))) {
            checkers.put(p.type, p);
        }
    }

    /** Interfaces the configuration names, with where (for the interface-existence check). */
    Map<String, Origin> interfacesNamed() {
        return cx.interfacesNamed;
    }

    /** Scripts the configuration would run, with where (for the script-security check). */
    List<ParseContext.ScriptUse> scriptsUsed() {
        return cx.scriptsUsed;
    }

    /** Every script_user line (keepalived checks each one). */
    List<ParseContext.UserRef> scriptUsers() {
        return cx.scriptUsers;
    }

    private static final Set<String> TOP_IGNORED = Set.of(
            "net_namespace", "net_namespace_ipvs", "namespace_with_ipsets", "instance", "use_pid_dir",
            "linkbeat_use_polling", "child_wait_time", "static_ipaddress", "static_routes", "static_rules",
            "linkbeat_interfaces", "garp_group", "vrrp_track_process", "bfd_instance", "SSL", "track_group",
            "static_track_group", "interface_up_down_delays");

    KeepalivedConfig build(List<ConfigNode> top) {
        ConfigNode root = new ConfigNode("", List.of(), null, 0);
        root.children = top;
        for (ConfigNode n : top) {
            if (n.keyword.equals("bfd_instance") && !n.args.isEmpty()) {
                cx.bfdInstances.add(n.args.get(0));
            }
        }
        // one pass in file order: like keepalived, a vrrp_script or track_file must be defined before it is used
        each(root, n -> {
            cx.topSeq++;
            switch (n.keyword) {
                case "global_defs" -> {
                    if (needBlock(n)) {
                        global.parse(n);
                    }
                }
                case "vrrp_script", "vrrp_track_script" -> track.vrrpScript(n);
                case "track_file", "vrrp_track_file" -> track.trackFile(n);
                case "vrrp_sync_group" -> syncGroups.parse(n);
                case "vrrp_instance" -> instances.parse(n);
                case "virtual_server_group" -> vsGroupParser.parse(n);
                case "virtual_server" -> virtualServer(n);
                case "static_ipaddress" -> {
                    List<VirtualIpAddress> l = new ArrayList<>();
                    ip.vipBlock(n, l, new ArrayList<>());
                    staticAddresses.addAll(l);
                }
                case "static_routes" -> ip.routeBlock(n, staticRoutes);
                case "static_rules" -> ip.ruleBlock(n);
                default -> {
                    if (TOP_IGNORED.contains(n.keyword)) {
                        ignored(n);
                    } else {
                        unknown(n);
                    }
                }
            }
        });
        GlobalDefs g = global.build();
        List<VrrpInstance> vrrp = instances.build(g);
        Set<String> names = new HashSet<>();
        for (VrrpInstance i : vrrp) {
            names.add(i.name());
        }
        List<VrrpSyncGroup> groups = syncGroups.build(names);
        List<VirtualServer> servers = new ArrayList<>();
        for (VsDraft d : vsDrafts) {
            try {
                VirtualServer built = d.build(g);
                if (built != null) {
                    servers.add(built);
                }
            } catch (ConfigException e) {
                errors.add(e);
            }
        }
        return new KeepalivedConfig(g, cx.scripts, cx.trackFiles, groups, vrrp, cx.vsGroups, servers);
    }

    // ============================================================== virtual_server

    private static final Set<String> SCHEDULERS = Set.of("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh",
            "sed", "nq", "fo", "ovf", "mh", "twos");

    private final class VsDraft {
        ConfigNode node;
        VirtualServer.Kind kind;
        InetAddress address;
        int port;
        boolean portGiven;
        int fwmark;
        String group;
        VirtualServer.Protocol protocol;
        String sched;
        boolean f1;
        boolean f2;
        boolean f3;
        boolean ops;
        Integer persistence;
        Optional<InetAddress> granularity = Optional.empty();
        Optional<String> engine = Optional.empty();
        InetAddress sorryAddr;
        int sorryPort;
        LvsMethod sorryMethod;
        boolean sorryInhibit;
        long quorum = 1;
        long hysteresis;
        Optional<NotifyScript> quorumUp = Optional.empty();
        Optional<NotifyScript> quorumDown = Optional.empty();
        boolean omega;
        boolean haSuspend;
        boolean smtpAlert;
        VirtualServer.IpFamily ipFamily;
        Inherit inherit = new Inherit();
        int defaultWeight = 1;
        List<RsDraft> reals = new ArrayList<>();

        String describe() {
            return switch (kind) {
                case ADDRESS -> "virtual server " + InetText.of(address) + ":" + port;
                case FWMARK -> "virtual server FWM " + fwmark;
                case GROUP -> "virtual server group " + group;
            };
        }

        VirtualServer build(GlobalDefs g) throws ConfigException {
            Inherit base = new Inherit();
            base.delayLoop = Duration.ofSeconds(60);
            base.connectTimeout = Duration.ofSeconds(5);
            base.alpha = false;
            base.inhibit = false;
            base.method = LvsMethod.NAT;
            if (sched == null) {
                warnings.add(new ConfigWarning(node.file, node.line, "lb_algo",
                        "Virtual server " + describe() + ": no scheduler set, setting default 'wlc'"));
                sched = "wlc";
            }
            if (inherit.method == null) {
                warnings.add(new ConfigWarning(node.file, node.line, "lb_kind",
                        "Virtual server " + describe() + ": no forwarding method set, setting default NAT"));
            }
            if (protocol == null) {
                if (kind != VirtualServer.Kind.FWMARK) {
                    warnings.add(new ConfigWarning(node.file, node.line, "protocol",
                            "Virtual server " + describe() + ": no protocol set - defaulting to UDP"));
                }
                protocol = kind == VirtualServer.Kind.FWMARK ? VirtualServer.Protocol.TCP : VirtualServer.Protocol.UDP;
            }
            Inherit vs = inherit.over(base);
            // family
            VirtualServer.IpFamily fam;
            if (kind == VirtualServer.Kind.ADDRESS) {
                fam = Values.isV6(address) ? VirtualServer.IpFamily.INET6 : VirtualServer.IpFamily.INET;
                if (ipFamily != null && ipFamily != fam) {
                    warnings.add(new ConfigWarning(node.file, node.line, "ip_family", "Virtual server specified family "
                            + ipFamily.name().toLowerCase(Locale.ROOT) + " conflicts with server family"));
                }
            } else if (ipFamily != null) {
                fam = ipFamily;
            } else {
                fam = null;
            }
            if (kind == VirtualServer.Kind.GROUP) {
                VirtualServerGroup grp = vsGroups.get(group);
                if (grp == null) {
                    warnings.add(new ConfigWarning(node.file, node.line, "group", "virtual server group " + group
                            + " is not defined - this virtual server is ignored", false));
                    return null;
                }
                for (VirtualServerGroup.Entry en : grp.entries()) {
                    if (en.address().isPresent() && fam == null) {
                        fam = Values.isV6(en.address().get()) ? VirtualServer.IpFamily.INET6 : VirtualServer.IpFamily.INET;
                    }
                }
            }
            if (fam == null && !reals.isEmpty()) {
                fam = Values.isV6(reals.get(0).address) ? VirtualServer.IpFamily.INET6 : VirtualServer.IpFamily.INET;
            }
            if (fam == null) {
                fam = VirtualServer.IpFamily.INET;
            }
            int persist = persistence == null ? 0 : persistence;
            if (kind == VirtualServer.Kind.ADDRESS && port == 0 && persist == 0) {
                throw err(node, "virtual server " + InetText.of(address)
                        + " has no port: a port may only be omitted for a persistent service (persistence_timeout)");
            }
            if (granularity.isPresent() && persist == 0) {
                warnings.add(new ConfigWarning(node.file, node.line, "persistence_granularity",
                        "persistence_granularity set without persistence_timeout - ignored", false));
            }
            Optional<SorryServer> sorry = Optional.empty();
            if (sorryAddr != null) {
                LvsMethod m = sorryMethod != null ? sorryMethod : vs.method;
                if (m != LvsMethod.TUN && Values.isV6(sorryAddr) != (fam == VirtualServer.IpFamily.INET6)) {
                    throw err(node, "sorry server " + InetText.of(sorryAddr)
                            + " is not of the virtual server's address family");
                }
                if (m != LvsMethod.NAT && kind == VirtualServer.Kind.ADDRESS && sorryPort != 0 && sorryPort != port) {
                    warnings.add(new ConfigWarning(node.file, node.line, "sorry_server", "WARNING - " + describe()
                            + " and sorry server ports don't match - resetting"));
                    sorryPort = port;
                }
                sorry = Optional.of(new SorryServer(sorryAddr, sorryPort == 0 ? port : sorryPort, m, sorryInhibit));
            }
            List<RealServer> rs = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (RsDraft r : reals) {
                RealServer built = r.build(this, vs, fam, g);
                if (!seen.add(InetText.of(built.address()) + "/" + built.port())) {
                    throw err(r.node, "real server " + built.displayName() + " is defined twice in this virtual server");
                }
                rs.add(built);
            }
            long total = 0;
            for (RealServer r : rs) {
                total += r.weight();
            }
            if (hysteresis >= quorum) {
                warnings.add(new ConfigWarning(node.file, node.line, "hysteresis", "Virtual server " + describe()
                        + ": hysteresis " + hysteresis + " >= quorum " + quorum + "; setting hysteresis to 0"));
                hysteresis = 0;
            }
            if (ops && protocol != VirtualServer.Protocol.UDP) {
                warnings.add(new ConfigWarning(node.file, node.line, "ops", "Virtual server " + describe()
                        + ": one packet scheduling requires UDP - resetting"));
                ops = false;
            }
            if (quorum > total) {
                warnings.add(new ConfigWarning(node.file, node.line, "quorum", "Warning - quorum " + quorum
                        + " for " + describe() + " exceeds total weight of real servers " + total));
            }
            Optional<String> vh = Optional.ofNullable(inherit.virtualhost);
            return new VirtualServer(kind, Optional.ofNullable(address), port, fwmark, Optional.ofNullable(group),
                    fam, protocol, vs.delayLoop, sched, new VirtualServer.SchedulerFlags(f1, f2, f3), ops, vs.method,
                    persist, granularity, engine, sorry, sorryInhibit, (int) Math.min(quorum, Integer.MAX_VALUE),
                    (int) Math.min(hysteresis, Integer.MAX_VALUE), quorumUp, quorumDown, vs.alpha, omega,
                    vs.inhibit, vh, haSuspend, smtpAlert || g.smtpAlertChecker().orElse(g.smtpAlert()), rs,
                    origin(node));
        }
    }

    private void virtualServer(ConfigNode n) throws ConfigException {
        VsDraft d = new VsDraft();
        d.node = n;
        String first = arg(n, 0);
        if (first.equals("fwmark")) {
            d.kind = VirtualServer.Kind.FWMARK;
            d.fwmark = (int) longArg(n, 1, 1, 4294967295L);
            extraArgs(n, 2);
        } else if (first.equals("group")) {
            d.kind = VirtualServer.Kind.GROUP;
            d.group = arg(n, 1);
            extraArgs(n, 2);
        } else {
            d.kind = VirtualServer.Kind.ADDRESS;
            InetAddress a = addressIgnoringSuffix(n, first);
            if (a == null) {
                throw err(n, "invalid virtual server address '" + first + "'");
            }
            d.address = a;
            if (n.args.size() > 1) {
                d.port = portArg(n, 1);
                d.portGiven = true;
            }
            extraArgs(n, 2);
        }
        if (!needBlock(n)) {
            return;
        }
        vsDrafts.add(d);
        each(n, s -> {
            if (!s.keyword.equals("real_server")) {
                noBlock(s);
            }
            if (s.keyword.equals("alpha")) {
                d.inherit.alpha = true; // a flag at virtual_server level (keepalived ignores any value)
                return;
            }
            if (inheritable(s, d.inherit)) {
                return;
            }
            switch (s.keyword) {
                case "weight" -> d.defaultWeight = intArg(s, 0, 1, Integer.MAX_VALUE);
                case "lb_algo", "lvs_sched" -> {
                    String v = arg(s, 0);
                    if (!SCHEDULERS.contains(v)) {
                        throw err(s, "Invalid lvs_scheduler '" + v + "' (one of " + String.join("|", new java.util.TreeSet<>(SCHEDULERS)) + ")");
                    }
                    d.sched = v;
                }
                case "lb_kind", "lvs_method" -> d.inherit.method = lvsMethod(s);
                case "flag-1", "sh-fallback", "mh-fallback" -> d.f1 = true;
                case "flag-2", "sh-port", "mh-port" -> d.f2 = true;
                case "flag-3" -> d.f3 = true;
                case "ops" -> d.ops = true;
                case "persistence_timeout" -> d.persistence = s.args.isEmpty() ? 360 : intArg(s, 0, 1, 2678400);
                case "persistence_granularity" -> d.granularity = Optional.of(granularity(s));
                case "persistence_engine" -> d.engine = Optional.of(arg(s, 0));
                case "protocol" -> {
                    String v = arg(s, 0);
                    if (d.kind == VirtualServer.Kind.FWMARK) {
                        warn(s, "Virtual server FWM " + d.fwmark + ": protocol specified for fwmark - protocol will be ignored");
                    }
                    d.protocol = switch (v.toUpperCase(Locale.ROOT)) {
                        case "TCP" -> VirtualServer.Protocol.TCP;
                        case "UDP" -> VirtualServer.Protocol.UDP;
                        case "SCTP" -> VirtualServer.Protocol.SCTP;
                        default -> throw err(s, "Unknown protocol " + v + " (TCP|UDP|SCTP)");
                    };
                }
                case "ha_suspend" -> d.haSuspend = true;
                case "smtp_alert" -> d.smtpAlert = boolArg(s);
                case "virtualhost" -> {
                    if (s.args.isEmpty()) {
                        throw err(s, "virtual server virtualhost missing");
                    }
                    d.inherit.virtualhost = s.args.get(0);
                }
                case "omega" -> d.omega = true;
                case "quorum" -> d.quorum = longArg(s, 0, 1, 4294967295L);
                case "hysteresis" -> d.hysteresis = longArg(s, 0, 0, 4294967295L);
                case "quorum_up" -> d.quorumUp = onceScript(s, d.quorumUp, "quorum_up");
                case "quorum_down" -> d.quorumDown = onceScript(s, d.quorumDown, "quorum_down");
                case "ip_family" -> {
                    String v = arg(s, 0);
                    d.ipFamily = switch (v) {
                        case "inet" -> VirtualServer.IpFamily.INET;
                        case "inet6" -> VirtualServer.IpFamily.INET6;
                        default -> throw err(s, "unknown ip_family '" + v + "' (inet|inet6)");
                    };
                }
                case "sorry_server" -> {
                    d.sorryAddr = addrArg(s, 0);
                    d.sorryPort = s.args.size() > 1 ? portArg(s, 1) : 0;
                }
                case "sorry_server_inhibit" -> {
                    if (d.sorryAddr == null) {
                        warn(s, "Ignoring sorry_server inhibit used before or without sorry_server");
                    } else {
                        d.sorryInhibit = boolArg(s);
                    }
                }
                case "sorry_server_lvs_method" -> {
                    LvsMethod m = lvsMethod(s);
                    if (d.sorryAddr == null) {
                        warn(s, "sorry_server forwarding used without sorry_server");
                    } else {
                        d.sorryMethod = m;
                    }
                }
                case "inhibit_on_failure" -> d.inherit.inhibit = true;
                case "real_server" -> realServer(s, d);
                case "snmp_name" -> ignored(s);
                default -> unknown(s);
            }
        });
    }

    private InetAddress granularity(ConfigNode s) throws ConfigException {
        String v = arg(s, 0);
        InetAddress a = Values.tryAddress(v);
        if (a != null) {
            return a;
        }
        try {
            int len = Values.parseInt(v, 0, 128);
            byte[] b = new byte[len > 32 ? 16 : 4];
            for (int bit = 0; bit < len; bit++) {
                b[bit / 8] |= (byte) (0x80 >> (bit % 8));
            }
            return InetAddress.getByAddress(b);
        } catch (BadValue | java.net.UnknownHostException e) {
            throw err(s, "invalid persistence_granularity '" + v + "' (netmask or prefix length)");
        }
    }

    // ============================================================== real_server and checkers

    private final class RsDraft {
        ConfigNode node;
        InetAddress address;
        Integer port;
        Integer weight;
        Optional<NotifyScript> up = Optional.empty();
        Optional<NotifyScript> down = Optional.empty();
        long uthreshold;
        long lthreshold;
        boolean smtpAlert;
        Inherit inherit = new Inherit();
        List<CheckerParser.Draft> checkers = new ArrayList<>();

        RealServer build(VsDraft vsd, Inherit vs, VirtualServer.IpFamily fam, GlobalDefs g) throws ConfigException {
            Inherit eff = inherit.over(vs);
            int p = port != null && port != 0 ? port : vsd.port;
            if (port != null && port != 0 && eff.method != LvsMethod.NAT) {
                if (vsd.kind == VirtualServer.Kind.ADDRESS && port != vsd.port) {
                    warn(node, "WARNING - virtual server " + InetText.of(vsd.address) + ":" + vsd.port
                            + " and real server " + InetText.of(address) + ":" + port
                            + " ports don't match - resetting (" + eff.method + " cannot change the port)");
                    p = vsd.port;
                } else if (vsd.kind == VirtualServer.Kind.FWMARK) {
                    warn(node, "WARNING - fwmark virtual server " + vsd.fwmark + ", real server "
                            + InetText.of(address) + ":" + port + " has port specified - port will be ignored");
                } else if (vsd.kind == VirtualServer.Kind.GROUP && vsGroups.containsKey(vsd.group)) {
                    for (VirtualServerGroup.Entry en : vsGroups.get(vsd.group).entries()) {
                        if (en.isFwmark() || en.port() != port) {
                            warn(node, "virtual server group " + vsd.group + " and real server "
                                    + InetText.of(address) + ":" + port + " ports don't match");
                            break;
                        }
                    }
                }
            }
            if (eff.method != LvsMethod.TUN && Values.isV6(address) != (fam == VirtualServer.IpFamily.INET6)) {
                throw err(node, "real server " + InetText.of(address)
                        + " is not of the virtual server's address family (only tunnelled real servers may differ)");
            }
            List<CheckerConfig> cs = new ArrayList<>();
            for (CheckerParser.Draft c : checkers) {
                CheckerConfig built = c.build(address, p, eff, g);
                if (built != null) {
                    cs.add(built);
                }
            }
            return new RealServer(address, p, weight != null ? weight : vsd.defaultWeight, eff.method, eff.inhibit, up, down,
                    (int) Math.min(uthreshold, Integer.MAX_VALUE), (int) Math.min(lthreshold, Integer.MAX_VALUE),
                    Optional.ofNullable(eff.virtualhost), eff.alpha, smtpAlert || g.smtpAlertChecker().orElse(true),
                    cs, origin(node));
        }
    }

    private void realServer(ConfigNode n, VsDraft vs) throws ConfigException {
        RsDraft r = new RsDraft();
        r.node = n;
        r.address = addressIgnoringSuffix(n, arg(n, 0));
        if (r.address == null) {
            throw err(n, "invalid real server address '" + n.args.get(0) + "'");
        }
        if (n.args.size() > 1) {
            r.port = portArg(n, 1);
        }
        extraArgs(n, 2);
        vs.reals.add(r);
        each(n, s -> {
            if (!CHECKERS.contains(s.keyword)) {
                noBlock(s);
            }
            if (inheritable(s, r.inherit)) {
                return;
            }
            switch (s.keyword) {
                case "weight" -> r.weight = intArg(s, 0, 0, Integer.MAX_VALUE);
                case "lvs_method", "lb_kind" -> r.inherit.method = lvsMethod(s);
                case "inhibit_on_failure" -> r.inherit.inhibit = boolArg(s);
                case "notify_up" -> r.up = onceScript(s, r.up, "notify_up");
                case "notify_down" -> r.down = onceScript(s, r.down, "notify_down");
                case "uthreshold" -> r.uthreshold = longArg(s, 0, 0, 4294967295L);
                case "lthreshold" -> r.lthreshold = longArg(s, 0, 0, 4294967295L);
                case "smtp_alert" -> r.smtpAlert = boolArg(s);
                case "virtualhost" -> r.inherit.virtualhost = arg(s, 0);
                case "snmp_name" -> ignored(s);
                case "TCP_CHECK", "HTTP_GET", "SSL_GET", "MISC_CHECK", "PING_CHECK", "SMTP_CHECK", "DNS_CHECK",
                        "UDP_CHECK", "FILE_CHECK" -> checkers.get(s.keyword).parse(s, r.checkers);
                case "BFD_CHECK" -> {
                    String name = null;
                    for (ConfigNode b : s.block()) {
                        if (b.keyword.equals("name") && !b.args.isEmpty()) {
                            name = b.args.get(0);
                        }
                    }
                    if (name == null || !bfdInstances.contains(name)) {
                        warn(s, "BFD_CHECK - BFD " + name + " not configured");
                    } else {
                        ignored(s);
                    }
                }
                default -> unknown(s);
            }
        });
    }

    private static final Set<String> CHECKERS = Set.of("TCP_CHECK", "HTTP_GET", "SSL_GET", "MISC_CHECK", "PING_CHECK",
            "SMTP_CHECK", "DNS_CHECK", "UDP_CHECK", "FILE_CHECK", "BFD_CHECK");
}
