package io.javalived.netlink.route;

import io.javalived.netlink.Netlink;
import io.javalived.netlink.NetlinkFormatException;
import io.javalived.netlink.NetlinkSocket;
import io.javalived.netlink.NlAttr;
import io.javalived.netlink.NlAttrs;
import io.javalived.netlink.NlMessage;
import io.javalived.netlink.ffi.Errno;
import io.javalived.netlink.ffi.LibC;
import io.javalived.netlink.ffi.NativeException;
import java.io.Closeable;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Routes over rtnetlink (RTM_NEWROUTE / RTM_DELROUTE / RTM_GETROUTE), like
 * {@code ip route add DST/LEN dev IF table T proto P metric M}, and the two links the anycast routes need: a dummy
 * interface for the VIP ({@code ip link add NAME type dummy}) and setting a link up ({@code ip link set IF up}).
 */
public final class KernelRoutes implements Closeable {
    static final int RTM_NEWLINK = 16, RTM_NEWROUTE = 24, RTM_DELROUTE = 25, RTM_GETROUTE = 26;
    static final int RTA_DST = 1, RTA_OIF = 4, RTA_PRIORITY = 6, RTA_TABLE = 15;
    static final int IFLA_IFNAME = 3, IFLA_LINKINFO = 18, IFLA_INFO_KIND = 1;
    public static final int RTN_UNICAST = 1, RT_SCOPE_LINK = 253;
    /** rtm_table is a u8: tables above 255 go in RTA_TABLE with RT_TABLE_UNSPEC in the header. */
    private static final int RT_TABLE_UNSPEC = 0;
    private static final int RTMSG_LEN = 12, IFINFOMSG_LEN = 16;

    /** One route as the kernel reports it. */
    public record Route(InetAddress destination, int prefixLength, int table, int protocol, int oif, long metric) {}

    private final NetlinkSocket sock;

    public KernelRoutes() throws NativeException {
        sock = NetlinkSocket.open(Netlink.NETLINK_ROUTE);
    }

    /**
     * Adds (or replaces) {@code dst/prefix dev oif table T proto P metric M}, scope link. Returns normally when the
     * kernel accepted it.
     */
    public void replace(InetAddress dst, int prefix, int oif, int table, int protocol, long metric)
            throws NativeException {
        NlMessage.Builder m = routeMessage(RTM_NEWROUTE, Netlink.NLM_F_CREATE | Netlink.NLM_F_REPLACE, dst, prefix,
                table, protocol, RT_SCOPE_LINK);
        m.u32(RTA_OIF, oif);
        m.u32(RTA_PRIORITY, metric);
        m.describe(() -> "rtnetlink add route " + dst.getHostAddress() + "/" + prefix + " dev ifindex " + oif
                + " table " + table);
        m.addFlags(Netlink.NLM_F_ACK);
        sock.request(m);
    }

    /** Removes {@code dst/prefix} from {@code table} (any device, any metric). Returns false if it was not there. */
    public boolean remove(InetAddress dst, int prefix, int table, int protocol) throws NativeException {
        NlMessage.Builder m = routeMessage(RTM_DELROUTE, 0, dst, prefix, table, protocol, RT_SCOPE_LINK)
                .describe(() -> "rtnetlink remove route " + dst.getHostAddress() + "/" + prefix + " table " + table);
        m.addFlags(Netlink.NLM_F_ACK);
        try {
            sock.request(m);
            return true;
        } catch (NativeException e) {
            if (e.errno() == Errno.ESRCH || e.errno() == Errno.ENOENT || e.errno() == Errno.ENODEV) {
                return false;
            }
            throw e;
        }
    }

    /** The routes of {@code table} of one family (AF_INET / AF_INET6). */
    public List<Route> list(int family, int table) throws NativeException {
        NlMessage.Builder m = NlMessage.builder(RTM_GETROUTE, 0)
                .headerU8(family).headerU8(0).headerU8(0).headerU8(0)
                .headerU8(0).headerU8(0).headerU8(0).headerU8(0).headerU32(0)
                .describe("rtnetlink list routes of table " + table);
        List<Route> out = new ArrayList<>();
        for (NlMessage msg : sock.dump(m)) {
            Route r = parse(msg);
            if (r != null && r.table() == table) {
                out.add(r);
            }
        }
        return out;
    }

    /** An RTM_NEWROUTE message as a {@link Route}; null for anything else or a malformed message. */
    static Route parse(NlMessage msg) {
        if (msg.type() != RTM_NEWROUTE || msg.payloadLength() < RTMSG_LEN) {
            return null;
        }
        int family = msg.payloadU8(0);
        int prefix = msg.payloadU8(1);
        int table = msg.payloadU8(4);
        int protocol = msg.payloadU8(5);
        if (family != LibC.AF_INET && family != LibC.AF_INET6) {
            return null;
        }
        try {
            NlAttrs attrs = msg.attrs(RTMSG_LEN);
            NlAttr t = attrs.get(RTA_TABLE);
            if (t != null && t.length() == 4) {
                table = t.s32();
            }
            NlAttr d = attrs.get(RTA_DST);
            InetAddress dst = d == null ? InetAddress.getByAddress(new byte[family == LibC.AF_INET ? 4 : 16])
                    : InetAddress.getByAddress(d.bytes());
            NlAttr o = attrs.get(RTA_OIF);
            NlAttr p = attrs.get(RTA_PRIORITY);
            return new Route(dst, prefix, table, protocol, o == null ? 0 : o.s32(),
                    p == null ? 0 : p.s32() & 0xffffffffL);
        } catch (NetlinkFormatException | UnknownHostException e) {
            return null;
        }
    }

    /** Creates a dummy interface {@code name} unless one exists (RTM_NEWLINK, kind "dummy"); true if created. */
    public boolean createDummy(String name) throws NativeException {
        NlMessage.Builder m = NlMessage.builder(RTM_NEWLINK, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL)
                .headerU8(0).headerU8(0).headerU16(0).headerU32(0).headerU32(0).headerU32(0)
                .string(IFLA_IFNAME, name);
        int li = m.beginNested(IFLA_LINKINFO);
        m.string(IFLA_INFO_KIND, "dummy");
        m.endNested(li);
        m.describe("rtnetlink add link " + name + " type dummy");
        m.addFlags(Netlink.NLM_F_ACK);
        try {
            sock.request(m);
            return true;
        } catch (NativeException e) {
            if (e.errno() == Errno.EEXIST) {
                return false;
            }
            throw e;
        }
    }

    /** Sets the link up ({@code ip link set dev up}). */
    public void setUp(int ifindex) throws NativeException {
        NlMessage.Builder m = NlMessage.builder(RTM_NEWLINK, 0)
                .headerU8(0).headerU8(0).headerU16(0).headerU32(ifindex)
                .headerU32(LinkMonitor.IFF_UP).headerU32(LinkMonitor.IFF_UP)
                .describe("rtnetlink set ifindex " + ifindex + " up");
        m.addFlags(Netlink.NLM_F_ACK);
        sock.request(m);
    }

    private static NlMessage.Builder routeMessage(int type, int flags, InetAddress dst, int prefix, int table,
                                                  int protocol, int scope) {
        boolean v6 = dst instanceof Inet6Address;
        NlMessage.Builder m = NlMessage.builder(type, flags)
                .headerU8(v6 ? LibC.AF_INET6 : LibC.AF_INET).headerU8(prefix).headerU8(0).headerU8(0)
                .headerU8(table > 255 ? RT_TABLE_UNSPEC : table).headerU8(protocol).headerU8(scope)
                .headerU8(RTN_UNICAST).headerU32(0)
                .bytes(RTA_DST, dst.getAddress());
        m.u32(RTA_TABLE, table);
        return m;
    }

    @Override
    public void close() {
        sock.close();
    }
}
