package io.javalived.config;

import io.javalived.inet.InetText;
import io.javalived.config.Values.BadValue;
import io.javalived.config.model.UnicastPeer;
import io.javalived.config.model.VirtualIpAddress;
import io.javalived.config.model.VirtualRoute;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
                case "use_vmac" -> useVmac = true;
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

    private static final Set<String> ROUTE_TYPES = Set.of("blackhole", "unreachable", "prohibit", "throw", "unicast",
            "local", "broadcast", "anycast", "multicast", "nat");

    void routeBlock(ConfigNode n, List<VirtualRoute> out) {
        if (!valueBlock(n)) {
            return;
        }
        each(n, e -> {
            noBlock(e);
            List<String> w = words(e);
            String type = "unicast";
            InetAddress dest = null;
            int len = -1;
            Optional<InetAddress> via = Optional.empty();
            Optional<InetAddress> src = Optional.empty();
            Optional<String> dev = Optional.empty();
            Optional<String> scope = Optional.empty();
            Optional<String> table = Optional.empty();
            Optional<Integer> metric = Optional.empty();
            boolean noTrack = false;
            for (int i = 0; i < w.size(); i++) {
                String k = w.get(i);
                switch (k) {
                    case "src" -> src = Optional.of(routeAddr(e, w, ++i));
                    case "via", "gw" -> via = Optional.of(routeAddr(e, w, ++i));
                    case "or" -> routeAddr(e, w, ++i);
                    case "dev", "oif" -> {
                        String d = argAt(e, w, ++i);
                        dev = Optional.of(d);
                        cx.interfacesNamed.putIfAbsent(d, origin(e));
                    }
                    case "scope" -> scope = Optional.of(argAt(e, w, ++i));
                    case "table" -> table = Optional.of(argAt(e, w, ++i));
                    case "metric", "preference", "priority" -> {
                        String v = argAt(e, w, ++i);
                        try {
                            metric = Optional.of((int) Values.parseLong(v, 0, 4294967295L));
                        } catch (BadValue b) {
                            throw err(e, "invalid metric '" + v + "'");
                        }
                    }
                    case "no_track" -> noTrack = true;
                    case "to" -> { }
                    case "onlink" -> { }
                    case "protocol", "tos", "dsfield", "realm", "mtu", "advmss", "rtt", "rttvar", "reordering",
                            "window", "cwnd", "initcwnd", "initrwnd", "ssthresh", "features", "quickack",
                            "congctl", "rto_min", "pref", "track_group", "hoplimit", "fastopen_no_cookie",
                            "ttl-propagate", "encap", "expires", "from", "nexthop", "weight", "lock" -> ++i;
                    default -> {
                        if (ROUTE_TYPES.contains(k) && dest == null) {
                            type = k;
                        } else if (dest == null) {
                            String ap = k;
                            int sl = k.indexOf('/');
                            if (sl >= 0) {
                                ap = k.substring(0, sl);
                            }
                            InetAddress a = k.equals("default") ? addr("0.0.0.0") : Values.tryAddress(ap);
                            if (a == null) {
                                throw err(e, "invalid route destination '" + k + "'");
                            }
                            int max = Values.isV6(a) ? 128 : 32;
                            len = k.equals("default") ? 0 : max;
                            if (sl >= 0) {
                                try {
                                    len = Values.parseInt(k.substring(sl + 1), 0, max);
                                } catch (BadValue b) {
                                    throw err(e, "invalid prefix length in route destination '" + k + "'");
                                }
                            }
                            dest = a;
                        } else if (via.isEmpty() && Values.tryAddress(k) != null) {
                            via = Optional.of(Values.tryAddress(k)); // keepalived takes a bare address as gateway
                        } else {
                            throw err(e, "unknown route option '" + k + "'");
                        }
                    }
                }
            }
            if (dest == null) {
                throw err(e, "route without a destination");
            }
            if (dev.isEmpty() && !noTrack) {
                warn(e, "Warning - cannot track route " + InetText.ntop(dest) + "/" + len
                        + " with no interface specified, not tracking (add 'dev IF' or 'no_track')");
            }
            out.add(new VirtualRoute(type, dest, len, via, src, dev, scope, table, metric, noTrack,
                    String.join(" ", w)));
        });
    }

    /** static_rules / virtual_rules: checked as keepalived checks them, not used by javalived. */
    void ruleBlock(ConfigNode n) {
        if (!valueBlock(n)) {
            return;
        }
        each(n, e -> {
            noBlock(e);
            List<String> w = words(e);
            boolean pref = false;
            for (int i = 0; i < w.size(); i++) {
                String k = w.get(i);
                switch (k) {
                    case "from", "to" -> {
                        String v = argAt(e, w, ++i);
                        if (!v.equals("all")) {
                            String ap = v.indexOf('/') >= 0 ? v.substring(0, v.indexOf('/')) : v;
                            InetAddress a = Values.tryAddress(ap);
                            if (a == null) {
                                throw err(e, "Invalid rule " + k + " address " + v);
                            }
                            if (v.indexOf('/') >= 0) {
                                try {
                                    Values.parseInt(v.substring(v.indexOf('/') + 1), 0, Values.isV6(a) ? 128 : 32);
                                } catch (BadValue b) {
                                    throw err(e, "Invalid rule " + k + " address " + v);
                                }
                            }
                        }
                    }
                    case "preference", "prio", "priority", "order", "pref" -> {
                        pref = true;
                        i++;
                    }
                    case "dev", "iif", "oif" -> {
                        String d = argAt(e, w, ++i);
                        cx.interfacesNamed.putIfAbsent(d, origin(e));
                    }
                    case "no_track", "not", "l3mdev", "blackhole", "prohibit", "unreachable" -> { }
                    default -> i++;
                }
            }
            if (!pref) {
                warn(e, "Rule has no preference specified - setting to 16384. This is probably not what you want.");
            }
        });
    }

    private InetAddress routeAddr(ConfigNode e, List<String> w, int i) throws ConfigException {
        String v = argAt(e, w, i);
        InetAddress a = Values.tryAddress(v);
        if (a == null) {
            throw err(e, "invalid address '" + v + "' in route");
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
