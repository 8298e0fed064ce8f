package io.javalived.netlink.inet;

import io.javalived.netlink.ffi.LibC;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** struct sockaddr_in / sockaddr_in6 as byte arrays laid out for the kernel. */
public final class SockAddr {
    private SockAddr() {
    }

    /** sockaddr_in (16 bytes) or sockaddr_in6 (28 bytes) with port 0; {@code scopeId} only for IPv6. */
    public static byte[] of(InetAddress address, int scopeId) {
        byte[] raw = address.getAddress();
        if (address instanceof Inet4Address) {
            byte[] sa = new byte[16];
            sa[0] = (byte) LibC.AF_INET; // sa_family is host order (little-endian on x86_64/aarch64)
            System.arraycopy(raw, 0, sa, 4, 4);
            return sa;
        }
        byte[] sa = new byte[28];
        sa[0] = (byte) LibC.AF_INET6;
        System.arraycopy(raw, 0, sa, 8, 16);
        int scope = scopeId != 0 ? scopeId : ((Inet6Address) address).getScopeId();
        putIntLe(sa, 24, scope);
        return sa;
    }

    /** The address in a sockaddr_in / sockaddr_in6, or null. */
    public static InetAddress parse(byte[] sa, int len) {
        try {
            int family = (sa[0] & 0xff) | (sa[1] & 0xff) << 8;
            if (family == LibC.AF_INET && len >= 8) {
                return InetAddress.getByAddress(java.util.Arrays.copyOfRange(sa, 4, 8));
            }
            if (family == LibC.AF_INET6 && len >= 24) {
                return InetAddress.getByAddress(java.util.Arrays.copyOfRange(sa, 8, 24));
            }
        } catch (UnknownHostException e) {
            return null;
        }
        return null;
    }

    static void putIntLe(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    static byte[] intLe(int v) {
        byte[] b = new byte[4];
        putIntLe(b, 0, v);
        return b;
    }
}
