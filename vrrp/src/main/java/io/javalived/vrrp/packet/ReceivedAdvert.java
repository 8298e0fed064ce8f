package io.javalived.vrrp.packet;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * A decoded, not yet validated advertisement with what the receive checks need from the IP layer.
 *
 * @param source      IP source address (the sender's primary address)
 * @param destination IP destination (multicast group or our unicast address)
 * @param ttl         IPv4 TTL or IPv6 hop limit; -1 when unknown (IPv6 without the IPV6_HOPLIMIT cmsg)
 * @param packet      the decoded VRRP message
 * @param message     the raw VRRP message bytes (for checksum verification)
 */
public record ReceivedAdvert(InetAddress source, InetAddress destination, int ttl, VrrpPacket packet,
                             byte[] message) {
    public ReceivedAdvert {
        message = message.clone();
    }

    @Override
    public byte[] message() {
        return message.clone();
    }

    /** Verifies the checksum as a packet of this version/family from this source to this destination. */
    public boolean checksumValid(boolean v3ChecksumAsV2) {
        return VrrpChecksum.verify(packet.version(), source, destination, v3ChecksumAsV2, message, 0,
                message.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReceivedAdvert r && r.source.equals(source) && r.destination.equals(destination)
                && r.ttl == ttl && r.packet.equals(packet) && Arrays.equals(r.message, message);
    }

    @Override
    public int hashCode() {
        return source.hashCode() * 31 + packet.hashCode();
    }
}
