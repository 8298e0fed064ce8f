package io.javalived.vrrp.packet;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One VRRP advertisement (the VRRP message, without the IP header).
 *
 * <pre>
 * v2 (RFC 3768): ver|type, vrid, priority, count, auth type, adver int (s),  checksum, addresses, auth data (8)
 * v3 (RFC 5798): ver|type, vrid, priority, count, rsvd(4)|max adver int (12 bits, centiseconds), checksum, addresses
 * </pre>
 *
 * @param version        2 or 3
 * @param type           1 (ADVERTISEMENT) when valid; decode keeps other values for the validator to reject
 * @param vrid           virtual router id 0..255 (valid: 1..255)
 * @param priority       0..255
 * @param authType       v2 auth type (0 none, 1 PASS, 2 AH); always 0 for v3
 * @param authData       v2: the 8 auth-data bytes; v3: empty
 * @param advertInterval v2: seconds (8 bits); v3: centiseconds (12 bits)
 * @param checksum       the checksum field as decoded, or as computed by {@link #encode}
 * @param addresses      IPv4 ({@link Inet4Address}) or IPv6 ({@link Inet6Address}) addresses, all one family
 */
public record VrrpPacket(int version, int type, int vrid, int priority, int authType, byte[] authData,
                         int advertInterval, int checksum, List<InetAddress> addresses) {

    public static final int TYPE_ADVERTISEMENT = 1;
    public static final int AUTH_NONE = 0;
    public static final int AUTH_PASS = 1;
    public static final int AUTH_AH = 2;
    public static final int AUTH_DATA_LEN = 8;
    public static final int HEADER_LEN = 8;
    /** Offset of the checksum in the VRRP message (for IPV6_CHECKSUM). */
    public static final int CHECKSUM_OFFSET = 6;
    /** Highest number of addresses keepalived puts in one advert. */
    public static final int MAX_ADDRESSES = 255;
    /** Largest VRRPv3 interval (12 bits, centiseconds). */
    public static final int V3_MAX_INTERVAL_CENTIS = 0xfff;

    public VrrpPacket {
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException("VRRP version must be 2 or 3: " + version);
        }
        checkRange("type", type, 0, 15);
        checkRange("vrid", vrid, 0, 255);
        checkRange("priority", priority, 0, 255);
        checkRange("auth type", authType, 0, 255);
        checkRange("advert interval", advertInterval, 0, version == 2 ? 255 : V3_MAX_INTERVAL_CENTIS);
        checkRange("checksum", checksum, 0, 0xffff);
        authData = authData == null ? new byte[0] : authData.clone();
        if (version == 2 && authData.length != AUTH_DATA_LEN) {
            throw new IllegalArgumentException("VRRPv2 auth data must be 8 bytes: " + authData.length);
        }
        if (version == 3 && authData.length != 0) {
            throw new IllegalArgumentException("VRRPv3 has no auth data");
        }
        addresses = List.copyOf(addresses);
        if (addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException("too many addresses in one advert: " + addresses.size());
        }
        Class<?> fam = null;
        for (InetAddress a : addresses) {
            Class<?> c = a instanceof Inet6Address ? Inet6Address.class : Inet4Address.class;
            if (fam != null && fam != c) {
                throw new IllegalArgumentException("mixed IPv4 and IPv6 addresses in one advert");
            }
            fam = c;
        }
    }

    private static void checkRange(String what, int v, int lo, int hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(what + " out of range " + lo + ".." + hi + ": " + v);
        }
    }

    /** A VRRPv2 advertisement; {@code authData} null means 8 zero bytes. */
    public static VrrpPacket v2(int vrid, int priority, int authType, byte[] authData, int intervalSeconds,
                                List<InetAddress> addresses) {
        return new VrrpPacket(2, TYPE_ADVERTISEMENT, vrid, priority, authType,
                authData == null ? new byte[AUTH_DATA_LEN] : authData, intervalSeconds, 0, addresses);
    }

    /** A VRRPv3 advertisement. */
    public static VrrpPacket v3(int vrid, int priority, int intervalCentis, List<InetAddress> addresses) {
        return new VrrpPacket(3, TYPE_ADVERTISEMENT, vrid, priority, AUTH_NONE, new byte[0], intervalCentis, 0,
                addresses);
    }

    /** auth_pass as sent: the first 8 bytes of the password, zero padded. */
    public static byte[] passData(String password) {
        byte[] out = new byte[AUTH_DATA_LEN];
        byte[] p = password.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(p, 0, out, 0, Math.min(p.length, AUTH_DATA_LEN));
        return out;
    }

    @Override
    public byte[] authData() {
        return authData.clone();
    }

    /** True when the address list is IPv6 (an empty list counts as IPv4). */
    public boolean isIpv6() {
        return !addresses.isEmpty() && addresses.get(0) instanceof Inet6Address;
    }

    /** The advert interval in nanoseconds (v2 seconds, v3 centiseconds). */
    public long advertIntervalNanos() {
        return version == 2 ? advertInterval * 1_000_000_000L : advertInterval * 10_000_000L;
    }

    /** Length of the encoded message. */
    public int length() {
        int alen = isIpv6() ? 16 : 4;
        return HEADER_LEN + addresses.size() * alen + (version == 2 ? AUTH_DATA_LEN : 0);
    }

    /** The message with a zero checksum field (for IPv6 with kernel checksumming). */
    public byte[] encodeZeroChecksum() {
        byte[] b = new byte[length()];
        b[0] = (byte) ((version << 4) | type);
        b[1] = (byte) vrid;
        b[2] = (byte) priority;
        b[3] = (byte) addresses.size();
        if (version == 2) {
            b[4] = (byte) authType;
            b[5] = (byte) advertInterval;
        } else {
            b[4] = (byte) ((advertInterval >>> 8) & 0x0f);
            b[5] = (byte) advertInterval;
        }
        int o = HEADER_LEN;
        for (InetAddress a : addresses) {
            byte[] raw = a.getAddress();
            System.arraycopy(raw, 0, b, o, raw.length);
            o += raw.length;
        }
        if (version == 2) {
            System.arraycopy(authData, 0, b, o, AUTH_DATA_LEN);
        }
        return b;
    }

    /**
     * The message with its checksum: v2 plain; v3/IPv4 with the pseudo-header unless {@code v3ChecksumAsV2};
     * v3/IPv6 with the IPv6 pseudo-header. {@code src}/{@code dst} are the IP source and destination the packet is
     * sent with (ignored for plain checksums; may then be null).
     */
    public byte[] encode(InetAddress src, InetAddress dst, boolean v3ChecksumAsV2) {
        byte[] b = encodeZeroChecksum();
        int c;
        if (version == 3 && (dst instanceof Inet6Address || (dst != null && !v3ChecksumAsV2))) {
            if (src == null) {
                throw new IllegalArgumentException("VRRPv3 checksum needs the source address");
            }
            c = VrrpChecksum.withPseudoHeader(src, dst, b, 0, b.length);
        } else if (version == 3 && dst == null && !v3ChecksumAsV2) {
            throw new IllegalArgumentException("VRRPv3 checksum needs the source and destination addresses");
        } else {
            c = VrrpChecksum.plain(b, 0, b.length);
        }
        b[6] = (byte) (c >>> 8);
        b[7] = (byte) c;
        return b;
    }

    /** This packet with another checksum value. */
    public VrrpPacket withChecksum(int newChecksum) {
        return new VrrpPacket(version, type, vrid, priority, authType, authData, advertInterval, newChecksum,
                addresses);
    }

    /** This packet with another priority (e.g. 0 on shutdown). */
    public VrrpPacket withPriority(int newPriority) {
        return new VrrpPacket(version, type, vrid, newPriority, authType, authData, advertInterval, 0, addresses);
    }

    /**
     * Decodes a VRRP message (no IP header). Never throws: malformed input yields a {@link DecodeResult.Dropped}.
     * The message must be exactly the length implied by its address count (keepalived's packet_len_err otherwise);
     * for IPv4 messages, the address size is 4; for IPv6, 16.
     */
    public static DecodeResult.Parsed parse(byte[] buf, int off, int len, boolean ipv6) {
        if (buf == null || off < 0 || len < 0 || off + len > buf.length || off + len < 0) {
            return DecodeResult.Parsed.error(DropReason.PACKET_LENGTH, "invalid buffer bounds");
        }
        if (len < HEADER_LEN) {
            return DecodeResult.Parsed.error(DropReason.PACKET_LENGTH,
                    "packet too short: " + len + " bytes, VRRP header is " + HEADER_LEN);
        }
        int verType = buf[off] & 0xff;
        int version = verType >>> 4;
        int type = verType & 0x0f;
        int vrid = buf[off + 1] & 0xff;
        int priority = buf[off + 2] & 0xff;
        int count = buf[off + 3] & 0xff;
        int authType;
        int interval;
        if (version == 2) {
            authType = buf[off + 4] & 0xff;
            interval = buf[off + 5] & 0xff;
        } else {
            authType = AUTH_NONE;
            interval = ((buf[off + 4] & 0x0f) << 8) | (buf[off + 5] & 0xff);
        }
        int checksum = ((buf[off + 6] & 0xff) << 8) | (buf[off + 7] & 0xff);
        int alen = ipv6 ? 16 : 4;
        // As keepalived: the expected length follows the version nibble (auth data only for v2 over IPv4), then
        // the version is checked. VRRPv2 does not exist over IPv6.
        int expected = HEADER_LEN + count * alen + (version == 2 && !ipv6 ? AUTH_DATA_LEN : 0);
        if (len != expected) {
            return DecodeResult.Parsed.error(DropReason.PACKET_LENGTH,
                    "vrrp packet too " + (len > expected ? "long" : "short") + ", length " + len + " and expect "
                            + expected);
        }
        if ((version != 2 && version != 3) || (ipv6 && version == 2)) {
            return DecodeResult.Parsed.error(DropReason.VERSION, "wrong version. Received " + version
                    + (ipv6 ? " over IPv6 and expect 3" : ""));
        }
        List<InetAddress> addrs = new ArrayList<>(count);
        int o = off + HEADER_LEN;
        try {
            for (int i = 0; i < count; i++) {
                addrs.add(InetAddress.getByAddress(Arrays.copyOfRange(buf, o, o + alen)));
                o += alen;
            }
        } catch (UnknownHostException e) {
            // cannot happen: 4 or 16 bytes
            return DecodeResult.Parsed.error(DropReason.ADDRESS_LIST, "bad address: " + e.getMessage());
        }
        if (ipv6) {
            // getByAddress returns Inet4Address for IPv4-mapped IPv6; keep the 16-byte form.
            for (int i = 0; i < addrs.size(); i++) {
                if (!(addrs.get(i) instanceof Inet6Address)) {
                    int p = off + HEADER_LEN + i * 16;
                    try {
                        addrs.set(i, Inet6Address.getByAddress(null, Arrays.copyOfRange(buf, p, p + 16), -1));
                    } catch (UnknownHostException e) {
                        return DecodeResult.Parsed.error(DropReason.ADDRESS_LIST, "bad address");
                    }
                }
            }
        }
        byte[] auth = version == 2 ? Arrays.copyOfRange(buf, o, o + AUTH_DATA_LEN) : new byte[0];
        return DecodeResult.Parsed.ok(new VrrpPacket(version, type, vrid, priority, authType, auth, interval,
                checksum, addrs));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VrrpPacket p && p.version == version && p.type == type && p.vrid == vrid
                && p.priority == priority && p.authType == authType && Arrays.equals(p.authData, authData)
                && p.advertInterval == advertInterval && p.checksum == checksum && p.addresses.equals(addresses);
    }

    @Override
    public int hashCode() {
        return ((vrid * 31 + priority) * 31 + version) * 31 + addresses.hashCode();
    }

    @Override
    public String toString() {
        return "VRRPv" + version + "[type=" + type + ", vrid=" + vrid + ", prio=" + priority
                + (version == 2 ? ", auth=" + authType : "") + ", int=" + advertInterval + (version == 2 ? "s" : "cs")
                + ", csum=0x" + Integer.toHexString(checksum) + ", addrs=" + addresses + "]";
    }
}
