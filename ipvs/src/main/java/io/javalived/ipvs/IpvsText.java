package io.javalived.ipvs;

import io.javalived.inet.Protocol;
import io.javalived.inet.InetText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The table as text, laid out exactly as ipvsadm 1.31 prints it with -Ln (and --stats, --rate, --thresholds,
 * --persistent-conn, --tun-info, --exact), in ipvsadm's order; and as JSON.
 */
public final class IpvsText {
    private IpvsText() {
    }

    /** Listing formats, as ipvsadm's options. */
    public enum Format { DEFAULT, STATS, RATE, THRESHOLDS, PERSISTENT_CONN, TUN_INFO }

    /** ipvsadm -Ln [--stats|--rate|...] [--exact]. */
    public static String listing(IpvsInfo info, IpvsTable table, Format format, boolean exact) {
        StringBuilder sb = new StringBuilder(256 + table.size() * 200);
        sb.append("IP Virtual Server version ").append(info.versionString()).append(" (size=")
                .append((int) info.connTableSize()).append(")\n");
        switch (format) {
            case STATS -> sb.append(String.format("%-33s %8s %8s %8s %8s %8s%n  -> RemoteAddress:Port%n",
                    "Prot LocalAddress:Port", "Conns", "InPkts", "OutPkts", "InBytes", "OutBytes"));
            case RATE -> sb.append(String.format("%-33s %8s %8s %8s %8s %8s%n  -> RemoteAddress:Port%n",
                    "Prot LocalAddress:Port", "CPS", "InPPS", "OutPPS", "InBPS", "OutBPS"));
            case THRESHOLDS -> sb.append(String.format("%-33s %-10s %-10s %-10s %-10s%n  -> RemoteAddress:Port%n",
                    "Prot LocalAddress:Port", "Uthreshold", "Lthreshold", "ActiveConn", "InActConn"));
            case PERSISTENT_CONN -> sb.append(String.format("%-33s %-9s %-11s %-10s %-10s%n  -> RemoteAddress:Port%n",
                    "Prot LocalAddress:Port", "Weight", "PersistConn", "ActiveConn", "InActConn"));
            case TUN_INFO -> sb.append("Prot LocalAddress:Port Scheduler Flags\n"
                    + "  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n");
            default -> sb.append("Prot LocalAddress:Port Scheduler Flags\n"
                    + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n");
        }
        for (IpvsTable.Row s : sortedServices(table)) {
            service(sb, s, format, exact);
        }
        return sb.toString().replace(System.lineSeparator(), "\n");
    }

    private static void service(StringBuilder sb, IpvsTable.Row s, Format format, boolean exact) {
        Service vs = s.service();
        ServiceKey k = vs.key();
        String name;
        if (k.isFwmark()) {
            name = "FWM  " + k.fwmark() + (k.isIpv6() ? " IPv6" : "");
        } else {
            name = String.format("%-4s %s", k.protocol().name(), InetText.hostPort(k.address(), k.port()));
        }
        IpvsStats st = s.entry().stats();
        if (format == Format.STATS) {
            sb.append(String.format("%-33s", name));
            num(sb, exact, st.conns(), st.inPackets(), st.outPackets(), st.inBytes(), st.outBytes());
        } else if (format == Format.RATE) {
            sb.append(String.format("%-33s", name));
            num(sb, exact, st.cps(), st.inPps(), st.outPps(), st.inBps(), st.outBps());
        } else {
            sb.append(name).append(' ').append(vs.scheduler());
            String sf = schedFlags(vs.scheduler(), vs.flags());
            if (!sf.isEmpty()) {
                sb.append(" (").append(sf).append(')');
            }
            if (vs.persistent()) {
                sb.append(" persistent ").append(vs.timeout());
                if (!k.isIpv6() && vs.netmask() != 0xffffffffL) {
                    sb.append(" mask ").append(mask4(vs.netmask()));
                }
                if (k.isIpv6() && vs.netmask() != 128) {
                    sb.append(" mask ").append((int) vs.netmask());
                }
                if (vs.peName() != null) {
                    sb.append(" pe ").append(vs.peName());
                }
            }
            if ((vs.flags() & Ipvs.SVC_F_ONEPACKET) != 0) {
                sb.append(" ops");
            }
        }
        sb.append('\n');
        for (DestEntry d : sortedDests(s.dests())) {
            Destination r = d.server();
            String dn = InetText.hostPort(r.address(), r.port());
            IpvsStats ds = d.stats();
            switch (format) {
                case STATS -> {
                    sb.append(String.format("  -> %-28s", dn));
                    num(sb, exact, ds.conns(), ds.inPackets(), ds.outPackets(), ds.inBytes(), ds.outBytes());
                    sb.append('\n');
                }
                case RATE -> {
                    sb.append(String.format("  -> %-28s %8d %8d %8d", dn, ds.cps(), ds.inPps(), ds.outPps()));
                    num(sb, exact, ds.inBps(), ds.outBps());
                    sb.append('\n');
                }
                case THRESHOLDS -> sb.append(String.format("  -> %-28s %-10d %-10d %-10d %-10d%n", dn,
                        r.upperThreshold(), r.lowerThreshold(), d.activeConns(), d.inactConns()));
                case PERSISTENT_CONN -> sb.append(String.format("  -> %-28s %-9d %-11d %-10d %-10d%n", dn,
                        r.weight(), d.persistConns(), d.activeConns(), d.inactConns()));
                case TUN_INFO -> sb.append(String.format("  -> %-28s %-7s %-13s %-6d %-10d %-10d%n", dn,
                        r.forwarding().display(), tunInfo(r), r.weight(), d.activeConns(), d.inactConns()));
                default -> sb.append(String.format("  -> %-28s %-7s %-6d %-10d %-10d%n", dn,
                        r.forwarding().display(), r.weight(), d.activeConns(), d.inactConns()));
            }
        }
    }

    /** ipvsadm --tun-info column: "ipip", "gue:6080:-c", "gre:+c", "n/a". */
    static String tunInfo(Destination r) {
        if (r.forwarding() != Forwarding.TUNNEL) {
            return "n/a";
        }
        String fl = (r.tunnelFlags() & Ipvs.TUNNEL_ENCAP_FLAG_REMCSUM) != 0 ? "r+c"
                : (r.tunnelFlags() & Ipvs.TUNNEL_ENCAP_FLAG_CSUM) != 0 ? "+c" : "-c";
        return switch (r.tunnelType()) {
            case IPIP -> "ipip";
            case GUE -> "gue:" + r.tunnelPort() + ":" + fl;
            case GRE -> "gre:" + fl;
        };
    }

    /** Numbers as ipvsadm's print_largenum: 9 wide, K/M/G/T beyond 100 million unless exact. */
    static void num(StringBuilder sb, boolean exact, long... values) {
        for (long v : values) {
            String s = Long.toUnsignedString(v);
            if (exact) {
                sb.append(String.format("%" + (s.length() <= 8 ? 9 : s.length() + 1) + "s", s));
            } else if (Long.compareUnsigned(v, 100_000_000L) < 0) {
                sb.append(String.format("%9s", s));
            } else if (Long.compareUnsigned(v, 1_000_000_000L) < 0) {
                sb.append(String.format("%8sK", Long.toUnsignedString(Long.divideUnsigned(v, 1000))));
            } else if (Long.compareUnsigned(v, 100_000_000_000L) < 0) {
                sb.append(String.format("%8sM", Long.toUnsignedString(Long.divideUnsigned(v, 1_000_000))));
            } else if (Long.compareUnsigned(v, 100_000_000_000_000L) < 0) {
                sb.append(String.format("%8sG", Long.toUnsignedString(Long.divideUnsigned(v, 1_000_000_000L))));
            } else {
                sb.append(String.format("%8sT", Long.toUnsignedString(Long.divideUnsigned(v, 1_000_000_000_000L))));
            }
        }
    }

    /** "sh-fallback,sh-port" / "mh-port" / "flag-1,flag-3" or "". */
    public static String schedFlags(String scheduler, int flags) {
        List<String> f = new ArrayList<>(3);
        if (scheduler.equals("sh") || scheduler.equals("mh")) {
            if ((flags & Ipvs.SVC_F_SCHED1) != 0) {
                f.add(scheduler + "-fallback");
            }
            if ((flags & Ipvs.SVC_F_SCHED2) != 0) {
                f.add(scheduler + "-port");
            }
        } else {
            for (int i = 0; i < 3; i++) {
                if ((flags & (Ipvs.SVC_F_SCHED1 << i)) != 0) {
                    f.add("flag-" + (i + 1));
                }
            }
        }
        return String.join(",", f);
    }

    /** Dotted form of a 32-bit IPv4 mask value (0xffffff00 → "255.255.255.0"). */
    public static String mask4(long m) {
        return ((m >> 24) & 0xff) + "." + ((m >> 16) & 0xff) + "." + ((m >> 8) & 0xff) + "." + (m & 0xff);
    }

    // ---- ipvsadm's order --------------------------------------------------------------------------------------

    /**
     * Services in ipvsadm's order: its comparator (fwmark, family, protocol, address, port — differences taken as C
     * int subtractions, wrap-around included) under glibc's merge sort, so even its odd cases come out the same.
     */
    public static List<IpvsTable.Row> sortedServices(IpvsTable t) {
        return msort(t.services(), (a, b) -> {
            ServiceKey x = a.key();
            ServiceKey y = b.key();
            int r = (int) (x.fwmark() - y.fwmark());
            if (r != 0) {
                return r;
            }
            r = x.af() - y.af();
            if (r != 0) {
                return r;
            }
            r = proto(x) - proto(y);
            if (r != 0) {
                return r;
            }
            if (x.isFwmark()) {
                return 0;
            }
            int words = x.isIpv6() ? 4 : 1;
            for (int i = 0; r == 0 && i < words; i++) {
                r = (int) (Inet.word(x.address(), i) - Inet.word(y.address(), i));
            }
            if (r != 0) {
                return r;
            }
            return x.port() - y.port();
        });
    }

    private static int proto(ServiceKey k) {
        return k.protocol() == null ? 0 : k.protocol().number();
    }

    /** Destinations in ipvsadm's order (address words of the first one's family, then port). */
    public static List<DestEntry> sortedDests(List<DestEntry> dests) {
        return msort(dests, (a, b) -> {
            Destination x = a.server();
            Destination y = b.server();
            int r = 0;
            int words = x.af() == Ipvs.AF_INET6 ? 4 : 1;
            for (int i = 0; r == 0 && i < words; i++) {
                r = (int) (Inet.word(x.address(), i) - Inet.word(y.address(), i));
            }
            if (r != 0) {
                return r;
            }
            return x.port() - y.port();
        });
    }

    /** Top-down merge sort exactly like glibc's msort (first half gets n/2, ties keep the left element). */
    static <T> List<T> msort(List<T> in, Comparator<T> cmp) {
        List<T> a = new ArrayList<>(in);
        List<T> tmp = new ArrayList<>(in);
        msort(a, tmp, 0, a.size(), cmp);
        return a;
    }

    private static <T> void msort(List<T> a, List<T> tmp, int lo, int n, Comparator<T> cmp) {
        if (n <= 1) {
            return;
        }
        int n1 = n / 2;
        int n2 = n - n1;
        msort(a, tmp, lo, n1, cmp);
        msort(a, tmp, lo + n1, n2, cmp);
        int i = lo;
        int j = lo + n1;
        int k = 0;
        while (n1 > 0 && n2 > 0) {
            if (cmp.compare(a.get(i), a.get(j)) <= 0) {
                tmp.set(k++, a.get(i++));
                n1--;
            } else {
                tmp.set(k++, a.get(j++));
                n2--;
            }
        }
        while (n1 > 0) {
            tmp.set(k++, a.get(i++));
            n1--;
        }
        // the remaining right-hand elements are already in place
        for (int x = 0; x < k; x++) {
            a.set(lo + x, tmp.get(x));
        }
    }

    // ---- JSON --------------------------------------------------------------------------------------------------

    /** The table as JSON (services and destinations in ipvsadm's order). */
    public static String json(IpvsInfo info, IpvsTable table) {
        StringBuilder sb = new StringBuilder(256 + table.size() * 400);
        sb.append("{\"version\":\"").append(info.versionString()).append("\",\"connTableSize\":")
                .append(info.connTableSize()).append(",\"services\":[");
        boolean first = true;
        for (IpvsTable.Row s : sortedServices(table)) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            Service vs = s.service();
            ServiceKey k = vs.key();
            sb.append("{\"family\":\"").append(k.isIpv6() ? "inet6" : "inet").append('"');
            if (k.isFwmark()) {
                sb.append(",\"fwmark\":").append(k.fwmark());
            } else {
                sb.append(",\"protocol\":\"").append(k.protocol()).append("\",\"address\":\"")
                        .append(InetText.ntop(k.address())).append("\",\"port\":").append(k.port());
            }
            sb.append(",\"scheduler\":").append(str(vs.scheduler()));
            sb.append(",\"flags\":[");
            List<String> fl = new ArrayList<>();
            if (vs.persistent()) {
                fl.add("persistent");
            }
            if ((vs.flags() & Ipvs.SVC_F_ONEPACKET) != 0) {
                fl.add("one-packet");
            }
            String sf = schedFlags(vs.scheduler(), vs.flags());
            if (!sf.isEmpty()) {
                fl.addAll(List.of(sf.split(",")));
            }
            for (int i = 0; i < fl.size(); i++) {
                sb.append(i > 0 ? "," : "").append(str(fl.get(i)));
            }
            sb.append("],\"persistent\":").append(vs.persistent());
            sb.append(",\"timeout\":").append(vs.timeout());
            sb.append(",\"netmask\":").append(k.isIpv6() ? Long.toString(vs.netmask()) : str(mask4(vs.netmask())));
            sb.append(",\"pe\":").append(vs.peName() == null ? "null" : str(vs.peName()));
            sb.append(",\"stats\":");
            stats(sb, s.entry().stats());
            sb.append(",\"destinations\":[");
            boolean f2 = true;
            for (DestEntry d : sortedDests(s.dests())) {
                if (!f2) {
                    sb.append(',');
                }
                f2 = false;
                Destination r = d.server();
                sb.append("{\"address\":\"").append(InetText.ntop(r.address())).append("\",\"port\":").append(r.port())
                        .append(",\"forward\":\"").append(r.forwarding().display()).append('"')
                        .append(",\"weight\":").append(r.weight())
                        .append(",\"upperThreshold\":").append(r.upperThreshold())
                        .append(",\"lowerThreshold\":").append(r.lowerThreshold())
                        .append(",\"activeConns\":").append(d.activeConns())
                        .append(",\"inactConns\":").append(d.inactConns())
                        .append(",\"persistConns\":").append(d.persistConns());
                if (r.forwarding() == Forwarding.TUNNEL) {
                    sb.append(",\"tunnel\":{\"type\":\"").append(r.tunnelType().label()).append("\",\"port\":")
                            .append(r.tunnelPort()).append(",\"flags\":\"").append(tunInfo(r)).append("\"}");
                }
                sb.append(",\"stats\":");
                stats(sb, d.stats());
                sb.append('}');
            }
            sb.append("]}");
        }
        return sb.append("]}").toString();
    }

    private static void stats(StringBuilder sb, IpvsStats s) {
        sb.append(String.format(Locale.ROOT, "{\"conns\":%s,\"inPkts\":%s,\"outPkts\":%s,\"inBytes\":%s,"
                        + "\"outBytes\":%s,\"cps\":%s,\"inPps\":%s,\"outPps\":%s,\"inBps\":%s,\"outBps\":%s}",
                u(s.conns()), u(s.inPackets()), u(s.outPackets()), u(s.inBytes()), u(s.outBytes()), u(s.cps()),
                u(s.inPps()), u(s.outPps()), u(s.inBps()), u(s.outBps())));
    }

    private static String u(long v) {
        return Long.toUnsignedString(v);
    }

    static String str(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** A service key as ipvsadm options: "-t 10.0.0.1:80", "-f 7 -6". */
    public static String keyOptions(ServiceKey k) {
        if (k.isFwmark()) {
            return "-f " + k.fwmark() + (k.isIpv6() ? " -6" : "");
        }
        Protocol p = k.protocol();
        String opt = p == Protocol.TCP ? "-t" : p == Protocol.UDP ? "-u" : "--sctp-service";
        return opt + " " + InetText.hostPort(k.address(), k.port());
    }

    /** "TCP 10.0.0.1:80", "UDP [2001:db8::1]:53", "FWM 7", "FWM 8 IPv6". */
    public static String key(ServiceKey k) {
        if (k.isFwmark()) {
            return "FWM " + k.fwmark() + (k.isIpv6() ? " IPv6" : "");
        }
        return k.protocol() + " " + InetText.hostPort(k.address(), k.port());
    }

    /** ipvsadm -A options of a service ("-A -t 10.0.0.1:80 -s wlc -p 300"). */
    public static String addService(Service s) {
        ServiceKey key = s.key();
        StringBuilder sb = new StringBuilder("-A ").append(keyOptions(key)).append(" -s ").append(s.scheduler());
        if (s.persistent()) {
            sb.append(" -p ").append(s.timeout());
            if (s.netmask() != Service.defaultNetmask(key.af())) {
                sb.append(" -M ").append(key.isIpv6() ? Long.toString(s.netmask()) : mask4(s.netmask()));
            }
        }
        if (s.peName() != null) {
            sb.append(" --pe ").append(s.peName());
        }
        if ((s.flags() & Ipvs.SVC_F_ONEPACKET) != 0) {
            sb.append(" -o");
        }
        String sf = schedFlags(s.scheduler(), s.flags());
        if (!sf.isEmpty()) {
            sb.append(" -b ").append(sf);
        }
        return sb.toString();
    }

    /** ipvsadm -a options of a destination after the service ("-r 10.0.0.2:80 -m -w 1"). */
    public static String destOptions(Destination d) {
        StringBuilder sb = new StringBuilder("-r ").append(InetText.hostPort(d.address(), d.port()));
        sb.append(switch (d.forwarding()) {
            case MASQ -> " -m";
            case TUNNEL -> " -i";
            case ROUTE, LOCAL -> " -g";
        });
        sb.append(" -w ").append(d.weight());
        if (d.upperThreshold() != 0) {
            sb.append(" -x ").append(d.upperThreshold());
        }
        if (d.lowerThreshold() != 0) {
            sb.append(" -y ").append(d.lowerThreshold());
        }
        if (d.forwarding() == Forwarding.TUNNEL && d.tunnelType() != TunnelType.IPIP) {
            sb.append(" --tun-type ").append(d.tunnelType().label());
            if (d.tunnelType() == TunnelType.GUE) {
                sb.append(" --tun-port ").append(d.tunnelPort());
            }
            int f = d.tunnelFlags();
            sb.append((f & Ipvs.TUNNEL_ENCAP_FLAG_REMCSUM) != 0 ? " --tun-remcsum"
                    : (f & Ipvs.TUNNEL_ENCAP_FLAG_CSUM) != 0 ? " --tun-csum" : " --tun-nocsum");
        }
        return sb.toString();
    }
}
