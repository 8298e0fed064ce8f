package io.javalived.netlink.inet;

import java.net.Inet4Address;
import java.net.Inet6Address;

/** Gratuitous ARP frames and unsolicited neighbour advertisements (pure byte building). */
public final class Frames {
    public static final int ETH_P_ARP = 0x0806;
    public static final int ND_NEIGHBOR_ADVERT = 136;

    private Frames() {
    }

    /**
     * A broadcast gratuitous ARP request (RFC 5227 announcement): sender and target protocol address both the VIP,
     * sender hardware address {@code mac}, padded to the 60-byte Ethernet minimum.
     */
    public static byte[] gratuitousArp(byte[] mac, Inet4Address vip) {
        byte[] f = new byte[60];
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) 0xff;
        }
        System.arraycopy(mac, 0, f, 6, 6);
        f[12] = 0x08;
        f[13] = 0x06;
        f[14] = 0x00; // htype ethernet
        f[15] = 0x01;
        f[16] = 0x08; // ptype IPv4
        f[17] = 0x00;
        f[18] = 6;
        f[19] = 4;
        f[20] = 0x00; // op request
        f[21] = 0x01;
        System.arraycopy(mac, 0, f, 22, 6);
        byte[] ip = vip.getAddress();
        System.arraycopy(ip, 0, f, 28, 4);
        for (int i = 32; i < 38; i++) {
            f[i] = (byte) 0xff; // target hardware address: broadcast
        }
        System.arraycopy(ip, 0, f, 38, 4);
        return f;
    }

    /**
     * The ICMPv6 part of an unsolicited neighbour advertisement for {@code target}: Override flag (and Router flag
     * when {@code router}), target link-layer address option. The kernel fills in the checksum on a raw ICMPv6
     * socket.
     */
    public static byte[] neighbourAdvert(byte[] mac, Inet6Address target, boolean router) {
        byte[] p = new byte[32];
        p[0] = (byte) ND_NEIGHBOR_ADVERT;
        p[4] = (byte) (0x20 | (router ? 0x80 : 0));
        System.arraycopy(target.getAddress(), 0, p, 8, 16);
        p[24] = 2; // target link-layer address option
        p[25] = 1; // length in units of 8 bytes
        System.arraycopy(mac, 0, p, 26, 6);
        return p;
    }
}
