package io.javalived.netlink.icmp;

/** ICMP / ICMPv6 echo message codec (RFC 792, RFC 4443). Pure. */
public final class IcmpEcho {
    public static final int ECHO_REQUEST_V4 = 8, ECHO_REPLY_V4 = 0;
    public static final int ECHO_REQUEST_V6 = 128, ECHO_REPLY_V6 = 129;

    private IcmpEcho() {}

    /** A decoded echo message. */
    public record Message(int type, int code, int id, int seq, int payloadLength) {}

    /** Builds an echo request. For IPv4 the checksum is filled in; for ICMPv6 the kernel computes it. */
    public static byte[] request(boolean ipv6, int id, int seq, byte[] payload) {
        byte[] b = new byte[8 + payload.length];
        b[0] = (byte) (ipv6 ? ECHO_REQUEST_V6 : ECHO_REQUEST_V4);
        b[4] = (byte) (id >> 8);
        b[5] = (byte) id;
        b[6] = (byte) (seq >> 8);
        b[7] = (byte) seq;
        System.arraycopy(payload, 0, b, 8, payload.length);
        if (!ipv6) {
            int c = checksum(b, 0, b.length);
            b[2] = (byte) (c >> 8);
            b[3] = (byte) c;
        }
        return b;
    }

    /** The internet checksum (RFC 1071). */
    public static int checksum(byte[] b, int off, int len) {
        long sum = 0;
        int i = off;
        for (; i + 1 < off + len; i += 2) sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        if (i < off + len) sum += (b[i] & 0xff) << 8;
        while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
        return (int) (~sum & 0xffff);
    }

    /**
     * Decodes a received datagram. {@code withIpHeader}: IPv4 raw sockets deliver the IP header first.
     *
     * @return the message, or null if too short / not IPv4
     */
    public static Message decode(byte[] b, int len, boolean withIpHeader) {
        int off = 0;
        if (withIpHeader) {
            if (len < 20 || (b[0] >> 4 & 0xf) != 4) return null;
            off = (b[0] & 0xf) * 4;
        }
        if (len - off < 8) return null;
        return new Message(b[off] & 0xff, b[off + 1] & 0xff, ((b[off + 4] & 0xff) << 8) | (b[off + 5] & 0xff),
                ((b[off + 6] & 0xff) << 8) | (b[off + 7] & 0xff), len - off - 8);
    }
}
