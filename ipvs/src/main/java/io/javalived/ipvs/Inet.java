package io.javalived.ipvs;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** Addresses as the kernel's IPVS interface carries them (text is io.javalived.inet.InetText's). */
final class Inet {
    private Inet() {
    }

    /** A 4- or 16-byte address; the kernel sends 16 bytes (union nf_inet_addr) for both families. */
    static InetAddress fromKernel(byte[] raw, int af) {
        try {
            if (af == Ipvs.AF_INET) {
                return InetAddress.getByAddress(Arrays.copyOf(raw, 4));
            }
            byte[] a = Arrays.copyOf(raw, 16);
            return Inet6Address.getByAddress(null, a, null);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static int af(InetAddress a) {
        return a instanceof Inet4Address ? Ipvs.AF_INET : Ipvs.AF_INET6;
    }

    /** Unsigned 32-bit big-endian value of an IPv4 address, or of word {@code i} of an IPv6 one. */
    static long word(InetAddress a, int i) {
        byte[] b = a.getAddress();
        int o = 4 * i;
        if (o + 4 > b.length) {
            return 0;
        }
        return ((long) (b[o] & 0xff) << 24) | ((b[o + 1] & 0xff) << 16) | ((b[o + 2] & 0xff) << 8) | (b[o + 3] & 0xff);
    }
}
