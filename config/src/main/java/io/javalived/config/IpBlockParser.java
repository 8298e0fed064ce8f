package io.javalived.config;

import io.javalived.inet.InetText;
import io.javalived.config.Values.BadValue;
import io.javalived.config.model.UnicastPeer;
import io.javalived.config.model.VirtualIpAddress;
import io.javalived.config.model.VirtualRoute;
import io.javalived.config.model.VirtualRule;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The address value blocks (keepalived's vrrp_parser.c and vrrp_ipaddress.c / vrrp_iproute.c / vrrp_iprule.c):
 * virtual_ipaddress[_excluded] and static_ipaddress, virtual_routes and static_routes, virtual_rules and
 * static_rules, unicast_peer.
 */
final class IpBlockParser extends BlockParser {
    IpBlockParser(ParseContext cx) {
        super(cx);
    }

    void vipBlock(ConfigNode n, List<VirtualIpAddress> out, List<ConfigNode> nodes) {
        if (!valueBlock(n)) {
            return;
        }
        each(n, e -> {
            noBlock(e);
            out.add(vip(e));
            nodes.add(e);
        });
    }

    private static final Set<String> SCOPES = Set.of("site", "link", "host", "nowhere", "global");

    /** ADDR[/LEN] [brd X] [dev X] [scope X] [label X] [peer X] [flags...]. */
    private VirtualIpAddress vip(ConfigNode e) throws ConfigException {
        String text = e.keyword;
        String addrPart = text;
        Integer len = null;
        int slash = text.indexOf('/');
        if (slash >= 0) {
            addrPart = text.substring(0, slash);
        }
        InetAddress a = Values.tryAddress(addrPart);
        if (a == null) {
            throw err(e, "VRRP parsed invalid IP " + text + " (expected ADDRESS[/PREFIX])");
        }
        int max = Values.isV6(a) ? 128 : 32;
        if (slash >= 0) {
            try {
                len = Values.parseInt(text.substring(slash + 1), 0, max);
            } catch (BadValue b) {
                throw err(e, "invalid address prefix length in " + text + " (0.." + max + ")");
            }
        }
        Optional<InetAddress> brd = Optional.empty();
        Optional<String> dev = Optional.empty();
        Optional<String> scope = Optional.empty();
        Optional<String> label = Optional.empty();
        Optional<InetAddress> peer = Optional.empty();
        boolean noTrack = false;
        boolean noPrefixRoute = false;
        boolean useVmac = false;
        List<String> args = e.args;
        for (int i = 0; i < args.size(); i++) {
            String k = args.get(i);
            switch (k) {
                case "brd", "broadcast" -> {
                    String v = argAt(e, args, ++i);
                    if (!v.equals("+") && !v.equals("-")) {
                        InetAddress b = Values.tryAddress(v);
                        if (b == null || Values.isV6(b)) {
                            throw err(e, "invalid broadcast address '" + v + "' for " + text);
                        }
                        brd = Optional.of(b);
                    }
                }
                case "dev" -> {
                    String d = argAt(e, args, ++i);
                    dev = Optional.of(d);
                    cx.interfacesNamed.putIfAbsent(d, origin(e));
                }
                case "scope" -> {
                    String s = argAt(e, args, ++i);
                    if (!SCOPES.contains(s)) {
                        try {
                            Values.parseInt(s, 0, 255);
                        } catch (BadValue b) {
                            throw err(e, "invalid scope '" + s + "' (site|link|host|nowhere|global|0..255)");
                        }
                    }
                    scope = Optional.of(s);
                }
                case "label" -> {
                    String l = argAt(e, args, ++i);
                    if (l.length() > 15) {
                        throw err(e, "label '" + l + "' is longer than 15 characters");
                    }
                    label = Optional.of(l);
                }
                case "peer" -> {
                    String v = argAt(e, args, ++i);
                    InetAddress p = Values.tryAddress(v);
                    if (p == null) {
                        throw err(e, "invalid peer address '" + v + "'");
                    }
                    peer = Optional.of(p);
                }
                case "no_track" -> noTrack = true;
                case "noprefixroute" -> noPrefixRoute = true;
                case "use_vmac" -> {
                    useVmac = true;
                    note(e, "'use_vmac' on an address is not acted upon by javalived: " + text
                            + " gets no VMAC interface of its own (use_vmac on the vrrp_instance is implemented)");
                }
                case "home", "-nodad", "nodad", "mngtmpaddr", "autojoin" -> { }
                case "preferred_lft" -> {
                    String v = argAt(e, args, ++i);
                    if (!v.equals("forever")) {
                        try {
                            Values.parseLong(v, 0, 4294967295L);
                        } catch (BadValue b) {
                            throw err(e, "invalid preferred_lft '" + v + "'");
                        }
                    }
                }
                case "track_group" -> argAt(e, args, ++i);
                default -> throw err(e, "Unknown configuration entry '" + k + "' for ip address " + text);
            }
        }
        if (peer.isPresent() && len != null) {
            warn(e, "Cannot specify address prefix when specifying peer address - ignoring");
        }
        return new VirtualIpAddress(a, len == null ? max : len, brd, dev, scope, label, peer, noTrack,
                noPrefixRoute, useVmac);
    }

    /** Route options javalived refuses (keepalived accepts them): the reason after the option name. */
    private static final Map<String, String> ROUTE_REFUSED = Map.ofEntries(
            Map.entry("nexthop", "multipath routes are not implemented - write one route per gateway"),
            Map.entry("or", "multipath routes are not implemented - write one route per gateway"),
            Map.entry("encap", "lightweight tunnel encapsulation is not implemented"),
            Map.entry("as", "MPLS routes are not implemented"),
            Map.entry("expires", "expiring routes are not implemented"),
            Map.entry("realms", "route realms are not implemented"),
            Map.entry("rtt", "rtt is not implemented"),
            Map.entry("rttvar", "rttvar is not implemented"),
            Map.entry("rto_min", "rto_min is not implemented"),
            Map.entry("ttl-propagate", "ttl-propagate (MPLS) is not implemented"),
            Map.entry("vrf", "VRF tables by name are not implemented - give the VRF's table number with 'table'"),
            Map.entry("track_group", "track groups are not implemented"));
    /** Route metrics (RTAX_*) read as a u32 with an optional 'lock' first. */
    private static final Map<String, Integer> RTAX = Map.of("mtu", 2, "window", 3, "ssthresh", 6, "cwnd", 7,
            "advmss", 8, "reordering", 9, "hoplimit", 10, "initcwnd", 11, "initrwnd", 14);
    private static final Set<String> LOCKABLE = Set.of("mtu", "ssthresh", "cwnd", "advmss", "reordering",
            "hoplimit");
    static final int RTPROT_KEEPALIVED = 18;

    void routeBlock(ConfigNode n, List<VirtualRoute> out) {
        if (!valueBlock(n)) {
            return;
        }
        each(n, e -> {
            noBlock(e);
            out.add(route(e));
        });
    }

    /** One route, as keepalived 2.2.7's alloc_route reads it (keepalived/vrrp/vrrp_iproute.c). */
    VirtualRoute route(ConfigNode e) throws ConfigException {
        List<String> w = words(e);
        Boolean v6 = null;
        int type = 0;
        InetAddress dest = null;
        int len = -1;
        InetAddress via = null;
        InetAddress src = null;
        InetAddress from = null;
        int fromLen = 0;
        String dev = null;
        Integer scope = null;
        long table = 254;
        Long metric = null;
        Integer protocol = null;
        Integer tos = null;
        boolean onlink = false;
        Integer pref = null;
        Map<Integer, Long> metrics = new TreeMap<>();
        long lock = 0;
        String congctl = null;
        String mode = "prepend";
        boolean noTrack = false;
        for (int i = 0; i < w.size(); i++) {
            String k = w.get(i);
            switch (k) {
                case "inet", "inet6" -> v6 = family(e, v6, k.equals("inet6"));
                case "src" -> {
                    src = routeAddr(e, w, ++i, "invalid route src address ");
                    v6 = family(e, v6, Values.isV6(src));
                }
                case "via", "gw" -> {
                    if (k.equals("gw")) {
                        warn(e, "\"gw\" for routes is deprecated. Please use \"via\"");
                    }
                    String f = argAt(e, w, i + 1);
                    if (f.equals("inet") || f.equals("inet6")) {
                        v6 = family(e, v6, f.equals("inet6"));
                        i++;
                    }
                    via = routeAddr(e, w, ++i, "invalid route via address ");
                    v6 = family(e, v6, Values.isV6(via));
                }
                case "from" -> {
                    String v = argAt(e, w, ++i);
                    Object[] p = prefix(e, v, "invalid route from address ");
                    from = (InetAddress) p[0];
                    fromLen = (Integer) p[1];
                    if (!Values.isV6(from)) {
                        throw err(e, "route from address only supported with IPv6 (" + v + ")");
                    }
                    v6 = family(e, v6, true);
                }
                case "tos", "dsfield" -> tos = (int) name(e, w, ++i, RtTables.DSFIELD, "rt_dsfield", 255,
                        "TOS value %s is invalid");
                case "table" -> table = name(e, w, ++i, RtTables.TABLES, "rt_tables", 4294967295L,
                        "Routing table %s not found for route");
                case "protocol" -> protocol = (int) name(e, w, ++i, RtTables.PROTOS, "rt_protos", 255,
                        "Protocol %s not found or invalid for route");
                case "scope" -> scope = (int) name(e, w, ++i, RtTables.SCOPES, "rt_scopes", 255,
                        "Scope %s not found or invalid for route");
                case "metric", "priority", "preference" -> metric = u32(e, w, ++i, "Invalid metric %s specified for route");
                case "dev", "oif" -> {
                    dev = argAt(e, w, ++i);
                    cx.interfacesNamed.putIfAbsent(dev, origin(e));
                }
                case "onlink" -> onlink = true;
                case "mtu", "window", "ssthresh", "cwnd", "advmss", "reordering", "hoplimit", "initcwnd",
                        "initrwnd" -> {
                    if (LOCKABLE.contains(k) && "lock".equals(argAt(e, w, i + 1))) {
                        lock |= 1L << RTAX.get(k);
                        i++;
                    }
                    metrics.put(RTAX.get(k), u32(e, w, ++i, "Invalid " + k + " value %s specified for route"));
                }
                case "features" -> {
                    String f = argAt(e, w, ++i);
                    if (!f.equals("ecn")) {
                        throw err(e, "feature " + f + " not supported (only 'features ecn')");
                    }
                    metrics.put(12, 1L); // RTAX_FEATURES: RTAX_FEATURE_ECN
                }
                case "quickack" -> metrics.put(15, bit(e, w, ++i, "Invalid quickack value %s specified for route"));
                case "fastopen_no_cookie" -> metrics.put(17, bit(e, w, ++i,
                        "Invalid fastopen_no_cookie value %s specified for route"));
                case "congctl" -> {
                    if ("lock".equals(argAt(e, w, i + 1))) {
                        lock |= 1L << 16;
                        i++;
                    }
                    congctl = argAt(e, w, ++i);
                }
                case "pref" -> {
                    if (Boolean.FALSE.equals(v6)) {
                        throw err(e, "pref is only valid for IPv6");
                    }
                    v6 = true;
                    String p = argAt(e, w, ++i);
                    pref = switch (p) {
                        case "low" -> 3;
                        case "medium" -> 0;
                        case "high" -> 1;
                        default -> (int) name(e, w, i, Map.of(), "-", 255,
                                "Invalid pref value %s specified for route");
                    };
                }
                case "add", "prepend", "append" -> mode = k;
                case "no_track" -> noTrack = true;
                default -> {
                    String why = ROUTE_REFUSED.get(k);
                    if (why != null) {
                        throw err(e, "route option '" + k + "' is refused by javalived: " + why);
                    }
                    if (k.equals("to")) {
                        k = argAt(e, w, ++i);
                    }
                    Integer t = RtTables.ROUTE_TYPES.get(k);
                    if (t != null) {
                        type = t;
                        k = argAt(e, w, ++i);
                    }
                    Object[] p;
                    if (k.equals("default")) {
                        p = new Object[] {null, 0};
                    } else {
                        p = prefixOrNull(k);
                        if (p == null) {
                            throw err(e, "unknown route keyword " + k);
                        }
                        v6 = family(e, v6, Values.isV6((InetAddress) p[0]));
                    }
                    dest = p[0] == null ? null : (InetAddress) p[0];
                    len = (Integer) p[1];
                    if (dest == null) {
                        dest = addr("0.0.0.0"); // family fixed below
                    }
                }
            }
        }
        if (len < 0) {
            throw err(e, "Route must have a destination");
        }
        boolean ipv6 = Boolean.TRUE.equals(v6);
        if (len == 0 && ipv6 && !Values.isV6(dest)) {
            dest = addr("::");
        }
        if (!noTrack) {
            if (protocol != null && protocol != RTPROT_KEEPALIVED) {
                warn(e, "Route cannot be tracked if protocol is not RTPROT_KEEPALIVED(18), resetting protocol");
            }
            protocol = RTPROT_KEEPALIVED;
            if (dev == null) {
                warn(e, "Warning - cannot track route " + w.stream().filter(x -> !x.equals("to")).findFirst()
                        .orElse("") + " with no interface specified, not tracking");
                noTrack = true;
            }
        }
        if (lock != 0) {
            metrics.put(1, lock); // RTAX_LOCK
        }
        return new VirtualRoute(ipv6, type, dest, len, Optional.ofNullable(via), Optional.ofNullable(src),
                Optional.ofNullable(from), fromLen, Optional.ofNullable(dev), Optional.ofNullable(scope), table,
                Optional.ofNullable(metric), protocol == null ? RTPROT_KEEPALIVED : protocol, Optional.ofNullable(tos),
                onlink, Optional.ofNullable(pref), metrics, Optional.ofNullable(congctl), mode, noTrack,
                String.join(" ", w));
    }

    /** Rule options javalived refuses (keepalived accepts them): the reason after the option name. */
    private static final Map<String, String> RULE_REFUSED = Map.of(
            "realms", "rule realms are not implemented",
            "suppress_ifgroup", "suppress_ifgroup is not implemented",
            "sup_group", "suppress_ifgroup is not implemented",
            "tunnel-id", "tunnel-id is not implemented",
            "track_group", "track groups are not implemented");
    private static final Map<String, Integer> RULE_ACTIONS = Map.of("nop", 3, "blackhole", 6, "unreachable", 7,
            "prohibit", 8);

    /** static_rules / virtual_rules. */
    void ruleBlock(ConfigNode n, List<VirtualRule> out) {
        if (!valueBlock(n)) {
            return;
        }
        each(n, e -> {
            noBlock(e);
            out.add(rule(e));
        });
    }

    /** One rule, as keepalived 2.2.7's alloc_rule reads it (keepalived/vrrp/vrrp_iprule.c). */
    VirtualRule rule(ConfigNode e) throws ConfigException {
        List<String> w = words(e);
        Boolean v6 = null;
        int action = 0;
        InetAddress from = null;
        int fromLen = 0;
        InetAddress to = null;
        int toLen = 0;
        Integer tos = null;
        long table = 0;
        Long priority = null;
        Long fwmark = null;
        Long fwmask = null;
        String iif = null;
        String oif = null;
        boolean invert = false;
        long gotoTarget = 0;
        Integer protocol = null;
        Long suppress = null;
        Integer ipProto = null;
        List<Integer> sport = List.of();
        List<Integer> dport = List.of();
        List<Long> uid = List.of();
        boolean l3mdev = false;
        boolean noTrack = false;
        for (int i = 0; i < w.size(); i++) {
            String k = w.get(i);
            switch (k) {
                case "inet", "inet6" -> v6 = family(e, v6, k.equals("inet6"));
                case "not" -> invert = true;
                case "from", "to" -> {
                    String v = argAt(e, w, ++i);
                    if (!v.equals("all")) {
                        Object[] p = prefixOrNull(v);
                        if (p == null || p[0] == null) {
                            throw err(e, "Invalid rule " + k + " address " + v);
                        }
                        v6 = family(e, v6, Values.isV6((InetAddress) p[0]));
                        if (k.equals("from")) {
                            from = (InetAddress) p[0];
                            fromLen = (Integer) p[1];
                        } else {
                            to = (InetAddress) p[0];
                            toLen = (Integer) p[1];
                        }
                    }
                }
                case "table", "lookup" -> {
                    table = name(e, w, ++i, RtTables.TABLES, "rt_tables", 4294967295L,
                            "Routing table %s not found for rule");
                    if (table == 0) {
                        throw err(e, "Table 0 is not valid");
                    }
                    action = oneAction(e, action, 1);
                }
                case "preference", "order", "priority", "prio", "pref" ->
                        priority = u32(e, w, ++i, "Invalid rule preference %s specified");
                case "tos", "dsfield" -> tos = (int) name(e, w, ++i, RtTables.DSFIELD, "rt_dsfield", 255,
                        "TOS value %s is invalid");
                case "fwmark" -> {
                    String v = argAt(e, w, ++i);
                    int sl = v.indexOf('/');
                    Long m = RtTables.number(sl < 0 ? v : v.substring(0, sl));
                    Long mask = sl < 0 ? null : RtTables.number(v.substring(sl + 1));
                    if (m == null || m > 4294967295L || (sl >= 0 && (mask == null || mask > 4294967295L))) {
                        throw err(e, "Invalid rule fwmark " + v + " specified");
                    }
                    fwmark = m;
                    fwmask = mask;
                }
                case "dev", "iif" -> {
                    iif = argAt(e, w, ++i);
                    cx.interfacesNamed.putIfAbsent(iif, origin(e));
                }
                case "oif" -> {
                    oif = argAt(e, w, ++i);
                    cx.interfacesNamed.putIfAbsent(oif, origin(e));
                }
                case "suppress_prefixlength", "sup_pl" -> suppress = u32(e, w, ++i,
                        "Invalid suppress_prefixlength %s specified");
                case "l3mdev" -> {
                    l3mdev = true;
                    action = oneAction(e, action, 1);
                }
                case "protocol" -> protocol = (int) name(e, w, ++i, RtTables.PROTOS, "rt_protos", 255,
                        "Invalid protocol %s");
                case "ipproto" -> {
                    String p = argAt(e, w, ++i);
                    Map<String, Long> protos = Map.of("tcp", 6L, "udp", 17L, "icmp", 1L, "sctp", 132L,
                            "ipv6-icmp", 58L, "icmpv6", 58L, "gre", 47L, "esp", 50L, "ah", 51L);
                    ipProto = (int) name(e, w, i, protos, "-", 255, "Invalid ipproto %s");
                }
                case "sport", "dport" -> {
                    List<Long> r = range(e, argAt(e, w, ++i), 65535, "invalid " + k + " range ");
                    List<Integer> ints = List.of(r.get(0).intValue(), r.get(1).intValue());
                    if (k.equals("sport")) {
                        sport = ints;
                    } else {
                        dport = ints;
                    }
                }
                case "uidrange" -> uid = range(e, argAt(e, w, ++i), 4294967295L, "Invalid uidrange ");
                case "no_track" -> noTrack = true;
                default -> {
                    String why = RULE_REFUSED.get(k);
                    if (why != null) {
                        throw err(e, "rule option '" + k + "' is refused by javalived: " + why);
                    }
                    if (k.equals("type")) {
                        k = argAt(e, w, ++i);
                    }
                    if (k.equals("goto")) {
                        gotoTarget = u32(e, w, ++i, "Invalid target %s specified");
                        action = oneAction(e, action, 2);
                    } else if (RULE_ACTIONS.containsKey(k)) {
                        action = oneAction(e, action, RULE_ACTIONS.get(k));
                    } else if (RtTables.ROUTE_TYPES.containsKey(k)) {
                        throw err(e, "Invalid rule action " + k);
                    } else {
                        throw err(e, "Unknown rule option " + k);
                    }
                }
            }
        }
        if (action == 2) {
            if (priority == null) {
                throw err(e, "Invalid rule - goto target " + gotoTarget + " specified without preference");
            }
            if (priority >= gotoTarget) {
                throw err(e, "Invalid rule - preference " + priority + " >= goto target " + gotoTarget);
            }
        }
        if (action == 0) {
            throw err(e, "No action specified for rule - ignoring");
        }
        if (action != 1 && suppress != null) {
            throw err(e, "suppressor/realm specified for non table action - skipping");
        }
        if (l3mdev && table != 0) {
            throw err(e, "table cannot be specified for l3mdev rules");
        }
        if (!noTrack) {
            if (protocol != null && protocol != RTPROT_KEEPALIVED) {
                warn(e, "Rule cannot be tracked if protocol is not RTPROT_KEEPALIVED(18), resetting protocol");
            }
            protocol = RTPROT_KEEPALIVED;
        }
        boolean ipv6 = Boolean.TRUE.equals(v6);
        if (priority == null) {
            priority = (long) (ipv6 ? cx.nextRulePriority6-- : cx.nextRulePriority4--);
            warn(e, "Rule has no preference specified - setting to " + priority
                    + ". This is probably not what you want.");
        }
        return new VirtualRule(ipv6, action, Optional.ofNullable(from), fromLen, Optional.ofNullable(to), toLen,
                Optional.ofNullable(tos), table, priority, Optional.ofNullable(fwmark), Optional.ofNullable(fwmask),
                Optional.ofNullable(iif), Optional.ofNullable(oif), invert, gotoTarget,
                protocol == null ? 0 : protocol, Optional.ofNullable(suppress), Optional.ofNullable(ipProto), sport,
                dport, uid, l3mdev, noTrack, String.join(" ", w));
    }

    private int oneAction(ConfigNode e, int current, int next) throws ConfigException {
        if (current != 0) {
            throw err(e, "Cannot specify more than one of table/nop/goto/blackhole/prohibit/unreachable/l3mdev for "
                    + "rule");
        }
        return next;
    }

    private Boolean family(ConfigNode e, Boolean current, boolean v6) throws ConfigException {
        if (current != null && current != v6) {
            throw err(e, "Cannot mix IPv4 and IPv6 addresses in " + e.keyword.replace("_", " ")
                    + " entry (" + String.join(" ", words(e)) + ")");
        }
        return v6;
    }

    /** ADDR[/LEN] as {address, length}; null if it is not one. */
    private static Object[] prefixOrNull(String v) {
        int sl = v.indexOf('/');
        InetAddress a = Values.tryAddress(sl < 0 ? v : v.substring(0, sl));
        if (a == null) {
            return null;
        }
        int max = Values.isV6(a) ? 128 : 32;
        int len = max;
        if (sl >= 0) {
            try {
                len = Values.parseInt(v.substring(sl + 1), 0, max);
            } catch (BadValue b) {
                return null;
            }
        }
        return new Object[] {a, len};
    }

    private Object[] prefix(ConfigNode e, String v, String what) throws ConfigException {
        Object[] p = prefixOrNull(v);
        if (p == null) {
            throw err(e, what + v);
        }
        return p;
    }

    private long name(ConfigNode e, List<String> w, int i, Map<String, Long> builtin, String file, long max,
                      String message) throws ConfigException {
        String v = argAt(e, w, i);
        Long n = RtTables.lookup(v, builtin, file, max);
        if (n == null) {
            throw err(e, String.format(message, v));
        }
        return n;
    }

    private long u32(ConfigNode e, List<String> w, int i, String message) throws ConfigException {
        String v = argAt(e, w, i);
        try {
            return Values.parseLong(v, 0, 4294967295L);
        } catch (BadValue b) {
            throw err(e, String.format(message, v));
        }
    }

    private long bit(ConfigNode e, List<String> w, int i, String message) throws ConfigException {
        String v = argAt(e, w, i);
        if (!v.equals("0") && !v.equals("1")) {
            throw err(e, String.format(message, v));
        }
        return Long.parseLong(v);
    }

    private List<Long> range(ConfigNode e, String v, long max, String message) throws ConfigException {
        int d = v.indexOf('-');
        Long a = RtTables.number(d < 0 ? v : v.substring(0, d));
        Long b = d < 0 ? a : RtTables.number(v.substring(d + 1));
        if (a == null || b == null || a > max || b > max || a > b) {
            throw err(e, message + v);
        }
        return List.of(a, b);
    }

    private InetAddress routeAddr(ConfigNode e, List<String> w, int i, String message) throws ConfigException {
        String v = argAt(e, w, i);
        InetAddress a = Values.tryAddress(v);
        if (a == null) {
            throw err(e, message + v);
        }
        return a;
    }

    void peerBlock(ConfigNode n, List<UnicastPeer> out, List<ConfigNode> nodes) {
        if (!valueBlock(n)) {
            return;
        }
        each(n, e -> {
            noBlock(e);
            InetAddress a = Values.tryAddress(e.keyword);
            if (a == null) {
                throw err(e, "invalid unicast peer address '" + e.keyword + "'");
            }
            Optional<Integer> min = Optional.empty();
            Optional<Integer> max = Optional.empty();
            for (int i = 0; i < e.args.size(); i++) {
                String k = e.args.get(i);
                switch (k) {
                    case "min_ttl" -> min = Optional.of(intArg(e, ++i, 0, 255));
                    case "max_ttl" -> max = Optional.of(intArg(e, ++i, 0, 255));
                    default -> throw err(e, "unknown unicast_peer option '" + k + "'");
                }
            }
            out.add(new UnicastPeer(a, min, max));
            nodes.add(e);
        });
    }
}
