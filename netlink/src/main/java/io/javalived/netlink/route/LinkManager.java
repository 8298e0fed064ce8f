package io.javalived.netlink.route;

import io.javalived.netlink.Netlink;
import io.javalived.netlink.NetlinkSocket;
import io.javalived.netlink.NlMessage;
import io.javalived.netlink.ffi.Errno;
import io.javalived.netlink.ffi.LibC;
import io.javalived.netlink.ffi.NativeException;
import java.io.Closeable;

/**
 * Creates, brings up and deletes links over rtnetlink, as keepalived 2.2.7's vrrp_vmac.c does for a VRRP virtual MAC
 * interface: RTM_NEWLINK (NLM_F_CREATE | NLM_F_EXCL) with IFLA_LINKINFO {kind "macvlan", IFLA_INFO_DATA
 * {IFLA_MACVLAN_MODE private}}, IFLA_LINK (the base interface), IFLA_IFNAME and IFLA_ADDRESS (the virtual MAC); then
 * IFLA_AF_SPEC {AF_INET6 {IFLA_INET6_ADDR_GEN_MODE none}} (no automatic link-local address, RFC 5798 7.4), then up.
 */
public final class LinkManager implements Closeable {
    static final int RTM_NEWLINK = 16, RTM_DELLINK = 17;
    static final int IFLA_ADDRESS = 1, IFLA_IFNAME = 3, IFLA_LINK = 5, IFLA_LINKINFO = 18, IFLA_AF_SPEC = 26;
    static final int IFLA_INFO_KIND = 1, IFLA_INFO_DATA = 2, IFLA_MACVLAN_MODE = 1;
    static final int IFLA_INET6_ADDR_GEN_MODE = 8, IN6_ADDR_GEN_MODE_NONE = 1;
    public static final int MACVLAN_MODE_PRIVATE = 1;

    private final NetlinkSocket sock;

    public LinkManager() throws NativeException {
        sock = NetlinkSocket.open(Netlink.NETLINK_ROUTE);
    }

    /** The RTM_NEWLINK request creating macvlan {@code name} over {@code parentIndex} with {@code mac}. */
    public static NlMessage.Builder macvlanRequest(String name, int parentIndex, byte[] mac, int mode) {
        NlMessage.Builder m = ifinfo(RTM_NEWLINK, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL, 0, 0, 0);
        int info = m.beginNested(IFLA_LINKINFO);
        m.string(IFLA_INFO_KIND, "macvlan");
        int data = m.beginNested(IFLA_INFO_DATA);
        m.u32(IFLA_MACVLAN_MODE, mode);
        m.endNested(data);
        m.endNested(info);
        m.u32(IFLA_LINK, parentIndex);
        m.string(IFLA_IFNAME, name);
        m.bytes(IFLA_ADDRESS, mac);
        return m.describe("rtnetlink create macvlan " + name);
    }

    /** The RTM_NEWLINK request setting IPv6 address generation mode "none" on {@code index}. */
    public static NlMessage.Builder addrGenModeNoneRequest(int index) {
        NlMessage.Builder m = ifinfo(RTM_NEWLINK, 0, index, 0, 0);
        int spec = m.beginNested(IFLA_AF_SPEC);
        int inet6 = m.beginNested(LibC.AF_INET6);
        m.u8(IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
        m.endNested(inet6);
        m.endNested(spec);
        return m.describe("rtnetlink set addr_gen_mode none on ifindex " + index);
    }

    /** The RTM_NEWLINK request bringing {@code index} up. */
    public static NlMessage.Builder upRequest(int index) {
        return ifinfo(RTM_NEWLINK, 0, index, LinkMonitor.IFF_UP, LinkMonitor.IFF_UP)
                .describe("rtnetlink set ifindex " + index + " up");
    }

    /** Creates a macvlan. Throws (EEXIST when the name is taken). */
    public void createMacvlan(String name, int parentIndex, byte[] mac, int mode) throws NativeException {
        sock.request(macvlanRequest(name, parentIndex, mac, mode).addFlags(Netlink.NLM_F_ACK));
    }

    /** No automatic IPv6 link-local address on {@code index}. */
    public void setAddrGenModeNone(int index) throws NativeException {
        sock.request(addrGenModeNoneRequest(index).addFlags(Netlink.NLM_F_ACK));
    }

    public void setUp(int index) throws NativeException {
        sock.request(upRequest(index).addFlags(Netlink.NLM_F_ACK));
    }

    /** Deletes a link. Returns false if it was not there. */
    public boolean delete(int index) throws NativeException {
        try {
            sock.request(ifinfo(RTM_DELLINK, 0, index, 0, 0).describe("rtnetlink delete ifindex " + index)
                    .addFlags(Netlink.NLM_F_ACK));
            return true;
        } catch (NativeException e) {
            if (e.errno() == Errno.ENODEV) {
                return false;
            }
            throw e;
        }
    }

    /** struct ifinfomsg {family, pad, type, index, flags, change}. */
    private static NlMessage.Builder ifinfo(int type, int flags, int index, int ifFlags, int change) {
        return NlMessage.builder(type, flags).headerU8(LibC.AF_UNSPEC).headerU8(0).headerU16(0).headerU32(index)
                .headerU32(ifFlags).headerU32(change);
    }

    @Override
    public void close() {
        sock.close();
    }
}
