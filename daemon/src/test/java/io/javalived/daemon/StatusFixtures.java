package io.javalived.daemon;

import io.javalived.director.status.DaemonStatus;
import io.javalived.director.status.VirtualServerStatus;
import io.javalived.director.status.RealServerStatus;
import io.javalived.director.status.StatusSource;
import io.javalived.checkers.CheckStatus;
import io.javalived.checkers.FailureClass;
import io.javalived.ipvs.DestEntry;
import io.javalived.ipvs.Forwarding;
import io.javalived.ipvs.IpvsStats;
import io.javalived.ipvs.IpvsTable;
import io.javalived.inet.Protocol;
import io.javalived.ipvs.Destination;
import io.javalived.ipvs.ServiceEntry;
import io.javalived.ipvs.ServiceKey;
import io.javalived.ipvs.Service;
import io.javalived.vrrp.runtime.InstanceStatus;
import io.javalived.vrrp.runtime.InstanceStatus.TrackerStatus;
import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A hand-built daemon status: a MASTER and a BACKUP instance, one virtual server with one good and one bad real server. */
public final class StatusFixtures {
    public static final Instant T0 = Instant.parse("2026-11-24T21:00:00Z");

    private StatusFixtures() {
    }

    public static DaemonStatus status() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("advert_rcvd", 3L);
        counters.put("advert_sent", 312L);
        counters.put("become_master", 1L);
        counters.put("release_master", 0L);
        counters.put("ip_ttl_err", 0L);
        InstanceStatus master = new InstanceStatus("VI_1", "eth0", 51, 2, "MASTER", 150, 160,
                List.of("10.0.0.100/32 dev eth0", "10.0.1.100/24 dev eth1"), T0, T0, null,
                List.of(new TrackerStatus("script", "chk_up", true, 10, false, 10, false, null),
                        new TrackerStatus("interface", "eth1", false, 0, false, 0, true, null),
                        new TrackerStatus("file", "weight_file", true, -5, true, -15, false, "value 3")),
                counters);
        InstanceStatus backup = new InstanceStatus("VI_INTERNAL", "eth1", 52, 3, "BACKUP", 100, 100,
                List.of("fd00::100/64 dev eth1"), T0.plusSeconds(7), null, "G1", List.of(), Map.of());
        CheckStatus ok = new CheckStatus("TCP_CHECK [10.0.0.2]:tcp:80", true, 0, 312, 0, 812_345L,
                T0.plusSeconds(311).plusMillis(250), true, null, "TCP connection to [10.0.0.2]:tcp:80 success.",
                T0.plusSeconds(1));
        CheckStatus bad = new CheckStatus("HTTP_GET [10.0.0.3]:tcp:80", false, 37, 312, 37, 1_000_000_000L,
                T0.plusSeconds(311), false, FailureClass.CONNECTION_REFUSED,
                "HTTP_GET check on [10.0.0.3]:80 failed: \"connection refused\"\n(errno 111)\t\\", T0.plusSeconds(2));
        CheckStatus never = new CheckStatus("MISC_CHECK /bin/true", true, 0, 0, 0, -1, null, false, null, null, T0);
        VirtualServerStatus vs = new VirtualServerStatus("[10.0.0.100]:tcp:80", "rr", "NAT", true, 1, 0, 1, 1, 2,
                "10.0.0.9:80", false, false,
                List.of(new RealServerStatus("10.0.0.2:80", true, 1, true, T0.plusSeconds(1), List.of(ok)),
                        new RealServerStatus("10.0.0.3:80", false, 1, false, T0.plusSeconds(2), List.of(bad, never))));
        VirtualServerStatus fwm = new VirtualServerStatus("FWM 1", "wlc", "DR", false, 2, 1, 0, 0, 1, null, false,
                true, List.of(new RealServerStatus("[fd00::2]:443", false, 0, false, T0, List.of())));
        return new DaemonStatus("0.1.0-SNAPSHOT", 4242, T0.minusSeconds(60), "/etc/keepalived/keepalived.conf",
                T0.minusSeconds(30), "dry-run", List.of(master, backup), List.of(vs, fwm));
    }

    public static IpvsTable table() throws Exception {
        Service vs = Service.of(ServiceKey.of(Protocol.TCP, InetAddress.getByName("10.0.0.100"), 80),
                "rr");
        Destination rs = Destination.of(InetAddress.getByName("10.0.0.2"), 80, Forwarding.MASQ, 1);
        return new IpvsTable(List.of(new IpvsTable.Row(new ServiceEntry(vs, IpvsStats.ZERO),
                List.of(new DestEntry(rs, 0, 0, 0, IpvsStats.ZERO)))));
    }

    /** A status source serving fixed values. */
    public static StatusSource source(DaemonStatus s, IpvsTable t) {
        return new StatusSource() {
            @Override
            public DaemonStatus status() {
                return s;
            }

            @Override
            public IpvsTable ipvsTable() {
                return t;
            }
        };
    }
}
