package io.javalived.vrrp.packet;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Decodes datagrams as received from the raw sockets. Never throws for any input bytes.
 */
public final class AdvertDecoder {
    private AdvertDecoder() {}

    /** IPv4 header without options. */
    public static final int IPV4_MIN_HEADER = 20;

    /**
     * A datagram from an AF_INET raw socket (protocol 112): the IPv4 header is included. Checks the header
     * length, total length, protocol, then parses the VRRP message (length must match its address count).
     * TTL is not checked here (it depends on the instance being unicast): see {@link VrrpValidator}.
     */
    public static DecodeResult decodeIpv4(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < 0 || off > buf.length || len > buf.length - off) {
            return new DecodeResult.Dropped(DropReason.PACKET_LENGTH, "invalid buffer bounds");
        }
        if (len < IPV4_MIN_HEADER) {
            return new DecodeResult.Dropped(DropReason.PACKET_LENGTH,
                    "packet too short for an IP header: " + len + " bytes");
        }
        int v = (buf[off] & 0xff) >>> 4;
        if (v != 4) {
            return new DecodeResult.Dropped(DropReason.PACKET_LENGTH, "not an IPv4 header (version " + v + ")");
        }
        int ihl = (buf[off] & 0x0f) * 4;
        if (ihl < IPV4_MIN_HEADER || ihl > len) {
            return new DecodeResult.Dropped(DropReason.PACKET_LENGTH,
                    "invalid IP header length " + ihl + " in a " + len + " byte packet");
        }
        int total = ((buf[off + 2] & 0xff) << 8) | (buf[off + 3] & 0xff);
        // Linux raw sockets deliver the header with tot_len in host form on some paths; accept == len only.
        if (total != len) {
            return new DecodeResult.Dropped(DropReason.PACKET_LENGTH,
                    "IP total length " + total + " does not match received " + len + " bytes");
        }
        int ttl = buf[off + 8] & 0xff;
        int proto = buf[off + 9] & 0xff;
        if (proto != VrrpChecksum.IPPROTO_VRRP) {
            return new DecodeResult.Dropped(DropReason.PROTOCOL, "IP protocol " + proto + " is not VRRP (112)");
        }
        InetAddress src;
        InetAddress dst;
        try {
            src = InetAddress.getByAddress(Arrays.copyOfRange(buf, off + 12, off + 16));
            dst = InetAddress.getByAddress(Arrays.copyOfRange(buf, off + 16, off + 20));
        } catch (UnknownHostException e) {
            return new DecodeResult.Dropped(DropReason.PACKET_LENGTH, "bad IP addresses");
        }
        DecodeResult.Parsed p = VrrpPacket.parse(buf, off + ihl, len - ihl, false);
        if (!p.ok()) {
            return new DecodeResult.Dropped(p.error(), p.message());
        }
        return new DecodeResult.Ok(new ReceivedAdvert(src, dst, ttl, p.packet(),
                Arrays.copyOfRange(buf, off + ihl, off + len)));
    }

    /**
     * A datagram from an AF_INET6 raw socket: the payload only. {@code source} comes from recvfrom,
     * {@code destination} from IPV6_PKTINFO (or the group joined), {@code hopLimit} from IPV6_HOPLIMIT (-1 unknown).
     */
    public static DecodeResult decodeIpv6(byte[] buf, int off, int len, InetAddress source,
                                          InetAddress destination, int hopLimit) {
        if (buf == null || off < 0 || len < 0 || off > buf.length || len > buf.length - off) {
            return new DecodeResult.Dropped(DropReason.PACKET_LENGTH, "invalid buffer bounds");
        }
        if (!(source instanceof Inet6Address) || !(destination instanceof Inet6Address)) {
            return new DecodeResult.Dropped(DropReason.FAMILY, "IPv6 decode needs IPv6 source and destination");
        }
        DecodeResult.Parsed p = VrrpPacket.parse(buf, off, len, true);
        if (!p.ok()) {
            return new DecodeResult.Dropped(p.error(), p.message());
        }
        return new DecodeResult.Ok(new ReceivedAdvert(source, destination, hopLimit, p.packet(),
                Arrays.copyOfRange(buf, off, off + len)));
    }

    /** Builds an IPv4 datagram (header + message) as a raw socket would deliver it — for tests and labs. */
    public static byte[] ipv4Datagram(Inet4Address src, Inet4Address dst, int ttl, byte[] vrrpMessage) {
        byte[] b = new byte[IPV4_MIN_HEADER + vrrpMessage.length];
        b[0] = 0x45;
        b[1] = (byte) 0xc0;
        b[2] = (byte) (b.length >>> 8);
        b[3] = (byte) b.length;
        b[8] = (byte) ttl;
        b[9] = (byte) VrrpChecksum.IPPROTO_VRRP;
        System.arraycopy(src.getAddress(), 0, b, 12, 4);
        System.arraycopy(dst.getAddress(), 0, b, 16, 4);
        int c = VrrpChecksum.plain(b, 0, IPV4_MIN_HEADER);
        b[10] = (byte) (c >>> 8);
        b[11] = (byte) c;
        System.arraycopy(vrrpMessage, 0, b, IPV4_MIN_HEADER, vrrpMessage.length);
        return b;
    }
}
