package io.javalived.ipvs;

import io.javalived.inet.InetText;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A destination (real server) of a virtual service, as configured.
 *
 * @param address        the real server (its family may differ from the service's only for tunnelling)
 * @param port           0 for fwmark services without a port
 * @param forwarding     NAT, DR or tunnel
 * @param weight         0 = quiesced
 * @param upperThreshold maximum connections, 0 = no limit
 * @param lowerThreshold connections below which a server over its upper threshold is used again
 * @param tunnelType     IPIP, GUE or GRE (tunnel forwarding only)
 * @param tunnelPort     GUE port
 * @param tunnelFlags    {@link Ipvs#TUNNEL_ENCAP_FLAG_CSUM} / REMCSUM
 */
public record Destination(InetAddress address, int port, Forwarding forwarding, int weight, long upperThreshold,
                         long lowerThreshold, TunnelType tunnelType, int tunnelPort, int tunnelFlags) {
    public Destination {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(forwarding, "forwarding");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (tunnelType == null) {
            tunnelType = TunnelType.IPIP;
        }
        if (forwarding != Forwarding.TUNNEL) {
            tunnelType = TunnelType.IPIP;
            tunnelPort = 0;
            tunnelFlags = 0;
        }
    }

    public static Destination of(InetAddress address, int port, Forwarding forwarding, int weight) {
        return new Destination(address, port, forwarding, weight, 0, 0, TunnelType.IPIP, 0, 0);
    }

    public int af() {
        return Inet.af(address);
    }

    /** (address, port): what identifies a destination within its service. */
    public DestKey key() {
        return new DestKey(address, port);
    }

    public Destination withWeight(int w) {
        return new Destination(address, port, forwarding, w, upperThreshold, lowerThreshold, tunnelType, tunnelPort,
                tunnelFlags);
    }

    public Destination withThresholds(long upper, long lower) {
        return new Destination(address, port, forwarding, weight, upper, lower, tunnelType, tunnelPort, tunnelFlags);
    }

    public Destination withTunnel(TunnelType type, int tport, int tflags) {
        return new Destination(address, port, forwarding, weight, upperThreshold, lowerThreshold, type, tport, tflags);
    }

    /** The identity of a destination inside a service. */
    public record DestKey(InetAddress address, int port) {
        @Override
        public String toString() {
            return InetText.hostPort(address, port);
        }
    }
}
