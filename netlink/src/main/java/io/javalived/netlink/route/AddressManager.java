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
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Adds and removes interface addresses over rtnetlink (RTM_NEWADDR / RTM_DELADDR), like
 * {@code ip addr add ADDR/LEN brd B dev IF scope S label L}; IPv6 addresses are added with IFA_F_NODAD so they are
 * usable at once. Also lists an interface's addresses (RTM_GETADDR dump).
 */
public final class AddressManager implements Closeable {
    static final int RTM_NEWADDR = 20, RTM_DELADDR = 21, RTM_GETADDR = 22;
    static final int IFA_ADDRESS = 1, IFA_LOCAL = 2, IFA_LABEL = 3, IFA_BROADCAST = 4, IFA_FLAGS = 8;
    public static final int IFA_F_SECONDARY = 0x01, IFA_F_NODAD = 0x02, IFA_F_TENTATIVE = 0x40,
            IFA_F_PERMANENT = 0x80, IFA_F_NOPREFIXROUTE = 0x200;
    public static final int RT_SCOPE_UNIVERSE = 0, RT_SCOPE_SITE = 200, RT_SCOPE_LINK = 253, RT_SCOPE_HOST = 254,
            RT_SCOPE_NOWHERE = 255;

    /** One address as the kernel reports it. */
    public record Address(int ifindex, InetAddress address, int prefixLength, int scope, int flags, String label) {}

    /** sizeof(struct ifaddrmsg). */
    private static final int IFADDRMSG_LEN = 8;

    private final NetlinkSocket sock;

    public AddressManager() throws NativeException {
        sock = NetlinkSocket.open(Netlink.NETLINK_ROUTE);
    }

    /** "host", "link", "global"/"universe", "site", "nowhere" or a number to the rtnetlink scope. */
    public static int scope(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "host": return RT_SCOPE_HOST;
            case "link": return RT_SCOPE_LINK;
            case "global": case "universe": return RT_SCOPE_UNIVERSE;
            case "site": return RT_SCOPE_SITE;
            case "nowhere": return RT_SCOPE_NOWHERE;
            default:
                try {
                    return Integer.parseInt(name);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("unknown address scope '" + name
                            + "' (use host, link, global, site or nowhere)");
                }
        }
    }

    /**
     * Adds {@code address/prefix} to {@code ifindex}. Returns false if it was already there (EEXIST), true if added.
     * {@code broadcast}, {@code label} may be null; {@code scope} is an RT_SCOPE_* value.
     */
    public boolean add(int ifindex, InetAddress address, int prefix, InetAddress broadcast, int scope, String label,
                       boolean noPrefixRoute) throws NativeException {
        return add(addRequest(ifindex, address, prefix, broadcast, scope, label, noPrefixRoute));
    }

    /**
     * The RTM_NEWADDR request {@link #add(int, InetAddress, int, InetAddress, int, String, boolean)} sends, built
     * once so a time-critical caller (a VRRP takeover) only has to send it: see {@link #add(NlMessage.Builder)}.
     */
    public static NlMessage.Builder addRequest(int ifindex, InetAddress address, int prefix, InetAddress broadcast,
                                               int scope, String label, boolean noPrefixRoute) {
        NlMessage.Builder m = addrMessage(RTM_NEWADDR, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL, ifindex, address,
                prefix, scope);
        if (broadcast instanceof Inet4Address && address instanceof Inet4Address) {
            m.bytes(IFA_BROADCAST, broadcast.getAddress());
        }
        if (label != null && !label.isEmpty() && address instanceof Inet4Address) {
            m.string(IFA_LABEL, label);
        }
        int flags = (address instanceof Inet6Address ? IFA_F_NODAD : 0) | (noPrefixRoute ? IFA_F_NOPREFIXROUTE : 0);
        if (flags != 0) {
            m.u32(IFA_FLAGS, flags);
        }
        m.describe(() -> "rtnetlink add address " + address.getHostAddress() + "/" + prefix + " on ifindex " + ifindex);
        m.addFlags(Netlink.NLM_F_ACK);
        return m;
    }

    /**
     * Sends a request made by {@link #addRequest} (it may be sent any number of times) and waits for the kernel's
     * answer, which rtnetlink queues before the send returns. Returns false if the address was already there.
     */
    public boolean add(NlMessage.Builder addRequest) throws NativeException {
        try {
            sock.request(addRequest);
            return true;
        } catch (NativeException e) {
            if (e.errno() == Errno.EEXIST) {
                return false;
            }
            throw e;
        }
    }

    /** Removes {@code address/prefix} from {@code ifindex}. Returns false if it was not there. */
    public boolean remove(int ifindex, InetAddress address, int prefix) throws NativeException {
        NlMessage.Builder m = addrMessage(RTM_DELADDR, 0, ifindex, address, prefix, 0)
                .describe(() -> "rtnetlink remove address " + address.getHostAddress() + "/" + prefix
                        + " from ifindex " + ifindex);
        try {
            sock.request(m);
            return true;
        } catch (NativeException e) {
            if (e.errno() == Errno.EADDRNOTAVAIL || e.errno() == Errno.ENOENT || e.errno() == Errno.ENODEV) {
                return false;
            }
            throw e;
        }
    }

    /** The addresses of {@code ifindex} (0 = all interfaces) of one family (0 = both). */
    public List<Address> list(int ifindex, int family) throws NativeException {
        NlMessage.Builder m = NlMessage.builder(RTM_GETADDR, 0)
                .headerU8(family).headerU8(0).headerU8(0).headerU8(0).headerU32(0)
                .describe("rtnetlink list addresses" + (ifindex == 0 ? "" : " of ifindex " + ifindex));
        List<Address> out = new ArrayList<>();
        for (NlMessage msg : sock.dump(m)) {
            Address a = parse(msg);
            if (a != null && (ifindex == 0 || a.ifindex() == ifindex)) {
                out.add(a);
            }
        }
        return out;
    }

    /** An RTM_NEWADDR message as an {@link Address}; null for anything else or a malformed message. */
    static Address parse(NlMessage msg) {
        if (msg.type() != RTM_NEWADDR || msg.payloadLength() < IFADDRMSG_LEN) {
            return null;
        }
        int family = msg.payloadU8(0);
        int prefix = msg.payloadU8(1);
        int flags = msg.payloadU8(2);
        int scope = msg.payloadU8(3);
        int index = msg.payloadS32(4);
        if (family != LibC.AF_INET && family != LibC.AF_INET6) {
            return null;
        }
        try {
            NlAttrs attrs = msg.attrs(IFADDRMSG_LEN);
            InetAddress a = address(attrs.get(IFA_LOCAL));
            if (a == null) {
                a = address(attrs.get(IFA_ADDRESS));
            }
            if (a == null) {
                return null;
            }
            NlAttr f = attrs.get(IFA_FLAGS);
            if (f != null && f.length() == 4) {
                flags = f.s32();
            }
            return new Address(index, a, prefix, scope, flags, attrs.string(IFA_LABEL, null));
        } catch (NetlinkFormatException e) {
            return null;
        }
    }

    private static InetAddress address(NlAttr a) {
        if (a == null || (a.length() != 4 && a.length() != 16)) {
            return null;
        }
        try {
            return InetAddress.getByAddress(a.bytes());
        } catch (UnknownHostException e) {
            return null; // unreachable: the length is checked
        }
    }

    private static NlMessage.Builder addrMessage(int type, int flags, int ifindex, InetAddress address, int prefix,
                                                 int scope) {
        boolean v6 = address instanceof Inet6Address;
        return NlMessage.builder(type, flags)
                .headerU8(v6 ? LibC.AF_INET6 : LibC.AF_INET).headerU8(prefix).headerU8(0).headerU8(scope)
                .headerU32(ifindex)
                .bytes(IFA_LOCAL, address.getAddress())
                .bytes(IFA_ADDRESS, address.getAddress());
    }

    @Override
    public void close() {
        sock.close();
    }
}
