package io.javalived.ipvs;

import io.javalived.inet.Protocol;
import io.javalived.inet.InetText;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Text layout against real ipvsadm 1.31 output (src/test/resources/ipvsadm/*.txt, captured in the IPVS VM from a
 * table built with ipvsadm: every forwarding method, tunnel types, sh/mh flags, persistence + mask, ops, pe, SCTP,
 * fwmark, IPv6). The table here is the same one, given in the kernel's order (newest destination first).
 */
class IpvsTextTest {
    static final IpvsInfo INFO = new IpvsInfo(0x010201, 4096);

    static InetAddress ip(String s) {
        return InetText.parse(s);
    }

    static DestEntry dest(Destination r) {
        return new DestEntry(r, 0, 0, 0, IpvsStats.ZERO);
    }

    static IpvsTable.Row svc(Service v, Destination... rs) {
        List<DestEntry> d = new ArrayList<>();
        for (Destination r : rs) {
            d.add(dest(r));
        }
        return new IpvsTable.Row(new ServiceEntry(v, IpvsStats.ZERO), d);
    }

    /** The probe table (see the class comment). */
    static IpvsTable probeTable(boolean shuffle) {
        ServiceKey web = ServiceKey.of(Protocol.TCP, ip("10.0.0.1"), 80);
        ServiceKey v6 = ServiceKey.of(Protocol.TCP, ip("2001:db8::1"), 80);
        List<IpvsTable.Row> l = new ArrayList<>(List.of(
                svc(Service.of(web, "wlc"),
                        Destination.of(ip("10.0.1.6"), 80, Forwarding.TUNNEL, 1)
                                .withTunnel(TunnelType.GUE, 6081, Ipvs.TUNNEL_ENCAP_FLAG_REMCSUM),
                        Destination.of(ip("10.0.1.5"), 80, Forwarding.TUNNEL, 1)
                                .withTunnel(TunnelType.GRE, 0, Ipvs.TUNNEL_ENCAP_FLAG_CSUM),
                        Destination.of(ip("10.0.1.4"), 80, Forwarding.TUNNEL, 1).withTunnel(TunnelType.GUE, 6080, 0),
                        Destination.of(ip("10.0.1.3"), 80, Forwarding.TUNNEL, 1),
                        Destination.of(ip("10.0.1.2"), 80, Forwarding.ROUTE, 0).withThresholds(100, 10),
                        Destination.of(ip("10.0.1.1"), 8080, Forwarding.MASQ, 3)),
                svc(Service.of(ServiceKey.of(Protocol.UDP, ip("10.0.0.1"), 53), "rr")
                        .withPersistence(300, 0xffffff00L)),
                svc(Service.of(ServiceKey.of(Protocol.TCP, ip("10.0.0.2"), 443), "sh")
                        .withFlags(Ipvs.SVC_F_SCHED_SH_FALLBACK | Ipvs.SVC_F_SCHED_SH_PORT)),
                svc(Service.of(ServiceKey.of(Protocol.TCP, ip("10.0.0.3"), 443), "mh")
                        .withFlags(Ipvs.SVC_F_SCHED_MH_FALLBACK | Ipvs.SVC_F_SCHED_MH_PORT)),
                svc(Service.of(ServiceKey.of(Protocol.UDP, ip("10.0.0.4"), 5060), "rr")
                        .withFlags(Ipvs.SVC_F_ONEPACKET)),
                svc(Service.of(ServiceKey.of(Protocol.UDP, ip("10.0.0.5"), 5060), "rr")
                        .withPersistence(60, 0xffffffffL).withPeName("sip")),
                svc(Service.of(ServiceKey.of(Protocol.SCTP, ip("10.0.0.6"), 3868), "rr")),
                svc(Service.of(ServiceKey.fwmark(7, false), "rr").withPersistence(360, 0xffffffffL),
                        Destination.of(ip("10.0.1.7"), 0, Forwarding.ROUTE, 1)),
                svc(Service.of(ServiceKey.fwmark(8, true), "rr"),
                        Destination.of(ip("2001:db8::7"), 0, Forwarding.ROUTE, 1)),
                svc(Service.of(v6, "wrr").withPersistence(120, 64),
                        Destination.of(ip("2001:db8::2"), 80, Forwarding.MASQ, 5),
                        Destination.of(ip("10.0.2.2"), 80, Forwarding.TUNNEL, 1)),
                svc(Service.of(ServiceKey.of(Protocol.TCP, ip("10.0.0.9"), 0), "rr")
                        .withPersistence(30, 0xffffffffL))));
        if (shuffle) {
            Collections.shuffle(l, new Random(42));
        }
        return new IpvsTable(l);
    }

    static String golden(String name) throws Exception {
        try (InputStream in = IpvsTextTest.class.getResourceAsStream("/ipvsadm/" + name + ".txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void defaultListingMatchesIpvsadm() throws Exception {
        assertThat(IpvsText.listing(INFO, probeTable(false), IpvsText.Format.DEFAULT, false))
                .isEqualTo(golden("default"));
        assertThat(IpvsText.listing(INFO, probeTable(true), IpvsText.Format.DEFAULT, false))
                .isEqualTo(golden("default"));
    }

    @Test
    void otherListingsMatchIpvsadm() throws Exception {
        IpvsTable t = probeTable(true);
        assertThat(IpvsText.listing(INFO, t, IpvsText.Format.STATS, false)).isEqualTo(golden("stats"));
        assertThat(IpvsText.listing(INFO, t, IpvsText.Format.RATE, false)).isEqualTo(golden("rate"));
        assertThat(IpvsText.listing(INFO, t, IpvsText.Format.THRESHOLDS, false)).isEqualTo(golden("thresholds"));
        assertThat(IpvsText.listing(INFO, t, IpvsText.Format.PERSISTENT_CONN, false))
                .isEqualTo(golden("persistent-conn"));
        assertThat(IpvsText.listing(INFO, t, IpvsText.Format.TUN_INFO, false)).isEqualTo(golden("tun-info"));
    }

    @Test
    void emptyTable() {
        assertThat(IpvsText.listing(INFO, new IpvsTable(List.of()), IpvsText.Format.DEFAULT, false)).isEqualTo(
                "IP Virtual Server version 1.2.1 (size=4096)\n"
                        + "Prot LocalAddress:Port Scheduler Flags\n"
                        + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n");
    }

    @Test
    void largeNumbersAsIpvsadmPrintsThem() {
        StringBuilder sb = new StringBuilder();
        IpvsText.num(sb, false, 99_999_999L, 100_000_000L, 999_999_999L, 1_000_000_000L, 99_999_999_999L,
                100_000_000_000L, 100_000_000_000_000L, -1L);
        assertThat(sb.toString()).isEqualTo(" 99999999" + "  100000K" + "  999999K" + "    1000M" + "   99999M"
                + "     100G" + "     100T" + "18446744T");
        StringBuilder ex = new StringBuilder();
        IpvsText.num(ex, true, 5, 123456789012L);
        assertThat(ex.toString()).isEqualTo("        5 123456789012");
    }

    @Test
    void ordersLikeIpvsadmIncludingItsWrapAround() {
        // ipvsadm subtracts addresses as C ints: 10.x - 200.x wraps to a positive number, so 200.0.0.1 sorts first
        ServiceKey a = ServiceKey.of(Protocol.TCP, ip("10.0.0.1"), 80);
        ServiceKey b = ServiceKey.of(Protocol.TCP, ip("200.0.0.1"), 80);
        IpvsTable t = new IpvsTable(List.of(svc(Service.of(a, "rr")), svc(Service.of(b, "rr"))));
        assertThat(IpvsText.sortedServices(t)).extracting(IpvsTable.Row::key).containsExactly(b, a);
        ServiceKey c = ServiceKey.of(Protocol.TCP, ip("10.0.0.1"), 81);
        t = new IpvsTable(List.of(svc(Service.of(c, "rr")), svc(Service.of(a, "rr"))));
        assertThat(IpvsText.sortedServices(t)).extracting(IpvsTable.Row::key).containsExactly(a, c);
    }

    @Test
    void jsonCarriesEveryField() {
        String j = IpvsText.json(INFO, probeTable(false));
        assertThat(j).startsWith("{\"version\":\"1.2.1\",\"connTableSize\":4096,\"services\":[{\"family\":\"inet\","
                + "\"protocol\":\"TCP\",\"address\":\"10.0.0.1\",\"port\":80,\"scheduler\":\"wlc\"");
        assertThat(j).contains("\"fwmark\":8", "\"netmask\":64", "\"pe\":\"sip\"", "\"flags\":[\"sh-fallback\",\"sh-port\"]",
                "\"tunnel\":{\"type\":\"gue\",\"port\":6080,\"flags\":\"gue:6080:-c\"}", "\"upperThreshold\":100");
        assertThat(j.chars().filter(ch -> ch == '{').count()).isEqualTo(j.chars().filter(ch -> ch == '}').count());
    }
}
