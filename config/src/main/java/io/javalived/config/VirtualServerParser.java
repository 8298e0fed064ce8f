package io.javalived.config;

import io.javalived.inet.InetText;
import io.javalived.inet.Protocol;
import io.javalived.config.Values.BadValue;
import io.javalived.config.model.Anycast;
import io.javalived.config.model.GlobalDefs;
import io.javalived.config.model.LvsMethod;
import io.javalived.config.model.Tunnel;
import io.javalived.config.model.NotifyScript;
import io.javalived.config.model.RealServer;
import io.javalived.config.model.SorryServer;
import io.javalived.config.model.VirtualServer;
import io.javalived.config.model.VirtualServerGroup;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * virtual_server (keepalived's check_parser.c): scheduler, forwarding method, persistence, sorry server, quorum and
 * the settings its real servers and checkers inherit; its real_server blocks are read by {@link RealServerParser}.
 * Defaults and cross-checks (family, ports, quorum against the total weight) are resolved when it is built.
 */
final class VirtualServerParser extends LvsBlockParser {
    private final RealServerParser realServers;
    private final List<VsDraft> drafts = new ArrayList<>();

    VirtualServerParser(ParseContext cx) {
        super(cx);
        realServers = new RealServerParser(cx);
    }

    /** The virtual servers read, with the defaults of {@code g}. */
    List<VirtualServer> build(GlobalDefs g) {
        List<VirtualServer> servers = new ArrayList<>();
        for (VsDraft d : drafts) {
            try {
                VirtualServer built = d.build(g);
                if (built != null) {
                    servers.add(built);
                }
            } catch (ConfigException e) {
                cx.errors.add(e);
            }
        }
        return servers;
    }

    private static final Set<String> SCHEDULERS = Set.of("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh",
            "sed", "nq", "fo", "ovf", "mh", "twos");

    final class VsDraft {
        ConfigNode node;
        VirtualServer.Kind kind;
        InetAddress address;
        int port;
        boolean portGiven;
        int fwmark;
        String group;
        Protocol protocol;
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
        Forward sorryMethod;
        boolean sorryInhibit;
        long quorum = 1;
        long hysteresis;
        Optional<NotifyScript> quorumUp = Optional.empty();
        Optional<NotifyScript> quorumDown = Optional.empty();
        boolean omega;
        boolean haSuspend;
        Boolean smtpAlert;
        VirtualServer.IpFamily ipFamily;
        Inherit inherit = new Inherit();
        int defaultWeight = 1;
        List<RealServerParser.RsDraft> reals = new ArrayList<>();
        Anycast anycast;
        ConfigNode anycastNode;

        String describe() {
            return switch (kind) {
                case ADDRESS -> "virtual server " + InetText.ntop(address) + ":" + port;
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
            base.tunnel = Tunnel.IPIP;
            if (anycast != null) {
                if (kind != VirtualServer.Kind.ADDRESS) {
                    throw err(anycastNode, "anycast needs a virtual server with an address (" + describe()
                            + " has none to announce): use virtual_server ADDRESS PORT");
                }
                if (sched == null) {
                    // the directors must agree on the real server of a flow: Maglev hashing on address and port
                    sched = "mh";
                    f1 = true;
                    f2 = true;
                } else if (!sched.equals("mh")) {
                    cx.warnings.add(new ConfigWarning(anycastNode.file, anycastNode.line, "anycast", "Anycast "
                            + describe() + " has lb_algo " + sched + ": directors will send one flow to"
                            + " different real servers; use lb_algo mh with mh-port (the default for anycast)", false));
                }
            }
            if (sched == null) {
                cx.warnings.add(new ConfigWarning(node.file, node.line, "lb_algo",
                        "Virtual server " + describe() + ": no scheduler set, setting default 'wlc'"));
                sched = "wlc";
            }
            if (inherit.method == null) {
                cx.warnings.add(new ConfigWarning(node.file, node.line, "lb_kind",
                        "Virtual server " + describe() + ": no forwarding method set, setting default NAT"));
            }
            if (protocol == null) {
                if (kind != VirtualServer.Kind.FWMARK) {
                    cx.warnings.add(new ConfigWarning(node.file, node.line, "protocol",
                            "Virtual server " + describe() + ": no protocol set - defaulting to UDP"));
                }
                protocol = kind == VirtualServer.Kind.FWMARK ? Protocol.TCP : Protocol.UDP;
            }
            Inherit vs = inherit.over(base);
            // family
            VirtualServer.IpFamily fam;
            if (kind == VirtualServer.Kind.ADDRESS) {
                fam = Values.isV6(address) ? VirtualServer.IpFamily.INET6 : VirtualServer.IpFamily.INET;
                if (ipFamily != null && ipFamily != fam) {
                    cx.warnings.add(new ConfigWarning(node.file, node.line, "ip_family", "Virtual server specified family "
                            + ipFamily.name().toLowerCase(Locale.ROOT) + " conflicts with server family"));
                }
            } else if (ipFamily != null) {
                fam = ipFamily;
            } else {
                fam = null;
            }
            if (kind == VirtualServer.Kind.GROUP) {
                VirtualServerGroup grp = cx.vsGroups.get(group);
                if (grp == null) {
                    cx.warnings.add(new ConfigWarning(node.file, node.line, "group", "virtual server group " + group
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
                throw err(node, "virtual server " + InetText.ntop(address)
                        + " has no port: a port may only be omitted for a persistent service (persistence_timeout)");
            }
            if (granularity.isPresent() && persist == 0) {
                cx.warnings.add(new ConfigWarning(node.file, node.line, "persistence_granularity",
                        "persistence_granularity set without persistence_timeout - ignored", false));
            }
            Optional<SorryServer> sorry = Optional.empty();
            if (sorryAddr != null) {
                LvsMethod m = sorryMethod != null ? sorryMethod.method() : vs.method;
                Tunnel tun = sorryMethod != null && sorryMethod.tunnel() != null ? sorryMethod.tunnel() : vs.tunnel;
                if (m != LvsMethod.TUN && Values.isV6(sorryAddr) != (fam == VirtualServer.IpFamily.INET6)) {
                    throw err(node, "sorry server " + InetText.ntop(sorryAddr)
                            + " is not of the virtual server's address family");
                }
                if (m != LvsMethod.NAT && kind == VirtualServer.Kind.ADDRESS && sorryPort != 0 && sorryPort != port) {
                    cx.warnings.add(new ConfigWarning(node.file, node.line, "sorry_server", "WARNING - " + describe()
                            + " and sorry server ports don't match - resetting"));
                    sorryPort = port;
                }
                sorry = Optional.of(new SorryServer(sorryAddr, sorryPort == 0 ? port : sorryPort, m, tun, sorryInhibit));
            }
            List<RealServer> rs = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (RealServerParser.RsDraft r : reals) {
                RealServer built = r.build(this, vs, fam, g);
                if (!seen.add(InetText.ntop(built.address()) + "/" + built.port())) {
                    throw err(r.node, "real server " + built.displayName() + " is defined twice in this virtual server");
                }
                rs.add(built);
            }
            long total = 0;
            for (RealServer r : rs) {
                total += r.weight();
            }
            if (hysteresis >= quorum) {
                cx.warnings.add(new ConfigWarning(node.file, node.line, "hysteresis", "Virtual server " + describe()
                        + ": hysteresis " + hysteresis + " >= quorum " + quorum + "; setting hysteresis to 0"));
                hysteresis = 0;
            }
            if (ops && protocol != Protocol.UDP) {
                cx.warnings.add(new ConfigWarning(node.file, node.line, "ops", "Virtual server " + describe()
                        + ": one packet scheduling requires UDP - resetting"));
                ops = false;
            }
            if (quorum > total) {
                cx.warnings.add(new ConfigWarning(node.file, node.line, "quorum", "Warning - quorum " + quorum
                        + " for " + describe() + " exceeds total weight of real servers " + total));
            }
            Optional<String> vh = Optional.ofNullable(inherit.virtualhost);
            return new VirtualServer(kind, Optional.ofNullable(address), port, fwmark, Optional.ofNullable(group),
                    fam, protocol, vs.delayLoop, sched, new VirtualServer.SchedulerFlags(f1, f2, f3), ops, vs.method, vs.tunnel,
                    persist, granularity, engine, sorry, sorryInhibit, (int) Math.min(quorum, Integer.MAX_VALUE),
                    (int) Math.min(hysteresis, Integer.MAX_VALUE), quorumUp, quorumDown, vs.alpha, omega,
                    vs.inhibit, vh, haSuspend, smtpAlert != null ? smtpAlert : g.smtpAlertChecker().or(g::smtpAlert).orElse(false), rs,
                    origin(node), Optional.ofNullable(anycast));
        }
    }

    /** Reads one virtual_server block and its real servers (defaults and checks when built). */
    void parse(ConfigNode n) throws ConfigException {
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
        drafts.add(d);
        each(n, "virtual_server", s -> {
            if (!s.keyword.equals("real_server") && !s.keyword.equals("anycast")) {
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
                        throw err(s, "Invalid lvs_scheduler '" + v + "' (one of " + String.join("|", new TreeSet<>(SCHEDULERS)) + ")");
                    }
                    d.sched = v;
                }
                case "lb_kind", "lvs_method" -> {
                    Forward f = lvsMethod(s);
                    d.inherit.method = f.method();
                    if (f.tunnel() != null) {
                        d.inherit.tunnel = f.tunnel();
                    }
                }
                case "flag-1" -> d.f1 = true;
                case "flag-2" -> d.f2 = true;
                case "flag-3" -> d.f3 = true;
                case "sh-fallback", "sh-port", "mh-fallback", "mh-port", "hashed" -> {
                    // keepalived 2.2.7: sh-* only with lb_algo sh (so far), mh-* only with mh; anything else,
                    // hashed included, is reported with its text
                    String sched = d.sched == null ? "" : d.sched;
                    if (sched.equals("sh") || sched.equals("mh")) {
                        if (s.keyword.equals(sched + "-fallback")) {
                            d.f1 = true;
                        } else if (s.keyword.equals(sched + "-port")) {
                            d.f2 = true;
                        }
                    } else {
                        warn(s, s.keyword + " only applies to sh scheduler - ignoring");
                    }
                }
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
                        case "TCP" -> Protocol.TCP;
                        case "UDP" -> Protocol.UDP;
                        case "SCTP" -> Protocol.SCTP;
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
                    Forward m = lvsMethod(s);
                    if (d.sorryAddr == null) {
                        warn(s, "sorry_server forwarding used without sorry_server");
                    } else {
                        d.sorryMethod = m;
                    }
                }
                case "inhibit_on_failure" -> d.inherit.inhibit = true;
                case "real_server" -> realServers.parse(s, d);
                case "anycast" -> anycast(s, d);
                case "snmp_name" -> ignored(s);
                default -> unknown(s);
            }
        });
    }

    /** javalived extension: {@code anycast { interface NAME  table N  metric N  min_up S  hold_down S }}. */
    private void anycast(ConfigNode n, VsDraft d) throws ConfigException {
        if (d.anycast != null) {
            throw err(n, "anycast given twice in " + d.describe() + ": keep one block");
        }
        extension(n);
        String[] iface = {Anycast.DEFAULT_INTERFACE};
        int[] table = {Anycast.DEFAULT_TABLE};
        long[] metric = {0};
        Duration[] minUp = {Anycast.DEFAULT_MIN_UP};
        Duration[] holdDown = {Anycast.DEFAULT_HOLD_DOWN};
        if (n.hasBlock()) {
            each(n, "virtual_server/anycast", s -> {
                noBlock(s);
                if (KeywordCatalog.lookup("virtual_server/anycast", s.keyword).isPresent()) {
                    extension(s);
                }
                switch (s.keyword) {
                    case "interface" -> {
                        String v = arg(s, 0);
                        if (v.isEmpty() || v.length() > 15 || v.contains("/") || v.contains(" ")) {
                            throw err(s, "invalid interface name '" + v + "' (1 to 15 characters, no '/')");
                        }
                        iface[0] = v;
                    }
                    case "table" -> {
                        table[0] = intArg(s, 0, 1, Integer.MAX_VALUE);
                        if (table[0] >= 253 && table[0] <= 255) {
                            throw err(s, "anycast table " + table[0] + " is the kernel's default, main or local"
                                    + " table: use a table of its own (e.g. 100)");
                        }
                    }
                    case "metric" -> metric[0] = longArg(s, 0, 0, 4294967295L);
                    case "min_up" -> minUp[0] = timerArg(s, 0, 0, 3600);
                    case "hold_down" -> holdDown[0] = timerArg(s, 0, 0, 3600);
                    default -> unknown(s);
                }
            });
        }
        d.anycast = new Anycast(iface[0], table[0], metric[0], minUp[0], holdDown[0]);
        d.anycastNode = n;
    }

    /** The catalogue's words for a javalived extension, flagged as failing keepalived -t (as it would). */
    private void extension(ConfigNode s) {
        String path = s.keyword.equals("anycast") ? "virtual_server" : "virtual_server/anycast";
        KeywordCatalog.lookup(path, s.keyword).ifPresent(e -> cx.warnings.add(
                new ConfigWarning(s.file, s.line, s.keyword, e.message(), true)));
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
}
