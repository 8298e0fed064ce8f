package io.javalived.netlink.route;

import io.javalived.netlink.ffi.Errno;
import io.javalived.netlink.ffi.LibC;
import io.javalived.netlink.ffi.NativeException;
import java.io.Closeable;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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

    private final RtnlSocket sock;

    public AddressManager() throws NativeException {
        sock = new RtnlSocket(0);
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
        ByteBuffer m = addrMessage(RTM_NEWADDR, RtnlSocket.NLM_F_REQUEST | RtnlSocket.NLM_F_ACK
                | RtnlSocket.NLM_F_CREATE | RtnlSocket.NLM_F_EXCL, ifindex, address, prefix, scope);
        if (broadcast instanceof Inet4Address && address instanceof Inet4Address) {
            RtnlSocket.attr(m, IFA_BROADCAST, broadcast.getAddress());
        }
        if (label != null && !label.isEmpty() && address instanceof Inet4Address) {
            RtnlSocket.attr(m, IFA_LABEL, (label + "\0").getBytes(StandardCharsets.US_ASCII));
        }
        int flags = (address instanceof Inet6Address ? IFA_F_NODAD : 0) | (noPrefixRoute ? IFA_F_NOPREFIXROUTE : 0);
        if (flags != 0) {
            RtnlSocket.attrInt(m, IFA_FLAGS, flags);
        }
        try {
            sock.request(m, "add address " + address.getHostAddress() + "/" + prefix + " on ifindex " + ifindex);
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
        ByteBuffer m = addrMessage(RTM_DELADDR, RtnlSocket.NLM_F_REQUEST | RtnlSocket.NLM_F_ACK, ifindex, address,
                prefix, 0);
        try {
            sock.request(m, "remove address " + address.getHostAddress() + "/" + prefix + " from ifindex " + ifindex);
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
        ByteBuffer m = RtnlSocket.message(RTM_GETADDR, RtnlSocket.NLM_F_REQUEST | RtnlSocket.NLM_F_DUMP, 8);
        m.put((byte) family).put((byte) 0).put((byte) 0).put((byte) 0).putInt(0);
        List<Address> out = new ArrayList<>();
        sock.dump(m, "list addresses", msg -> {
            Address a = parse(msg);
            if (a != null && (ifindex == 0 || a.ifindex() == ifindex)) {
                out.add(a);
            }
        });
        return out;
    }

    static Address parse(ByteBuffer msg) {
        if ((msg.getShort(4) & 0xffff) != RTM_NEWADDR || msg.limit() < 24) {
            return null;
        }
        int family = msg.get(16) & 0xff;
        int prefix = msg.get(17) & 0xff;
        int flags = msg.get(18) & 0xff;
        int scope = msg.get(19) & 0xff;
        int index = msg.getInt(20);
        InetAddress addr = null;
        InetAddress local = null;
        String label = null;
        int pos = 24;
        while (pos + 4 <= msg.limit()) {
            int len = msg.getShort(pos) & 0xffff;
            int type = msg.getShort(pos + 2) & 0x3fff;
            if (len < 4 || pos + len > msg.limit()) {
                break;
            }
            byte[] v = new byte[len - 4];
            for (int i = 0; i < v.length; i++) {
                v[i] = msg.get(pos + 4 + i);
            }
            try {
                if (type == IFA_ADDRESS && (v.length == 4 || v.length == 16)) {
                    addr = InetAddress.getByAddress(v);
                } else if (type == IFA_LOCAL && (v.length == 4 || v.length == 16)) {
                    local = InetAddress.getByAddress(v);
                } else if (type == IFA_LABEL) {
                    label = new String(v, StandardCharsets.US_ASCII).replace("\0", "");
                } else if (type == IFA_FLAGS && v.length == 4) {
                    flags = (v[0] & 0xff) | (v[1] & 0xff) << 8 | (v[2] & 0xff) << 16 | (v[3] & 0xff) << 24;
                }
            } catch (UnknownHostException ignored) {
                // skip malformed attribute
            }
            pos += (len + 3) & ~3;
        }
        InetAddress a = local != null ? local : addr;
        if (a == null || (family != LibC.AF_INET && family != LibC.AF_INET6)) {
            return null;
        }
        return new Address(index, a, prefix, scope, flags, label);
    }

    private static ByteBuffer addrMessage(int type, int flags, int ifindex, InetAddress address, int prefix,
                                          int scope) {
        ByteBuffer m = RtnlSocket.message(type, flags, 128);
        boolean v6 = address instanceof Inet6Address;
        m.put((byte) (v6 ? LibC.AF_INET6 : LibC.AF_INET)).put((byte) prefix).put((byte) 0).put((byte) scope)
                .putInt(ifindex);
        RtnlSocket.attr(m, IFA_LOCAL, address.getAddress());
        RtnlSocket.attr(m, IFA_ADDRESS, address.getAddress());
        return m;
    }

    @Override
    public void close() {
        sock.close();
    }
}
