package io.javalived.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.config.model.KeepalivedConfig;
import io.javalived.config.model.VirtualRoute;
import io.javalived.config.model.VirtualRule;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** virtual_routes / virtual_rules / static_* read as keepalived 2.2.7's vrrp_iproute.c and vrrp_iprule.c read them. */
class RouteRuleParserTest {
    static ConfigResult result(String extra) throws ConfigException {
        return KeepalivedConfigReaderTest.result(KeepalivedConfigReaderTest.vrrp(extra));
    }

    static VirtualRoute route(String line) throws ConfigException {
        return result("virtual_routes {\n " + line + "\n }").config().vrrpInstances().get(0).virtualRoutes().get(0);
    }

    static VirtualRule rule(String line) throws ConfigException {
        return result("virtual_rules {\n " + line + "\n }").config().vrrpInstances().get(0).virtualRules().get(0);
    }

    static String errorOf(String block, String line) {
        return KeepalivedConfigReaderTest.error(KeepalivedConfigReaderTest.vrrp(block + " {\n " + line + "\n }"))
                .getMessage();
    }

    @Test
    void commonRouteOptions() throws Exception {
        VirtualRoute r = route("src 192.0.2.11 to 198.51.100.0/24 via 192.0.2.1 dev eth0 table 100 metric 7 scope link"
                + " onlink tos 0x10 mtu lock 1400 initcwnd 10 append");
        assertThat(r.ipv6()).isFalse();
        assertThat(r.destination()).isEqualTo(InetAddress.getByName("198.51.100.0"));
        assertThat(r.prefixLength()).isEqualTo(24);
        assertThat(r.src()).contains(InetAddress.getByName("192.0.2.11"));
        assertThat(r.via()).contains(InetAddress.getByName("192.0.2.1"));
        assertThat(r.dev()).contains("eth0");
        assertThat(r.table()).isEqualTo(100);
        assertThat(r.metric()).contains(7L);
        assertThat(r.scope()).contains(253);
        assertThat(r.onlink()).isTrue();
        assertThat(r.tos()).contains(0x10);
        assertThat(r.metrics()).isEqualTo(Map.of(2, 1400L, 11, 10L, 1, 1L << 2)); // RTAX_MTU, INITCWND, LOCK
        assertThat(r.mode()).isEqualTo("append");
        assertThat(r.protocol()).isEqualTo(18); // tracked: RTPROT_KEEPALIVED
        assertThat(r.type()).isZero();
    }

    @Test
    void typesTablesAndProtocols() throws Exception {
        VirtualRoute b = route("blackhole 203.0.113.0/24 table main no_track protocol static");
        assertThat(b.type()).isEqualTo(6);
        assertThat(b.table()).isEqualTo(254);
        assertThat(b.protocol()).isEqualTo(4); // no_track keeps the protocol given
        assertThat(route("unreachable 203.0.113.7 no_track").type()).isEqualTo(7);
        assertThat(route("prohibit 203.0.113.7 no_track").prefixLength()).isEqualTo(32);
        VirtualRoute d = route("default via 192.0.2.1 dev eth0 table 1000");
        assertThat(d.prefixLength()).isZero();
        assertThat(d.table()).isEqualTo(1000);
        VirtualRoute v6 = route("2001:db8:1::/48 via fe80::1 dev eth0 pref high");
        assertThat(v6.ipv6()).isTrue();
        assertThat(v6.pref()).contains(1);
        assertThat(route("inet6 default dev eth0").destination()).isEqualTo(InetAddress.getByName("::"));
    }

    @Test
    void trackedRouteWithoutInterfaceWarnsAsKeepalived() throws Exception {
        ConfigResult r = result("virtual_routes {\n 198.51.100.0/24 via 192.0.2.1\n }");
        assertThat(r.warnings()).anyMatch(w -> w.message().contains("cannot track route 198.51.100.0/24"));
        assertThat(r.config().vrrpInstances().get(0).virtualRoutes().get(0).noTrack()).isTrue();
    }

    @Test
    void routeErrorsAndRefusals() {
        assertThat(errorOf("virtual_routes", "198.51.100.0/24 via 2001:db8::1"))
                .contains("Cannot mix IPv4 and IPv6");
        assertThat(errorOf("virtual_routes", "198.51.100.0/24 table nosuchtable"))
                .contains("Routing table nosuchtable not found");
        assertThat(errorOf("virtual_routes", "198.51.100.0/24 nexthop via 192.0.2.1"))
                .contains("'nexthop' is refused by javalived").contains("multipath");
        assertThat(errorOf("virtual_routes", "198.51.100.0/24 rtt 3")).contains("refused");
        assertThat(errorOf("virtual_routes", "via 192.0.2.1")).contains("Route must have a destination");
        assertThat(errorOf("virtual_routes", "198.51.100.0/24 bogus")).contains("unknown route keyword bogus");
    }

    @Test
    void commonRuleOptions() throws Exception {
        VirtualRule r = rule("from 192.0.2.11/32 to 198.51.100.0/24 table 100 priority 100 fwmark 0x10/0xff iif eth0"
                + " oif eth1 tos 8 ipproto tcp dport 80-90 sport 1024 uidrange 1000-2000");
        assertThat(r.action()).isEqualTo(1);
        assertThat(r.from()).contains(InetAddress.getByName("192.0.2.11"));
        assertThat(r.toLength()).isEqualTo(24);
        assertThat(r.table()).isEqualTo(100);
        assertThat(r.priority()).isEqualTo(100);
        assertThat(r.fwmark()).contains(16L);
        assertThat(r.fwmask()).contains(255L);
        assertThat(r.iif()).contains("eth0");
        assertThat(r.oif()).contains("eth1");
        assertThat(r.ipProto()).contains(6);
        assertThat(r.dport()).containsExactly(80, 90);
        assertThat(r.sport()).containsExactly(1024, 1024);
        assertThat(r.uidRange()).containsExactly(1000L, 2000L);
        assertThat(r.protocol()).isEqualTo(18);
        assertThat(rule("not from all priority 5 blackhole").action()).isEqualTo(6);
        assertThat(rule("not from all priority 5 type prohibit").invert()).isTrue();
        assertThat(rule("from 2001:db8::/64 lookup main priority 3").ipv6()).isTrue();
        assertThat(rule("priority 10 goto 20 no_track").gotoTarget()).isEqualTo(20);
        assertThat(rule("priority 10 table 5 no_track").protocol()).isZero();
    }

    @Test
    void ruleWithoutPreferenceIsNumberedDownFrom16384() throws Exception {
        ConfigResult r = result("virtual_rules {\n from 192.0.2.11 table 100\n from 192.0.2.12 table 100\n }");
        assertThat(r.config().vrrpInstances().get(0).virtualRules()).extracting(VirtualRule::priority)
                .containsExactly(16384L, 16383L);
        assertThat(r.warnings()).anyMatch(w -> w.message().contains("setting to 16384"));
    }

    @Test
    void ruleErrorsAndRefusals() {
        assertThat(errorOf("virtual_rules", "from 192.0.2.11 priority 3")).contains("No action specified for rule");
        assertThat(errorOf("virtual_rules", "from 192.0.2.11 priority 3 table 5 blackhole"))
                .contains("Cannot specify more than one");
        assertThat(errorOf("virtual_rules", "priority 30 goto 20")).contains("preference 30 >= goto target 20");
        assertThat(errorOf("virtual_rules", "priority 3 table 5 realms 4")).contains("'realms' is refused");
        assertThat(errorOf("virtual_rules", "priority 3 table 5 bogus")).contains("Unknown rule option bogus");
    }

    @Test
    void staticBlocksAreInTheModel() throws Exception {
        KeepalivedConfig c = KeepalivedConfigReaderTest.read("""
                static_ipaddress {
                    192.0.2.20/32 dev eth0
                }
                static_routes {
                    198.51.100.0/24 via 192.0.2.1 dev eth0 table 7
                }
                static_rules {
                    from 192.0.2.20 table 7 priority 70
                }
                """);
        assertThat(c.staticAddresses()).hasSize(1);
        assertThat(c.staticRoutes()).extracting(VirtualRoute::table).containsExactly(7L);
        assertThat(c.staticRules()).extracting(VirtualRule::priority).containsExactly(70L);
        assertThat(c.staticRules().get(0).iif()).isEqualTo(Optional.empty());
    }

    @Test
    void useVmacNameAndRefusedMac() throws Exception {
        var i = result("use_vmac vrrp.x").config().vrrpInstances().get(0);
        assertThat(i.useVmac()).isTrue();
        assertThat(i.vmacInterfaceName()).contains("vrrp.x");
        assertThat(KeepalivedConfigReaderTest.error(KeepalivedConfigReaderTest.vrrp("use_vmac vrrp.x 00:00:5e:00:01:09"))
                .getMessage()).contains("refused");
        assertThat(result("vmac_xmit_base").config().vrrpInstances().get(0).vmacXmitBase())
                .as("only valid with a vmac: cleared as keepalived does").isFalse();
    }
}
