package io.javalived.config;

import io.javalived.inet.InetText;
import io.javalived.config.model.CheckerConfig;
import io.javalived.config.model.GlobalDefs;
import io.javalived.config.model.LvsMethod;
import io.javalived.config.model.NotifyScript;
import io.javalived.config.model.RealServer;
import io.javalived.config.model.VirtualServer;
import io.javalived.config.model.VirtualServerGroup;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * real_server (keepalived's check_parser.c): weight, forwarding method, notify_up/down, thresholds and the settings
 * its checkers inherit; each checker block is read by the parser of its type ({@link CheckerParser}).
 */
final class RealServerParser extends LvsBlockParser {
    private final Map<String, CheckerParser> checkerParsers = new HashMap<>();

    RealServerParser(ParseContext cx) {
        super(cx);
        for (CheckerParser p : List.of(new TcpCheckParser(cx), new HttpGetCheckParser(cx, false),
                new HttpGetCheckParser(cx, true), new MiscCheckParser(cx), new PingCheckParser(cx),
                new SmtpCheckParser(cx), new DnsCheckParser(cx), new UdpCheckParser(cx), new FileCheckParser(cx))) {
            checkerParsers.put(p.type, p);
        }
    }

    final class RsDraft {
        ConfigNode node;
        InetAddress address;
        Integer port;
        Integer weight;
        Optional<NotifyScript> up = Optional.empty();
        Optional<NotifyScript> down = Optional.empty();
        long uthreshold;
        long lthreshold;
        Boolean smtpAlert;
        Inherit inherit = new Inherit();
        List<CheckerParser.Draft> checkers = new ArrayList<>();

        RealServer build(VirtualServerParser.VsDraft vsd, Inherit vs, VirtualServer.IpFamily fam, GlobalDefs g) throws ConfigException {
            Inherit eff = inherit.over(vs);
            int p = port != null && port != 0 ? port : vsd.port;
            if (port != null && port != 0 && eff.method != LvsMethod.NAT) {
                if (vsd.kind == VirtualServer.Kind.ADDRESS && port != vsd.port) {
                    warn(node, "WARNING - virtual server " + InetText.ntop(vsd.address) + ":" + vsd.port
                            + " and real server " + InetText.ntop(address) + ":" + port
                            + " ports don't match - resetting (" + eff.method + " cannot change the port)");
                    p = vsd.port;
                } else if (vsd.kind == VirtualServer.Kind.FWMARK) {
                    warn(node, "WARNING - fwmark virtual server " + vsd.fwmark + ", real server "
                            + InetText.ntop(address) + ":" + port + " has port specified - port will be ignored");
                } else if (vsd.kind == VirtualServer.Kind.GROUP && cx.vsGroups.containsKey(vsd.group)) {
                    for (VirtualServerGroup.Entry en : cx.vsGroups.get(vsd.group).entries()) {
                        if (en.isFwmark() || en.port() != port) {
                            warn(node, "virtual server group " + vsd.group + " and real server "
                                    + InetText.ntop(address) + ":" + port + " ports don't match");
                            break;
                        }
                    }
                }
            }
            if (eff.method != LvsMethod.TUN && Values.isV6(address) != (fam == VirtualServer.IpFamily.INET6)) {
                throw err(node, "real server " + InetText.ntop(address)
                        + " is not of the virtual server's address family (only tunnelled real servers may differ)");
            }
            List<CheckerConfig> cs = new ArrayList<>();
            for (CheckerParser.Draft c : checkers) {
                CheckerConfig built = c.build(address, p, eff, g);
                if (built != null) {
                    cs.add(built);
                }
            }
            return new RealServer(address, p, weight != null ? weight : vsd.defaultWeight, eff.method, eff.tunnel, eff.inhibit, up, down,
                    (int) Math.min(uthreshold, Integer.MAX_VALUE), (int) Math.min(lthreshold, Integer.MAX_VALUE),
                    Optional.ofNullable(eff.virtualhost), eff.alpha, smtpAlert != null ? smtpAlert
                            : g.smtpAlertChecker().or(g::smtpAlert).orElse(true),
                    cs, origin(node));
        }
    }

    /** Reads one real_server block of the virtual server {@code vs} (built with it). */
    void parse(ConfigNode n, VirtualServerParser.VsDraft vs) throws ConfigException {
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
        each(n, "virtual_server/real_server", s -> {
            if (!CHECKERS.contains(s.keyword)) {
                noBlock(s);
            }
            if (inheritable(s, r.inherit)) {
                return;
            }
            switch (s.keyword) {
                case "weight" -> r.weight = intArg(s, 0, 0, Integer.MAX_VALUE);
                case "lvs_method" -> {
                    Forward f = lvsMethod(s);
                    r.inherit.method = f.method();
                    if (f.tunnel() != null) {
                        r.inherit.tunnel = f.tunnel();
                    }
                }
                case "inhibit_on_failure" -> r.inherit.inhibit = boolArg(s);
                case "notify_up" -> r.up = onceScript(s, r.up, "notify_up");
                case "notify_down" -> r.down = onceScript(s, r.down, "notify_down");
                case "uthreshold" -> r.uthreshold = longArg(s, 0, 0, 4294967295L);
                case "lthreshold" -> r.lthreshold = longArg(s, 0, 0, 4294967295L);
                case "smtp_alert" -> r.smtpAlert = boolArg(s);
                case "virtualhost" -> r.inherit.virtualhost = arg(s, 0);
                case "snmp_name" -> ignored(s);
                case "TCP_CHECK", "HTTP_GET", "SSL_GET", "MISC_CHECK", "PING_CHECK", "SMTP_CHECK", "DNS_CHECK",
                        "UDP_CHECK", "FILE_CHECK" -> checkerParsers.get(s.keyword).parse(s, r.checkers);
                case "BFD_CHECK" -> {
                    String name = null;
                    for (ConfigNode b : s.block()) {
                        if (b.keyword.equals("name") && !b.args.isEmpty()) {
                            name = b.args.get(0);
                        }
                    }
                    if (name == null || !cx.bfdInstances.contains(name)) {
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
