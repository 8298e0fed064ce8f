package io.javalived.netlink.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.netlink.NlMessage;
import io.javalived.netlink.ffi.LibC;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Decoding of rtnetlink address and link messages as the kernel sends them (built with the core codec). */
class RouteCodecTest {

    @Test
    void parsesAnAddressPreferringLocalAndTheFlagsAttribute() throws Exception {
        NlMessage m = NlMessage.of(NlMessage.builder(AddressManager.RTM_NEWADDR, 0)
                .headerU8(LibC.AF_INET).headerU8(24).headerU8(AddressManager.IFA_F_SECONDARY)
                .headerU8(AddressManager.RT_SCOPE_LINK).headerU32(7)
                .bytes(AddressManager.IFA_ADDRESS, InetAddress.getByName("10.0.0.9").getAddress())
                .bytes(AddressManager.IFA_LOCAL, InetAddress.getByName("10.0.0.1").getAddress())
                .string(AddressManager.IFA_LABEL, "eth0:vip")
                .u32(AddressManager.IFA_FLAGS, AddressManager.IFA_F_PERMANENT | AddressManager.IFA_F_NOPREFIXROUTE)
                .toBytes(0, 0));
        AddressManager.Address a = AddressManager.parse(m);
        assertThat(a).isEqualTo(new AddressManager.Address(7, InetAddress.getByName("10.0.0.1"), 24,
                AddressManager.RT_SCOPE_LINK, AddressManager.IFA_F_PERMANENT | AddressManager.IFA_F_NOPREFIXROUTE,
                "eth0:vip"));
    }

    @Test
    void parsesAnIpv6AddressWithoutLocalAndKeepsTheHeaderFlags() throws Exception {
        NlMessage m = NlMessage.of(NlMessage.builder(AddressManager.RTM_NEWADDR, 0)
                .headerU8(LibC.AF_INET6).headerU8(64).headerU8(AddressManager.IFA_F_NODAD).headerU8(0).headerU32(3)
                .bytes(AddressManager.IFA_ADDRESS, InetAddress.getByName("fd00::1").getAddress())
                .toBytes(0, 0));
        AddressManager.Address a = AddressManager.parse(m);
        assertThat(a.address()).isEqualTo(InetAddress.getByName("fd00::1"));
        assertThat(a.flags()).isEqualTo(AddressManager.IFA_F_NODAD);
        assertThat(a.label()).isNull();
    }

    @Test
    void ignoresOtherTypesFamiliesAndMalformedAddresses() throws Exception {
        byte[] v4 = InetAddress.getByName("10.0.0.1").getAddress();
        assertThat(AddressManager.parse(NlMessage.of(NlMessage.builder(AddressManager.RTM_DELADDR, 0)
                .headerU8(LibC.AF_INET).headerU8(24).headerU8(0).headerU8(0).headerU32(1)
                .bytes(AddressManager.IFA_LOCAL, v4).toBytes(0, 0)))).isNull();
        assertThat(AddressManager.parse(NlMessage.of(NlMessage.builder(AddressManager.RTM_NEWADDR, 0)
                .headerU8(17).headerU8(24).headerU8(0).headerU8(0).headerU32(1)
                .bytes(AddressManager.IFA_LOCAL, v4).toBytes(0, 0)))).as("AF_PACKET").isNull();
        assertThat(AddressManager.parse(NlMessage.of(NlMessage.builder(AddressManager.RTM_NEWADDR, 0)
                .headerU8(LibC.AF_INET).headerU8(24).headerU8(0).headerU8(0).headerU32(1)
                .bytes(AddressManager.IFA_LOCAL, new byte[3]).toBytes(0, 0)))).as("3-byte address").isNull();
        assertThat(AddressManager.parse(NlMessage.of(NlMessage.builder(AddressManager.RTM_NEWADDR, 0)
                .headerU8(LibC.AF_INET).toBytes(0, 0)))).as("truncated ifaddrmsg").isNull();
        byte[] bad = NlMessage.builder(AddressManager.RTM_NEWADDR, 0)
                .headerU8(LibC.AF_INET).headerU8(24).headerU8(0).headerU8(0).headerU32(1)
                .bytes(AddressManager.IFA_LOCAL, v4).toBytes(0, 0);
        bad[24] = 40; // attribute length past the end of the message
        assertThat(AddressManager.parse(NlMessage.of(bad))).as("bad attribute length").isNull();
    }

    @Test
    void parsesALinkWithNameFlagsAndHardwareAddress() {
        byte[] mac = {2, 0, 0, 0, 0, 1};
        NlMessage m = NlMessage.of(NlMessage.builder(LinkMonitor.RTM_NEWLINK, 0)
                .headerU8(0).headerU8(0).headerU16(1).headerU32(5)
                .headerU32(LinkMonitor.IFF_UP | LinkMonitor.IFF_RUNNING | LinkMonitor.IFF_LOWER_UP).headerU32(0)
                .bytes(LinkMonitor.IFLA_ADDRESS, mac).string(LinkMonitor.IFLA_IFNAME, "eth1").u32(LinkMonitor.IFLA_MTU, 1500)
                .toBytes(0, 0));
        LinkMonitor.Link l = LinkMonitor.parse(m);
        assertThat(l.index()).isEqualTo(5);
        assertThat(l.name()).isEqualTo("eth1");
        assertThat(l.hardwareAddress()).containsExactly(mac);
        assertThat(l.up()).isTrue();
        assertThat(new LinkMonitor.Link(5, "eth1", LinkMonitor.IFF_UP, null).up()).as("no carrier").isFalse();
    }

    @Test
    void ignoresLinksWithoutNameOrTruncated() {
        assertThat(LinkMonitor.parse(NlMessage.of(NlMessage.builder(LinkMonitor.RTM_NEWLINK, 0)
                .headerU8(0).headerU8(0).headerU16(1).headerU32(5).headerU32(1).headerU32(0)
                .toBytes(0, 0)))).isNull();
        assertThat(LinkMonitor.parse(NlMessage.of(NlMessage.builder(LinkMonitor.RTM_NEWLINK, 0)
                .headerU8(0).headerU8(0).headerU16(1).headerU32(5).toBytes(0, 0)))).isNull();
    }
}
