package io.javalived.netlink.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.netlink.Netlink;
import io.javalived.netlink.NlAttrs;
import io.javalived.netlink.NlMessage;
import io.javalived.netlink.ffi.LibC;
import org.junit.jupiter.api.Test;

/** The RTM_NEWLINK requests keepalived 2.2.7 sends for a VMAC (vrrp_vmac.c), byte by byte. */
class LinkRequestTest {
    @Test
    void macvlanInPrivateModeOverTheBaseWithTheVirtualMac() {
        byte[] mac = {0, 0, 0x5e, 0, 1, 51};
        NlMessage m = NlMessage.of(LinkManager.macvlanRequest("vrrp.51", 7, mac, LinkManager.MACVLAN_MODE_PRIVATE)
                .toBytes(1, 0));
        assertThat(m.type()).isEqualTo(LinkManager.RTM_NEWLINK);
        assertThat(m.flags() & (Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL))
                .isEqualTo(Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL);
        assertThat(m.payloadU8(0)).isEqualTo(LibC.AF_UNSPEC);
        assertThat(m.payloadS32(4)).as("no index: a new link").isZero();
        NlAttrs a = m.attrs(16);
        assertThat(a.string(LinkManager.IFLA_IFNAME, null)).isEqualTo("vrrp.51");
        assertThat(a.u32(LinkManager.IFLA_LINK, 0)).isEqualTo(7);
        assertThat(a.get(LinkManager.IFLA_ADDRESS).bytes()).isEqualTo(mac);
        NlAttrs info = a.nested(LinkManager.IFLA_LINKINFO);
        assertThat(info.string(LinkManager.IFLA_INFO_KIND, null)).isEqualTo("macvlan");
        assertThat(info.nested(LinkManager.IFLA_INFO_DATA).u32(LinkManager.IFLA_MACVLAN_MODE, 0))
                .isEqualTo(LinkManager.MACVLAN_MODE_PRIVATE);
    }

    @Test
    void addrGenModeNoneAndUp() {
        NlMessage g = NlMessage.of(LinkManager.addrGenModeNoneRequest(9).toBytes(1, 0));
        assertThat(g.payloadS32(4)).isEqualTo(9);
        assertThat(g.attrs(16).nested(LinkManager.IFLA_AF_SPEC).nested(LibC.AF_INET6)
                .u8(LinkManager.IFLA_INET6_ADDR_GEN_MODE, -1)).isEqualTo(LinkManager.IN6_ADDR_GEN_MODE_NONE);
        NlMessage up = NlMessage.of(LinkManager.upRequest(9).toBytes(1, 0));
        assertThat(up.payloadS32(4)).isEqualTo(9);
        assertThat(up.payloadU32(8)).as("ifi_flags").isEqualTo(LinkMonitor.IFF_UP);
        assertThat(up.payloadU32(12)).as("ifi_change").isEqualTo(LinkMonitor.IFF_UP);
    }
}
