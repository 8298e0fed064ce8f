package io.javalived.it.ipvs;

import io.javalived.inet.InetText;
import io.javalived.ipvs.DestEntry;
import io.javalived.ipvs.Forwarding;
import io.javalived.ipvs.Ipvs;
import io.javalived.ipvs.IpvsOp;
import io.javalived.ipvs.IpvsStats;
import io.javalived.ipvs.IpvsTable;
import io.javalived.inet.Protocol;
import io.javalived.ipvs.Destination;
import io.javalived.ipvs.Reconciler.Desired;
import io.javalived.ipvs.ServiceEntry;
import io.javalived.ipvs.ServiceKey;
import io.javalived.ipvs.TunnelType;
import io.javalived.ipvs.Service;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** Tables used by the VM tests, as javalived's model. */
final class Tables {
    private Tables() {
    }

    static InetAddress ip(String s) {
        return InetText.parse(s);
    }

    /**
     * Every kind of setting (destination ports of DR/TUN destinations equal the service port: ipvsadm rewrites them
     * so, javalived sends what it is given): NAT/DR/TUN (ipip, gue with each checksum mode, gre), weights 0..n, thresholds,
     * persistence with netmask (v4 and v6), persistence engine sip, one-packet, sh/mh flags, UDP, SCTP, fwmark v4/v6,
     * IPv6 services with IPv6 and (tunnelled) IPv4 destinations.
     */
    static List<Desired> rich() {
        List<Desired> l = new ArrayList<>();
        Service web = Service.of(ServiceKey.of(Protocol.TCP, ip("10.0.0.1"), 80), "wlc");
        l.add(new Desired(web, List.of(
                Destination.of(ip("10.0.1.1"), 8080, Forwarding.MASQ, 3),
                Destination.of(ip("10.0.1.2"), 80, Forwarding.ROUTE, 0).withThresholds(100, 10),
                Destination.of(ip("10.0.1.3"), 80, Forwarding.TUNNEL, 1),
                Destination.of(ip("10.0.1.4"), 80, Forwarding.TUNNEL, 1).withTunnel(TunnelType.GUE, 6080, 0),
                Destination.of(ip("10.0.1.5"), 80, Forwarding.TUNNEL, 1)
                        .withTunnel(TunnelType.GRE, 0, Ipvs.TUNNEL_ENCAP_FLAG_CSUM),
                Destination.of(ip("10.0.1.6"), 80, Forwarding.TUNNEL, 1)
                        .withTunnel(TunnelType.GUE, 6081, Ipvs.TUNNEL_ENCAP_FLAG_REMCSUM),
                Destination.of(ip("10.0.1.7"), 80, Forwarding.MASQ, 65535).withThresholds(5000, 0))));
        l.add(new Desired(Service.of(ServiceKey.of(Protocol.UDP, ip("10.0.0.1"), 53), "rr")
                .withPersistence(300, 0xffffff00L),
                List.of(Destination.of(ip("10.0.2.1"), 53, Forwarding.ROUTE, 1))));
        l.add(new Desired(Service.of(ServiceKey.of(Protocol.TCP, ip("10.0.0.2"), 443), "sh")
                .withFlags(Ipvs.SVC_F_SCHED_SH_FALLBACK | Ipvs.SVC_F_SCHED_SH_PORT), List.of()));
        l.add(new Desired(Service.of(ServiceKey.of(Protocol.TCP, ip("10.0.0.3"), 443), "mh")
                .withFlags(Ipvs.SVC_F_SCHED_MH_PORT), List.of()));
        l.add(new Desired(Service.of(ServiceKey.of(Protocol.UDP, ip("10.0.0.4"), 5060), "rr")
                .withFlags(Ipvs.SVC_F_ONEPACKET), List.of()));
        l.add(new Desired(Service.of(ServiceKey.of(Protocol.UDP, ip("10.0.0.5"), 5060), "rr")
                .withPersistence(60, 0xffffffffL).withPeName("sip"), List.of()));
        l.add(new Desired(Service.of(ServiceKey.of(Protocol.SCTP, ip("10.0.0.6"), 3868), "rr"),
                List.of(Destination.of(ip("10.0.2.6"), 3868, Forwarding.MASQ, 2))));
        l.add(new Desired(Service.of(ServiceKey.fwmark(7, false), "wrr").withPersistence(360, 0xffff0000L),
                List.of(Destination.of(ip("10.0.1.7"), 0, Forwarding.ROUTE, 1),
                        Destination.of(ip("10.0.1.8"), 0, Forwarding.ROUTE, 2))));
        l.add(new Desired(Service.of(ServiceKey.fwmark(8, true), "lc"),
                List.of(Destination.of(ip("2001:db8::7"), 0, Forwarding.ROUTE, 1))));
        l.add(new Desired(Service.of(ServiceKey.of(Protocol.TCP, ip("2001:db8::1"), 80), "wrr")
                .withPersistence(120, 64),
                List.of(Destination.of(ip("2001:db8::2"), 80, Forwarding.MASQ, 5).withThresholds(50, 20),
                        Destination.of(ip("2001:db8:0:1::3"), 80, Forwarding.ROUTE, 1),
                        Destination.of(ip("10.0.2.2"), 80, Forwarding.TUNNEL, 1))));
        l.add(new Desired(Service.of(ServiceKey.of(Protocol.UDP, ip("fd00::1:53"), 53), "sed"),
                List.of(Destination.of(ip("fd00::2:53"), 53, Forwarding.TUNNEL, 4)
                        .withTunnel(TunnelType.GUE, 5555, Ipvs.TUNNEL_ENCAP_FLAG_CSUM))));
        l.add(new Desired(Service.of(ServiceKey.of(Protocol.TCP, ip("10.0.0.9"), 0), "rr")
                .withPersistence(30, 0xffffffffL), List.of()));
        return l;
    }

    /** The desired table as a kernel table with zero counters (what ipvsadm should show). */
    static IpvsTable asTable(List<Desired> ds) {
        List<IpvsTable.Row> s = new ArrayList<>();
        for (Desired d : ds) {
            List<DestEntry> dests = new ArrayList<>();
            for (Destination r : d.servers()) {
                dests.add(new DestEntry(r, 0, 0, 0, IpvsStats.ZERO));
            }
            s.add(new IpvsTable.Row(new ServiceEntry(d.service(), IpvsStats.ZERO), dests));
        }
        return new IpvsTable(s);
    }

    /** Add operations for a whole table. */
    static List<IpvsOp> adds(List<Desired> ds) {
        List<IpvsOp> ops = new ArrayList<>();
        for (Desired d : ds) {
            ops.add(IpvsOp.addService(d.service()));
            for (Destination r : d.servers()) {
                ops.add(IpvsOp.addDest(d.service(), r));
            }
        }
        return ops;
    }

    /** The same table as ipvsadm -R input (one line per operation). */
    static String rules(List<Desired> ds) {
        StringBuilder sb = new StringBuilder();
        for (IpvsOp op : adds(ds)) {
            sb.append(op).append('\n');
        }
        return sb.toString();
    }

    /** n services × m destinations, all distinct, IPv4 TCP, DR. */
    static List<Desired> big(int n, int m) {
        List<Desired> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Service v = Service.of(ServiceKey.of(Protocol.TCP,
                    ip("10." + (100 + (i >> 16)) + "." + ((i >> 8) & 255) + "." + (i & 255)), 80), "wlc");
            List<Destination> rs = new ArrayList<>(m);
            for (int j = 0; j < m; j++) {
                rs.add(Destination.of(ip("172.16." + j + "." + (1 + (i % 250))), 80, Forwarding.ROUTE, 1 + j));
            }
            l.add(new Desired(v, rs));
        }
        return l;
    }
}
