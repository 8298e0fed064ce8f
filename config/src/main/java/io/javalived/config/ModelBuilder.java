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
final class ModelBuilder extends BlockParser {
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
    private final List<VsDraft> vsDrafts = new ArrayList<>();
    final List<VirtualIpAddress> staticAddresses = new ArrayList<>();
    final List<VirtualRoute> staticRoutes = new ArrayList<>();

    ModelBuilder(List<ConfigWarning> warnings, List<ConfigException> errors) {
        super(new ParseContext(warnings, errors));
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

    /** Settings inherited virtual_server → real_server → checker (null = not set at this level). */
    private static final class Inherit {
        Duration connectTimeout;
        Integer retry;
        Duration delayBeforeRetry;
        Duration warmup;
        Duration delayLoop;
        Boolean alpha;
        Boolean inhibit;
        String virtualhost;
        LvsMethod method;

        Inherit over(Inherit parent) {
            Inherit r = new Inherit();
            r.connectTimeout = connectTimeout != null ? connectTimeout : parent.connectTimeout;
            r.retry = retry != null ? retry : parent.retry;
            r.delayBeforeRetry = delayBeforeRetry != null ? delayBeforeRetry : parent.delayBeforeRetry;
            r.warmup = warmup != null ? warmup : parent.warmup;
            r.delayLoop = delayLoop != null ? delayLoop : parent.delayLoop;
            r.alpha = alpha != null ? alpha : parent.alpha;
            r.inhibit = inhibit != null ? inhibit : parent.inhibit;
            r.virtualhost = virtualhost != null ? virtualhost : parent.virtualhost;
            r.method = method != null ? method : parent.method;
            return r;
        }
    }

    /** Handles a keyword shared by virtual_server, real_server and checkers; false when not one of them. */
    private boolean inheritable(ConfigNode s, Inherit in) throws ConfigException {
        switch (s.keyword) {
            case "connect_timeout" -> in.connectTimeout = timerArg(s, 0, 0.000001, 4294.967295);
            case "retry" -> in.retry = intArg(s, 0, 1, Integer.MAX_VALUE);
            case "delay_before_retry" -> in.delayBeforeRetry = timerArg(s, 0, 0, 1.8446744073709E13);
            case "warmup" -> in.warmup = timerArg(s, 0, 0, 1.8446744073709E13);
            case "delay_loop" -> in.delayLoop = timerArg(s, 0, 0.000001, 1.8446744073709E13);
            case "alpha" -> in.alpha = boolArg(s);
            default -> {
                return false;
            }
        }
        return true;
    }

    private LvsMethod lvsMethod(ConfigNode s) throws ConfigException {
        String v = arg(s, 0);
        if ((v.equals("NAT") || v.equals("DR")) && s.args.size() > 1) {
            warn(s, "Invalid tunnel option " + s.args.get(1) + " for virtual server.");
        }
        return switch (v) {
            case "NAT" -> LvsMethod.NAT;
            case "DR" -> LvsMethod.DR;
            case "TUN" -> {
                String tunType = "ipip";
                for (int i = 1; i < s.args.size(); i++) {
                    String k = s.args.get(i);
                    switch (k) {
                        case "type" -> {
                            String t = argAt(s, s.args, ++i);
                            tunType = t;
                            if (t.equals("gue")) {
                                if (i + 1 < s.args.size() && s.args.get(i + 1).equals("port")) {
                                    i++;
                                    String pv = argAt(s, s.args, ++i);
                                    try {
                                        Values.parseInt(pv, 1, 65535);
                                    } catch (BadValue b) {
                                        throw err(s, "invalid gue port '" + pv + "'");
                                    }
                                } else {
                                    throw err(s, "tunnel type gue needs 'port NUM'");
                                }
                            } else if (!t.equals("ipip") && !t.equals("gre")) {
                                throw err(s, "unknown tunnel type '" + t + "' (ipip|gue|gre)");
                            }
                        }
                        case "nocsum", "csum", "remcsum" -> {
                            String tt = tunType;
                            if (tt.equals("ipip") && !k.equals("nocsum")) {
                                warn(s, "ipip tunnels do not support checksum option.");
                            } else if (tt.equals("gre") && k.equals("remcsum")) {
                                warn(s, "gre tunnels do not support remote checksum option.");
                            }
                        }
                        default -> throw err(s, "unknown tunnel option '" + k + "'");
                    }
                }
                yield LvsMethod.TUN;
            }
            default -> throw err(s, "PARSER : unknown [" + v + "] routing method (NAT|DR|TUN)");
        };
    }

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

    /** keepalived ignores a /suffix on virtual and real server addresses (with a note from us). */
    private InetAddress addressIgnoringSuffix(ConfigNode n, String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return Values.tryAddress(text);
        }
        if (text.indexOf('-', slash) >= 0) {
            return null;
        }
        InetAddress a = Values.tryAddress(text.substring(0, slash));
        if (a != null) {
            note(n, "'" + text.substring(slash) + "' after address " + text.substring(0, slash) + " is ignored");
        }
        return a;
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
        List<CheckerDraft> checkers = new ArrayList<>();

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
            for (CheckerDraft c : checkers) {
                CheckerConfig built = c.build(this, p, eff, g);
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
                        "UDP_CHECK", "FILE_CHECK" -> checker(s, r);
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

    private final class CheckerDraft {
        ConfigNode node;
        String type;
        Inherit inherit = new Inherit();
        Optional<InetAddress> connectIp = Optional.empty();
        Integer connectPort;
        Optional<InetAddress> bindTo = Optional.empty();
        int bindPort;
        Optional<String> bindIf = Optional.empty();
        Boolean logAll;
        int fwmark;
        // HTTP
        List<CheckerConfig.Url> urls = new ArrayList<>();
        List<UrlDraft> urlDrafts = new ArrayList<>();
        String httpProtocol = "1.0";
        boolean enableSni;
        Optional<String> sniName = Optional.empty();
        boolean fastRecovery;
        // MISC
        NotifyScript miscPath;
        Duration miscTimeout;
        boolean miscDynamic;
        Optional<String> user = Optional.empty();
        Optional<String> group = Optional.empty();
        // SMTP
        Optional<String> helo = Optional.empty();
        // DNS
        String dnsType = "SOA";
        String dnsName = ".";
        // UDP
        Optional<String> payload = Optional.empty();
        boolean requireReply;
        Optional<String> replyPattern = Optional.empty();
        int minReply = 0;
        int maxReply = 255;
        // FILE
        String trackFile;
        boolean trackFileMissing;
        Integer fileWeight;
        boolean fileReverse;
        boolean fileDynamic;

        CheckerConfig build(RsDraft rs, int rsPort, Inherit rsEff, GlobalDefs g) throws ConfigException {
            Inherit eff = inherit.over(rsEff);
            int retryDefault = switch (type) {
                case "DNS_CHECK" -> 3;
                case "MISC_CHECK" -> 0;
                default -> 1;
            };
            Duration dbrDefault = switch (type) {
                case "HTTP_GET", "SSL_GET" -> Duration.ofSeconds(3);
                case "DNS_CHECK" -> eff.delayLoop;
                default -> Duration.ofSeconds(1);
            };
            InetAddress ip = connectIp.orElse(rs.address);
            if (bindTo.isPresent() && Values.isV6(bindTo.get()) != Values.isV6(ip)) {
                warnings.add(new ConfigWarning(node.file, node.line, "bindto", "bindto address "
                        + InetText.of(bindTo.get()) + " does not match address family of connect_ip - skipping"));
                bindTo = Optional.empty();
            }
            int port = connectPort != null ? connectPort : rsPort;
            if (port == 0 && (type.equals("TCP_CHECK") || type.equals("HTTP_GET") || type.equals("SSL_GET")
                    || type.equals("SMTP_CHECK") || type.equals("UDP_CHECK"))) {
                // keepalived's defaults for a port-less real server
                port = switch (type) {
                    case "HTTP_GET" -> 80;
                    case "SSL_GET" -> 443;
                    case "SMTP_CHECK" -> 25;
                    default -> 0;
                };
                if (port == 0) {
                    throw err(node, type + " for real server " + InetText.of(rs.address)
                            + " has no port: set connect_port or the real server's port");
                }
            }
            if (type.equals("DNS_CHECK") && port == 0) {
                port = 53;
            }
            CheckerCommon common = new CheckerCommon(ip, port, bindTo, bindPort, bindIf, eff.connectTimeout,
                    eff.retry != null ? eff.retry : retryDefault,
                    eff.delayBeforeRetry != null ? eff.delayBeforeRetry : dbrDefault,
                    eff.warmup != null ? eff.warmup : eff.delayLoop, eff.delayLoop, eff.alpha,
                    logAll != null ? logAll : g.checkerLogAllFailures(), fwmark, origin(node));
            switch (type) {
                case "TCP_CHECK":
                    return new CheckerConfig.TcpCheck(common);
                case "HTTP_GET":
                case "SSL_GET": {
                    if (urlDrafts.isEmpty()) {
                        throw err(node, type + " has no url { path ... } - nothing to check");
                    }
                    List<CheckerConfig.Url> us = new ArrayList<>();
                    String vh = inherit.virtualhost != null ? inherit.virtualhost : rsEff.virtualhost;
                    for (UrlDraft u : urlDrafts) {
                        us.add(u.build(vh));
                    }
                    return new CheckerConfig.HttpGetCheck(common, type.equals("SSL_GET"), us, httpProtocol, enableSni,
                            sniName, Optional.ofNullable(vh), fastRecovery);
                }
                case "MISC_CHECK":
                    if (miscPath == null) {
                        throw err(node, "MISC_CHECK has no misc_path");
                    }
                    return new CheckerConfig.MiscCheck(common, miscPath,
                            miscTimeout != null ? miscTimeout : eff.delayLoop, miscDynamic, user, group);
                case "PING_CHECK":
                    return new CheckerConfig.PingCheck(common);
                case "SMTP_CHECK":
                    return new CheckerConfig.SmtpCheck(common, helo.isPresent() ? helo : g.smtpHeloName());
                case "DNS_CHECK":
                    return new CheckerConfig.DnsCheck(common, dnsType, dnsName);
                case "UDP_CHECK":
                    if (minReply > maxReply) {
                        throw err(node, "min_reply_length " + minReply + " is greater than max_reply_length " + maxReply);
                    }
                    return new CheckerConfig.UdpCheck(common, payload, requireReply, replyPattern, minReply, maxReply);
                case "FILE_CHECK": {
                    if (trackFile == null || trackFileMissing) {
                        if (trackFileMissing) {
                            return null;
                        }
                        throw err(node, "FILE_CHECK has no track_file");
                    }
                    TrackFile tf = trackFiles.get(trackFile);
                    if (tf == null) {
                        throw err(node, "FILE_CHECK track_file " + trackFile + " is not defined");
                    }
                    return new CheckerConfig.FileCheck(common, trackFile, fileWeight != null ? fileWeight : tf.weight(),
                            fileWeight != null ? fileReverse : tf.weightReverse(), fileDynamic);
                }
                default:
                    throw err(node, "unknown checker " + type);
            }
        }
    }

    private final class UrlDraft {
        ConfigNode node;
        String path;
        Optional<String> digest = Optional.empty();
        List<CheckerConfig.StatusRange> codes = new ArrayList<>();
        Optional<String> regex = Optional.empty();
        boolean regexNoMatch;
        String virtualhost;

        CheckerConfig.Url build(String inheritedVh) throws ConfigException {
            if (path == null) {
                throw err(node, "url has no path");
            }
            List<CheckerConfig.StatusRange> c = codes.isEmpty()
                    ? List.of(new CheckerConfig.StatusRange(200, 299)) : codes;
            return new CheckerConfig.Url(path, digest, c, regex, regexNoMatch,
                    Optional.ofNullable(virtualhost != null ? virtualhost : inheritedVh));
        }
    }

    private void checker(ConfigNode n, RsDraft rs) throws ConfigException {
        CheckerDraft c = new CheckerDraft();
        c.node = n;
        c.type = n.keyword;
        extraArgs(n, 0);
        if (!needBlock(n)) {
            return;
        }
        rs.checkers.add(c);
        boolean misc = c.type.equals("MISC_CHECK");
        boolean file = c.type.equals("FILE_CHECK");
        each(n, s -> {
            if (!s.keyword.equals("url") && !s.keyword.equals("host")) {
                noBlock(s);
            }
            if (!file && (s.keyword.equals("retry") || s.keyword.equals("nb_get_retry")
                    && (c.type.equals("HTTP_GET") || c.type.equals("SSL_GET")))) {
                // keepalived 2.2.7: a checker's retry may be 0 (no retry), unlike the virtual/real server default
                // (>= 1); HTTP_GET/SSL_GET still take the old name, with a warning
                if (s.keyword.equals("nb_get_retry")) {
                    warn(s, "nb_get_retry is deprecated - please use 'retry'");
                }
                c.inherit.retry = intArg(s, 0, 0, Integer.MAX_VALUE);
                return;
            }
            if (!file && inheritable(s, c.inherit)) {
                return;
            }
            if (!misc && !file) {
                switch (s.keyword) {
                    case "connect_ip" -> {
                        c.connectIp = Optional.of(addrArg(s, 0));
                        return;
                    }
                    case "connect_port" -> {
                        c.connectPort = intArg(s, 0, 1, 65535);
                        return;
                    }
                    case "bindto" -> {
                        c.bindTo = Optional.of(addrArg(s, 0));
                        return;
                    }
                    case "bind_port" -> {
                        c.bindPort = intArg(s, 0, 1, 65535);
                        return;
                    }
                    case "bind_if" -> {
                        c.bindIf = Optional.of(arg(s, 0));
                        return;
                    }
                    case "fwmark" -> {
                        c.fwmark = (int) longArg(s, 0, 0, 4294967295L);
                        return;
                    }
                    case "log_all_failures" -> {
                        c.logAll = boolArg(s);
                        return;
                    }
                    default -> { }
                }
            }
            switch (c.type) {
                case "HTTP_GET", "SSL_GET" -> httpKeyword(s, c);
                case "MISC_CHECK" -> {
                    switch (s.keyword) {
                        case "misc_path" -> {
                            c.miscPath = scriptArg(s, 0);
                            scriptsUsed.add(new ParseContext.ScriptUse(c.miscPath, origin(s)));
                        }
                        case "misc_timeout" -> {
                            int t = intArg(s, 0, 0, Integer.MAX_VALUE);
                            c.miscTimeout = t == 0 ? null : Duration.ofSeconds(t); // 0: the default (delay_loop)
                        }
                        case "misc_dynamic" -> c.miscDynamic = true;
                        case "user" -> {
                            c.user = Optional.of(arg(s, 0));
                            c.group = s.args.size() > 1 ? Optional.of(s.args.get(1)) : Optional.empty();
                        }
                        case "warmup", "log_all_failures" -> ignored(s);
                        default -> unknown(s);
                    }
                }
                case "SMTP_CHECK" -> {
                    switch (s.keyword) {
                        case "helo_name" -> c.helo = Optional.of(arg(s, 0));
                        case "host" -> {
                            note(s, "SMTP_CHECK host { } blocks are deprecated; the first is used as connect_ip/port");
                            hostBlock(s, c);
                        }
                        default -> unknown(s);
                    }
                }
                case "DNS_CHECK" -> {
                    switch (s.keyword) {
                        case "type" -> {
                            String t = arg(s, 0).toUpperCase(Locale.ROOT);
                            if (!Set.of("A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA").contains(t)) {
                                throw err(s, "unknown DNS query type '" + s.args.get(0) + "' (A|NS|CNAME|SOA|MX|TXT|AAAA)");
                            }
                            c.dnsType = t;
                        }
                        case "name" -> c.dnsName = arg(s, 0);
                        default -> unknown(s);
                    }
                }
                case "UDP_CHECK" -> {
                    switch (s.keyword) {
                        case "payload" -> c.payload = Optional.of(hex(s, String.join(" ", s.args), false));
                        case "require_reply" -> {
                            c.requireReply = true;
                            c.replyPattern = s.args.isEmpty() ? Optional.empty()
                                    : Optional.of(hex(s, String.join(" ", s.args), true));
                        }
                        case "min_reply_length" -> c.minReply = intArg(s, 0, 0, 65535);
                        case "max_reply_length" -> c.maxReply = intArg(s, 0, 0, 65535);
                        default -> unknown(s);
                    }
                }
                case "FILE_CHECK" -> {
                    switch (s.keyword) {
                        case "track_file", "file" -> {
                            c.trackFile = arg(s, 0);
                            if (!trackFiles.containsKey(c.trackFile)) {
                                warn(s, "track_file " + c.trackFile + " not found (it must be defined before use)");
                                c.trackFileMissing = true;
                            }
                        }
                        case "weight" -> {
                            c.fileWeight = intArg(s, 0, -2147483647, 2147483647);
                            c.fileReverse = s.args.size() > 1 && s.args.get(1).equals("reverse");
                        }
                        case "dynamic" -> c.fileDynamic = true;
                        default -> unknown(s);
                    }
                }
                default -> unknown(s);
            }
        });
    }

    private void hostBlock(ConfigNode h, CheckerDraft c) {
        if (!needBlock(h)) {
            return;
        }
        each(h, s -> {
            noBlock(s);
            switch (s.keyword) {
                case "connect_ip" -> {
                    InetAddress a = addrArg(s, 0);
                    c.connectIp = c.connectIp.isPresent() ? c.connectIp : Optional.of(a);
                }
                case "connect_port" -> {
                    int p = intArg(s, 0, 1, 65535);
                    c.connectPort = c.connectPort != null ? c.connectPort : p;
                }
                case "bindto" -> c.bindTo = Optional.of(addrArg(s, 0));
                case "bind_port" -> c.bindPort = intArg(s, 0, 1, 65535);
                case "connect_timeout" -> c.inherit.connectTimeout = timerArg(s, 0, 0.000001, 1.8446744073709E13);
                default -> unknown(s);
            }
        });
    }

    /** keepalived's free-form hex: groups of digits; an odd group's last digit is a low nibble. */
    private String hex(ConfigNode s, String text, boolean allowX) throws ConfigException {
        StringBuilder out = new StringBuilder();
        for (String group : text.trim().split("\\s+")) {
            if (group.isEmpty()) {
                continue;
            }
            for (int i = 0; i < group.length(); i++) {
                char ch = Character.toLowerCase(group.charAt(i));
                boolean ok = Character.digit(ch, 16) >= 0 || allowX && ch == 'x';
                if (!ok) {
                    throw err(s, "invalid hex string '" + text + "'");
                }
            }
            String g = group.toLowerCase(Locale.ROOT);
            if (g.length() % 2 == 1) {
                g = g.substring(0, g.length() - 1) + "0" + g.charAt(g.length() - 1);
            }
            out.append(g);
        }
        if (out.length() == 0) {
            throw err(s, "empty hex string");
        }
        return out.toString();
    }

    private void httpKeyword(ConfigNode s, CheckerDraft c) throws ConfigException {
        switch (s.keyword) {
            case "url" -> {
                if (!needBlock(s)) {
                    return;
                }
                UrlDraft u = new UrlDraft();
                u.node = s;
                each(s, k -> {
                    noBlock(k);
                    switch (k.keyword) {
                        case "path" -> u.path = arg(k, 0);
                        case "digest" -> {
                            String dg = arg(k, 0);
                            if (!dg.matches("[0-9a-fA-F]{32}")) {
                                throw err(k, "digest '" + dg + "' is not an MD5 digest (32 hex digits)");
                            }
                            if (u.digest.isPresent()) {
                                warn(k, "Digest '" + dg + "' is a duplicate");
                            }
                            u.digest = Optional.of(dg.toLowerCase(Locale.ROOT));
                        }
                        case "status_code" -> {
                            if (k.args.isEmpty()) {
                                note(k, "status_code without codes - ignored (default 200-299)");
                            }
                            for (String v : k.args) {
                                u.codes.add(statusRange(k, v));
                            }
                        }
                        case "regex" -> {
                            String re = arg(k, 0);
                            try {
                                java.util.regex.Pattern.compile(re);
                            } catch (java.util.regex.PatternSyntaxException e) {
                                note(k, "regex '" + re + "' does not compile as a Java regex (" + e.getDescription()
                                        + "): this url check will fail");
                            }
                            u.regex = Optional.of(re);
                        }
                        case "regex_no_match" -> u.regexNoMatch = true;
                        case "virtualhost" -> u.virtualhost = arg(k, 0);
                        case "regex_options", "regex_stack", "regex_min_offset", "regex_max_offset" -> ignored(k);
                        default -> unknown(k);
                    }
                });
                c.urlDrafts.add(u);
            }
            case "http_protocol" -> {
                String v = arg(s, 0);
                if (!v.equals("1.0") && !v.equals("1.1") && !v.equals("1.0C") && !v.equals("1.0c")) {
                    throw err(s, "unknown http_protocol '" + v + "' (1.0|1.0C|1.1)");
                }
                c.httpProtocol = v.toUpperCase(Locale.ROOT);
            }
            case "virtualhost" -> c.inherit.virtualhost = arg(s, 0);
            case "enable_sni" -> c.enableSni = boolArg(s);
            case "sni_name" -> {
                c.sniName = Optional.of(arg(s, 0));
                c.enableSni = true;
                warn(s, "'sni_name' is a javalived extension: keepalived 2.2.7 reports it as an unknown keyword"
                        + " (it sends the virtualhost as SNI when enable_sni is set)");
            }
            case "fast_recovery" -> c.fastRecovery = boolArg(s);
            default -> unknown(s);
        }
    }

    private CheckerConfig.StatusRange statusRange(ConfigNode k, String v) throws ConfigException {
        try {
            int dash = v.indexOf('-', 1);
            if (dash > 0) {
                int a = Values.parseInt(v.substring(0, dash), 100, 999);
                int b = Values.parseInt(v.substring(dash + 1), 100, 999);
                if (b < a) {
                    throw new BadValue("empty range");
                }
                return new CheckerConfig.StatusRange(a, b);
            }
            int a = Values.parseInt(v, 100, 999);
            return new CheckerConfig.StatusRange(a, a);
        } catch (BadValue e) {
            throw err(k, "invalid status_code '" + v + "' (100..999 or a range like 200-299)");
        }
    }
}
