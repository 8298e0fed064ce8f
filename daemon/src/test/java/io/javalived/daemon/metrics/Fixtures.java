package io.javalived.daemon.metrics;

import io.javalived.checkers.CheckStatus;
import io.javalived.checkers.FailureClass;
import io.javalived.director.status.DaemonStatus;
import io.javalived.director.status.RealServerStatus;
import io.javalived.director.status.StatusSource;
import io.javalived.director.status.VirtualServerStatus;
import io.javalived.ipvs.DestEntry;
import io.javalived.ipvs.Forwarding;
import io.javalived.ipvs.IpvsStats;
import io.javalived.ipvs.IpvsTable;
import io.javalived.inet.Protocol;
import io.javalived.ipvs.Destination;
import io.javalived.ipvs.ServiceEntry;
import io.javalived.ipvs.ServiceKey;
import io.javalived.ipvs.Service;
import io.javalived.netlink.NetlinkException;
import io.javalived.vrrp.runtime.InstanceStatus;
import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Hand-built daemon snapshots and IPVS tables for the metrics tests. */
final class Fixtures {
    private Fixtures() {
    }

    static final Instant T0 = Instant.parse("2026-11-24T20:00:00Z");
    static final Instant T1 = Instant.parse("2026-11-24T20:00:05.250Z");

    static Map<String, Long> counters(long base) {
        Map<String, Long> m = new LinkedHashMap<>();
        String[] keys = {"advert_rcvd", "advert_sent", "become_master", "release_master", "packet_len_err",
            "advert_interval_err", "ip_ttl_err", "invalid_type_rcvd", "addr_list_err", "invalid_authtype",
            "authtype_mismatch", "auth_failure", "pri_zero_rcvd", "pri_zero_sent"};
        for (int i = 0; i < keys.length; i++) {
            m.put(keys[i], base + i);
        }
        return m;
    }

    static InstanceStatus vi1() {
        return new InstanceStatus("VI_1", "eth0", 51, 2, "MASTER", 100, 110,
                List.of("10.0.0.100/32 dev eth0", "2001:db8:0:0:0:0:0:64/128 dev eth1"), T1, T1, null,
                List.of(new InstanceStatus.TrackerStatus("script", "chk_web", true, 10, false, 10, false, null),
                        new InstanceStatus.TrackerStatus("interface", "eth1", true, 0, false, 0, false, null)),
                counters(100));
    }

    static InstanceStatus vi2() {
        return new InstanceStatus("VI_2", "eth0", 52, 3, "BACKUP", 90, 90, List.of(), T0, null, "G1",
                List.of(new InstanceStatus.TrackerStatus("script", "chk_web", true, 10, true, 0, false, null),
                        new InstanceStatus.TrackerStatus("file", "prio", false, 5, false, 0, false, "3")),
                counters(0));
    }

    static CheckStatus check(String name, boolean up, int consecutive, long attempts, long failures, long nanos,
                             FailureClass last) {
        return new CheckStatus(name, up, consecutive, attempts, failures, nanos, nanos < 0 ? null : T1,
                consecutive == 0 && nanos >= 0, last, last == null ? "ok" : "connection refused", T0);
    }

    static VirtualServerStatus web() {
        RealServerStatus rs1 = new RealServerStatus("10.0.0.2:80", true, 3, true, T0,
                List.of(check("TCP_CHECK [10.0.0.2]:tcp:80", true, 0, 12, 0, 1_500_000, null)));
        RealServerStatus rs2 = new RealServerStatus("10.0.0.3:80", false, 1, false, T1,
                List.of(check("HTTP_GET [10.0.0.3]:tcp:80", false, 4, 12, 5, 2_000_000,
                        FailureClass.CONNECTION_REFUSED),
                        check("TCP_CHECK [10.0.0.3]:tcp:80", true, 0, 12, 1, 700_000, FailureClass.CONNECT_TIMEOUT)),
                "draining", null, T0, null, 4L); // javalived drain: 4 connections left
        return new VirtualServerStatus("[10.0.0.100]:tcp:80", "wlc", "NAT", true, 2, 0, 3, 1, 2, null, false, false,
                List.of(rs1, rs2)).withAnycast(new io.javalived.director.status.AnycastStatus("10.0.0.100/32", 100,
                "anycast0", true, T1));
    }

    static VirtualServerStatus dns() {
        RealServerStatus rs = new RealServerStatus("[2001:db8::5]:53", true, 1, true, T0,
                List.of(check("DNS_CHECK [2001:db8::5]:udp:53", true, 0, 0, 0, -1, null)));
        return new VirtualServerStatus("FWM 7", "rr", "DR", false, 5, 1, 1, 1, 1, "10.0.0.9:53", true, true,
                List.of(rs));
    }

    static DaemonStatus status() {
        return new DaemonStatus("0.1.0", 4242, T0, "/etc/keepalived/keepalived.conf", T1, "kernel",
                List.of(vi1(), vi2()), List.of(web(), dns()));
    }

    static IpvsStats stats(long base) {
        return new IpvsStats(base, base * 10, base * 9, base * 1000, base * 900, 1, 2, 3, 4, 5);
    }

    static IpvsTable table() throws Exception {
        InetAddress vip = InetAddress.getByName("10.0.0.100");
        ServiceKey web = ServiceKey.of(Protocol.TCP, vip, 80);
        IpvsTable.Row s1 = new IpvsTable.Row(new ServiceEntry(Service.of(web, "wlc"), stats(7)),
                List.of(new DestEntry(Destination.of(InetAddress.getByName("10.0.0.2"), 80, Forwarding.MASQ, 3), 2, 5,
                                0, stats(4)),
                        new DestEntry(Destination.of(InetAddress.getByName("10.0.0.3"), 80, Forwarding.MASQ, 0), 0, 1,
                                0, stats(3))));
        // an IPv4 and an IPv6 fwmark service with the same mark share node_exporter's labels: summed
        IpvsTable.Row f4 = new IpvsTable.Row(
                new ServiceEntry(Service.of(ServiceKey.fwmark(7, false), "rr"), stats(1)),
                List.of(new DestEntry(Destination.of(InetAddress.getByName("2001:db8::5"), 53, Forwarding.ROUTE, 1),
                        1, 0, 0, stats(1))));
        IpvsTable.Row f6 = new IpvsTable.Row(
                new ServiceEntry(Service.of(ServiceKey.fwmark(7, true), "rr"), stats(2)),
                List.of(new DestEntry(Destination.of(InetAddress.getByName("2001:db8::5"), 53, Forwarding.ROUTE, 1),
                        1, 1, 0, stats(2))));
        IpvsTable.Row v6 = new IpvsTable.Row(new ServiceEntry(Service.of(
                ServiceKey.of(Protocol.UDP, InetAddress.getByName("2001:db8::100"), 53), "rr"), IpvsStats.ZERO),
                List.of());
        return new IpvsTable(List.of(s1, f4, f6, v6));
    }

    /**
     * A daemon with one virtual server of {@code n} real servers (10.1.x.y:80, one TCP_CHECK each; every seventh
     * down) and its IPVS table: a large exposition (about 1.5 kB per real server).
     */
    static FakeSource big(int n) throws Exception {
        List<RealServerStatus> rss = new java.util.ArrayList<>();
        List<DestEntry> dests = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            String ip = "10.1." + (i / 250) + "." + (i % 250 + 1);
            boolean up = i % 7 != 0;
            rss.add(new RealServerStatus(ip + ":80", up, 1, up, T0, List.of(check("TCP_CHECK [" + ip + "]:tcp:80",
                    up, up ? 0 : 3, 100 + i, up ? 0 : 3, 1_000_000 + i, up ? null : FailureClass.CONNECT_TIMEOUT))));
            if (up) {
                dests.add(new DestEntry(Destination.of(InetAddress.getByName(ip), 80, Forwarding.MASQ, 1), i % 5,
                        i % 3, 0, stats(i)));
            }
        }
        VirtualServerStatus vs = new VirtualServerStatus("[10.0.0.100]:tcp:80", "wlc", "NAT", true, 1, 0,
                dests.size(), dests.size(), n, null, false, false, rss);
        DaemonStatus st = new DaemonStatus("0.1.0", 4242, T0, "/etc/keepalived/keepalived.conf", T1, "kernel",
                List.of(vi1(), vi2()), List.of(vs));
        IpvsTable t = new IpvsTable(List.of(new IpvsTable.Row(new ServiceEntry(Service.of(ServiceKey.of(Protocol.TCP,
                InetAddress.getByName("10.0.0.100"), 80), "wlc"), stats(7)), dests)));
        return new FakeSource(st, t);
    }

    /** A StatusSource returning what it is given, counting the calls. */
    static final class FakeSource implements StatusSource {
        volatile DaemonStatus status;
        volatile IpvsTable table;
        volatile boolean ipvsFails;
        final AtomicInteger statusCalls = new AtomicInteger();
        final AtomicInteger tableCalls = new AtomicInteger();

        FakeSource(DaemonStatus status, IpvsTable table) {
            this.status = status;
            this.table = table;
        }

        @Override
        public DaemonStatus status() {
            statusCalls.incrementAndGet();
            return status;
        }

        @Override
        public IpvsTable ipvsTable() throws NetlinkException {
            tableCalls.incrementAndGet();
            if (ipvsFails) {
                throw new NetlinkException("IPVS_CMD_GET_SERVICE", 1, "Operation not permitted");
            }
            return table;
        }
    }
}
