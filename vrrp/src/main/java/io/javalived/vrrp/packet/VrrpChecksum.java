package io.javalived.vrrp.packet;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** Internet checksum (RFC 1071) over a VRRP message, with or without the IPv4/IPv6 pseudo-header. */
public final class VrrpChecksum {
    private VrrpChecksum() {}

    /** IP protocol number of VRRP. */
    public static final int IPPROTO_VRRP = 112;

    /** One's-complement sum of {@code len} bytes (not folded, not inverted). */
    static long sum(byte[] b, int off, int len, long acc) {
        int i = off;
        int end = off + len;
        while (i + 1 < end) {
            acc += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
            i += 2;
        }
        if (i < end) {
            acc += (b[i] & 0xff) << 8;
        }
        return acc;
    }

    static int fold(long acc) {
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xffff) + (acc >>> 16);
        }
        return (int) (~acc & 0xffff);
    }

    /** Plain checksum over {@code len} bytes (VRRPv2, or v3 with v3_checksum_as_v2). */
    public static int plain(byte[] msg, int off, int len) {
        return fold(sum(msg, off, len, 0));
    }

    /**
     * Checksum with the pseudo-header of {@code src}/{@code dst} (both IPv4 or both IPv6), protocol 112 and the
     * message length — VRRPv3's checksum.
     */
    public static int withPseudoHeader(InetAddress src, InetAddress dst, byte[] msg, int off, int len) {
        byte[] s = src.getAddress();
        byte[] d = dst.getAddress();
        if (s.length != d.length) {
            throw new IllegalArgumentException("source and destination of different families: " + src + ", " + dst);
        }
        long acc = sum(s, 0, s.length, 0);
        acc = sum(d, 0, d.length, acc);
        // IPv4: zero, protocol, 16-bit length; IPv6: 32-bit length, 3 zero bytes, next header. Same sum.
        acc += IPPROTO_VRRP;
        acc += len & 0xffff;
        acc += (len >>> 16) & 0xffff;
        acc = sum(msg, off, len, acc);
        return fold(acc);
    }

    /**
     * The checksum a sender puts in a message of this version and family: v2 plain; v3 over IPv4 with the
     * pseudo-header unless {@code v3ChecksumAsV2}; v3 over IPv6 always with the pseudo-header.
     * The checksum field (bytes 6..7) must be zero in {@code msg} when computing, or the result is the
     * verification sum (0 for a correct message).
     */
    public static int compute(int version, InetAddress src, InetAddress dst, boolean v3ChecksumAsV2,
                              byte[] msg, int off, int len) {
        if (usesPseudoHeader(version, dst, v3ChecksumAsV2)) {
            return withPseudoHeader(src, dst, msg, off, len);
        }
        return plain(msg, off, len);
    }

    /** True when this version/family uses the pseudo-header. */
    public static boolean usesPseudoHeader(int version, InetAddress dst, boolean v3ChecksumAsV2) {
        if (version != 3) {
            return false;
        }
        if (dst instanceof Inet6Address) {
            return true;
        }
        return dst instanceof Inet4Address && !v3ChecksumAsV2;
    }

    /** True when the message (checksum field included) verifies. */
    public static boolean verify(int version, InetAddress src, InetAddress dst, boolean v3ChecksumAsV2,
                                 byte[] msg, int off, int len) {
        return compute(version, src, dst, v3ChecksumAsV2, msg, off, len) == 0;
    }
}
