package io.javalived.netlink.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.netlink.Netlink;
import io.javalived.netlink.NlAttrs;
import io.javalived.netlink.NlMessage;
import io.javalived.netlink.ffi.LibC;
import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The RTM_NEWROUTE / RTM_DELROUTE / RTM_NEWRULE / RTM_DELRULE requests keepalived 2.2.7 sends, byte by byte. */
class RouteRequestTest {
    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    static RouteManager.Route route(RouteManager.AddMode mode, int type, int scope, int table) throws Exception {
        return new RouteManager.Route(LibC.AF_INET, type, ip("198.51.100.0"), 24, null, 0, ip("192.0.2.1"),
                ip("192.0.2.11"), 3, table, RouteManager.RTPROT_KEEPALIVED, scope, 7, -1, RouteManager.RTNH_F_ONLINK,
                -1, Map.of(2, 1400L, 1, 4L), "cubic", mode);
    }

    @Test
    void addRouteIsPrependByDefaultWithKeepalivedsHeaderAndAttributes() throws Exception {
        NlMessage m = NlMessage.of(RouteManager.routeRequest(route(RouteManager.AddMode.PREPEND, 0, -1, 100), true)
                .toBytes(1, 0));
        assertThat(m.type()).isEqualTo(RouteManager.RTM_NEWROUTE);
        assertThat(m.flags() & (Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL | Netlink.NLM_F_APPEND))
                .isEqualTo(Netlink.NLM_F_CREATE);
        // rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type, flags
        assertThat(new int[] {m.payloadU8(0), m.payloadU8(1), m.payloadU8(2), m.payloadU8(3), m.payloadU8(4),
            m.payloadU8(5), m.payloadU8(6), m.payloadU8(7)}).containsExactly(LibC.AF_INET, 24, 0, 0, 100, 18, 0,
                RouteManager.RTN_UNICAST);
        assertThat(m.payloadU32(8)).isEqualTo(RouteManager.RTNH_F_ONLINK);
        NlAttrs a = m.attrs(12);
        assertThat(a.get(RouteManager.RTA_DST).bytes()).isEqualTo(ip("198.51.100.0").getAddress());
        assertThat(a.get(RouteManager.RTA_GATEWAY).bytes()).isEqualTo(ip("192.0.2.1").getAddress());
        assertThat(a.get(RouteManager.RTA_PREFSRC).bytes()).isEqualTo(ip("192.0.2.11").getAddress());
        assertThat(a.u32(RouteManager.RTA_OIF, 0)).isEqualTo(3);
        assertThat(a.u32(RouteManager.RTA_PRIORITY, 0)).isEqualTo(7);
        assertThat(a.get(RouteManager.RTA_TABLE)).isNull();
        NlAttrs metrics = a.nested(RouteManager.RTA_METRICS);
        assertThat(metrics.u32(2, 0)).isEqualTo(1400);
        assertThat(metrics.u32(RouteManager.RTAX_LOCK, 0)).isEqualTo(4);
        assertThat(metrics.string(RouteManager.RTAX_CC_ALGO, null)).isEqualTo("cubic");
    }

    @Test
    void addAndAppendFlagsBigTablesAndDeleteScope() throws Exception {
        assertThat(RouteManager.routeRequest(route(RouteManager.AddMode.ADD, 0, -1, 100), true).flags()
                & Netlink.NLM_F_EXCL).isNotZero();
        assertThat(RouteManager.routeRequest(route(RouteManager.AddMode.APPEND, 0, -1, 100), true).flags()
                & Netlink.NLM_F_APPEND).isNotZero();
        NlMessage big = NlMessage.of(RouteManager.routeRequest(route(RouteManager.AddMode.PREPEND, 6, -1, 1000), true)
                .toBytes(1, 0));
        assertThat(big.payloadU8(4)).isZero(); // RT_TABLE_UNSPEC, the table in RTA_TABLE
        assertThat(big.attrs(12).u32(RouteManager.RTA_TABLE, 0)).isEqualTo(1000);
        assertThat(big.payloadU8(7)).isEqualTo(6);
        NlMessage del = NlMessage.of(RouteManager.routeRequest(route(RouteManager.AddMode.PREPEND, 0, -1, 100), false)
                .toBytes(1, 0));
        assertThat(del.type()).isEqualTo(RouteManager.RTM_DELROUTE);
        assertThat(del.flags() & Netlink.NLM_F_CREATE).isZero();
        assertThat(del.payloadU8(6)).isEqualTo(AddressManager.RT_SCOPE_NOWHERE);
        assertThat(del.payloadU8(7)).as("type only when given").isZero();
        assertThat(del.payloadU8(5)).isEqualTo(18);
    }

    @Test
    void ruleRequest() throws Exception {
        RouteManager.Rule r = new RouteManager.Rule(LibC.AF_INET, RouteManager.FR_ACT_TO_TBL, ip("192.0.2.11"), 32,
                ip("198.51.100.0"), 24, 8, 100, 100, 7, 0xff, "eth0", "eth1", true, 0, 18, 0, 6,
                new int[] {1024, 1024}, new int[] {80, 90}, new long[] {1000, 2000}, false);
        NlMessage m = NlMessage.of(RouteManager.ruleRequest(r, true).toBytes(1, 0));
        assertThat(m.type()).isEqualTo(RouteManager.RTM_NEWRULE);
        assertThat(m.flags() & (Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL))
                .isEqualTo(Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL);
        // fib_rule_hdr: family, dst_len, src_len, tos, table, res1, res2, action, flags
        assertThat(new int[] {m.payloadU8(0), m.payloadU8(1), m.payloadU8(2), m.payloadU8(3), m.payloadU8(4),
            m.payloadU8(7)}).containsExactly(LibC.AF_INET, 24, 32, 8, 100, RouteManager.FR_ACT_TO_TBL);
        assertThat(m.payloadU32(8)).isEqualTo(RouteManager.FIB_RULE_INVERT);
        NlAttrs a = m.attrs(12);
        assertThat(a.get(RouteManager.FRA_SRC).bytes()).isEqualTo(ip("192.0.2.11").getAddress());
        assertThat(a.u32(RouteManager.FRA_PRIORITY, 0)).isEqualTo(100);
        assertThat(a.u32(RouteManager.FRA_FWMARK, 0)).isEqualTo(7);
        assertThat(a.u32(RouteManager.FRA_FWMASK, 0)).isEqualTo(0xff);
        assertThat(a.string(RouteManager.FRA_IIFNAME, null)).isEqualTo("eth0");
        assertThat(a.string(RouteManager.FRA_OIFNAME, null)).isEqualTo("eth1");
        assertThat(a.u8(RouteManager.FRA_PROTOCOL, 0)).isEqualTo(18);
        assertThat(a.u8(RouteManager.FRA_IP_PROTO, 0)).isEqualTo(6);
        assertThat(a.get(RouteManager.FRA_DPORT_RANGE).bytes()).containsExactly(80, 0, 90, 0);
        assertThat(a.get(RouteManager.FRA_UID_RANGE).bytes()).containsExactly(0xe8, 3, 0, 0, 0xd0, 7, 0, 0);
        assertThat(a.get(RouteManager.FRA_SUPPRESS_PREFIXLEN)).as("0 is a value: only -1 is 'not given'")
                .isNotNull();
        NlMessage del = NlMessage.of(RouteManager.ruleRequest(r, false).toBytes(1, 0));
        assertThat(del.type()).isEqualTo(RouteManager.RTM_DELRULE);
        assertThat(del.flags() & Netlink.NLM_F_CREATE).isZero();
    }
}
