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
public record RealServer(InetAddress address, int port, Forwarding forwarding, int weight, long upperThreshold,
                         long lowerThreshold, TunnelType tunnelType, int tunnelPort, int tunnelFlags) {
    public RealServer {
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

    public static RealServer of(InetAddress address, int port, Forwarding forwarding, int weight) {
        return new RealServer(address, port, forwarding, weight, 0, 0, TunnelType.IPIP, 0, 0);
    }

    public int af() {
        return Inet.af(address);
    }

    /** (address, port): what identifies a destination within its service. */
    public DestKey key() {
        return new DestKey(address, port);
    }

    public RealServer withWeight(int w) {
        return new RealServer(address, port, forwarding, w, upperThreshold, lowerThreshold, tunnelType, tunnelPort,
                tunnelFlags);
    }

    public RealServer withThresholds(long upper, long lower) {
        return new RealServer(address, port, forwarding, weight, upper, lower, tunnelType, tunnelPort, tunnelFlags);
    }

    public RealServer withTunnel(TunnelType type, int tport, int tflags) {
        return new RealServer(address, port, forwarding, weight, upperThreshold, lowerThreshold, type, tport, tflags);
    }

    /** The identity of a destination inside a service. */
    public record DestKey(InetAddress address, int port) {
        @Override
        public String toString() {
            return InetText.hostPort(address, port);
        }
    }

    /** ipvsadm -a options after the service ("-r 10.0.0.2:80 -m -w 1"). */
    public String toIpvsadm() {
        StringBuilder sb = new StringBuilder("-r ").append(InetText.hostPort(address, port));
        sb.append(switch (forwarding) {
            case MASQ -> " -m";
            case TUNNEL -> " -i";
            case ROUTE, LOCAL -> " -g";
        });
        sb.append(" -w ").append(weight);
        if (upperThreshold != 0) {
            sb.append(" -x ").append(upperThreshold);
        }
        if (lowerThreshold != 0) {
            sb.append(" -y ").append(lowerThreshold);
        }
        if (forwarding == Forwarding.TUNNEL && tunnelType != TunnelType.IPIP) {
            sb.append(" --tun-type ").append(tunnelType.label());
            if (tunnelType == TunnelType.GUE) {
                sb.append(" --tun-port ").append(tunnelPort);
            }
            sb.append((tunnelFlags & Ipvs.TUNNEL_ENCAP_FLAG_REMCSUM) != 0 ? " --tun-remcsum"
                    : (tunnelFlags & Ipvs.TUNNEL_ENCAP_FLAG_CSUM) != 0 ? " --tun-csum" : " --tun-nocsum");
        }
        return sb.toString();
    }
}
