package io.javalived.netlink.inet;

import io.javalived.netlink.ffi.LibC;
import io.javalived.netlink.ffi.NativeException;
import java.nio.charset.StandardCharsets;

/** Interface index and hardware address by name (SIOCGIFINDEX / SIOCGIFHWADDR on a throw-away socket). */
public final class Interfaces {
    static final long SIOCGIFHWADDR = 0x8927, SIOCGIFINDEX = 0x8933;

    private Interfaces() {
    }

    /** The interface's index; throws if there is no such interface in this network namespace. */
    public static int index(String name) throws NativeException {
        int idx = LibC.INSTANCE.if_nametoindex(name);
        if (idx <= 0) {
            throw new NativeException("if_nametoindex", LibC.errno(), "interface " + name);
        }
        return idx;
    }

    /** The interface's 6-byte MAC address. */
    public static byte[] hardwareAddress(String name) throws NativeException {
        byte[] ifr = ifreq(name);
        int fd = LibC.INSTANCE.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new NativeException("socket", LibC.errno(), "SIOCGIFHWADDR " + name);
        }
        try {
            if (LibC.INSTANCE.ioctl(fd, SIOCGIFHWADDR, ifr) < 0) {
                throw new NativeException("ioctl(SIOCGIFHWADDR)", LibC.errno(), "interface " + name);
            }
        } finally {
            LibC.INSTANCE.close(fd);
        }
        byte[] mac = new byte[6];
        System.arraycopy(ifr, 18, mac, 0, 6); // ifr_hwaddr: sa_family (2) + sa_data
        return mac;
    }

    static byte[] ifreq(String name) {
        byte[] ifr = new byte[40];
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        if (n.length > 15) {
            throw new IllegalArgumentException("interface name too long: " + name);
        }
        System.arraycopy(n, 0, ifr, 0, n.length);
        return ifr;
    }

    /** "aa:bb:cc:dd:ee:ff". */
    public static String formatMac(byte[] mac) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < mac.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(String.format("%02x", mac[i] & 0xff));
        }
        return sb.toString();
    }
}
