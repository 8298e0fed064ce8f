package io.javalived.director;

import io.javalived.config.model.LvsMethod;
import io.javalived.config.model.SorryServer;
import io.javalived.config.model.Tunnel;
import io.javalived.config.model.VirtualServer;
import io.javalived.config.model.VirtualServerGroup;
import io.javalived.inet.Protocol;
import io.javalived.ipvs.Forwarding;
import io.javalived.ipvs.Ipvs;
import io.javalived.ipvs.ServiceKey;
import io.javalived.ipvs.TunnelType;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * keepalived.conf's virtual servers in the kernel's words: a {@code virtual_server} (address, fwmark, or a group
 * expanded to its entries and ranges) becomes IPVS services, a real server or sorry server an IPVS destination with
 * its forwarding method, weight and thresholds; persistence, scheduler and flags become the service's. Pure.
 */
final class IpvsMapping {
    private IpvsMapping() {
    }

    static void put(Map<io.javalived.ipvs.Destination.DestKey, io.javalived.ipvs.Destination> m,
                            io.javalived.ipvs.Destination r) {
        m.putIfAbsent(r.key(), r);
    }

    static io.javalived.ipvs.Destination dest(InetAddress a, int port, LvsMethod m, int weight, int upper, int lower) {
        return dest(a, port, m, Tunnel.IPIP, weight, upper, lower);
    }

    /** A destination; for TUN with its encapsulation (IPVS_DEST_ATTR_TUN_TYPE / TUN_PORT / TUN_FLAGS). */
    static io.javalived.ipvs.Destination dest(InetAddress a, int port, LvsMethod m, Tunnel tunnel, int weight,
                                              int upper, int lower) {
        Forwarding f = switch (m) {
            case NAT -> Forwarding.MASQ;
            case DR -> Forwarding.ROUTE;
            case TUN -> Forwarding.TUNNEL;
        };
        io.javalived.ipvs.Destination d = io.javalived.ipvs.Destination.of(a, port, f, Math.max(0, weight))
                .withThresholds(upper, lower);
        if (m != LvsMethod.TUN || tunnel == null) {
            return d;
        }
        TunnelType type = switch (tunnel.type()) {
            case IPIP -> TunnelType.IPIP;
            case GUE -> TunnelType.GUE;
            case GRE -> TunnelType.GRE;
        };
        int flags = switch (tunnel.checksum()) {
            case NOCSUM -> Ipvs.TUNNEL_ENCAP_FLAG_NOCSUM;
            case CSUM -> Ipvs.TUNNEL_ENCAP_FLAG_CSUM;
            case REMCSUM -> Ipvs.TUNNEL_ENCAP_FLAG_REMCSUM;
        };
        return d.withTunnel(type, tunnel.port(), flags);
    }

    static int sorryPort(SorryServer s, VirtualServer v) {
        return s.port() != 0 ? s.port() : v.port();
    }

    static io.javalived.ipvs.Service service(VirtualServer v, ServiceKey key) {
        int af = key.af();
        long mask = io.javalived.ipvs.Service.defaultNetmask(af);
        if (v.persistenceGranularity().isPresent()) {
            byte[] b = v.persistenceGranularity().get().getAddress();
            if (af == Ipvs.AF_INET6 || b.length == 16) {
                int bits = 0;
                for (byte x : b) {
                    bits += Integer.bitCount(x & 0xff);
                }
                mask = af == Ipvs.AF_INET6 ? bits : mask;
            } else {
                mask = new BigInteger(1, b).longValue();
            }
        }
        return new io.javalived.ipvs.Service(key, v.lbAlgo(), v.ipvsFlags(), v.persistenceTimeout(), mask,
                v.persistenceEngine().orElse(null));
    }

    /** The IPVS services a virtual server stands for: one, or one per group entry (ranges expanded). */
    static List<ServiceKey> serviceKeys(VirtualServer v, Map<String, VirtualServerGroup> groups) {
        List<ServiceKey> out = new ArrayList<>();
        switch (v.kind()) {
            case ADDRESS -> out.add(ServiceKey.of(v.protocol(), v.address().orElseThrow(), v.port()));
            case FWMARK -> out.add(ServiceKey.fwmark(v.fwmark(), v.isIpv6()));
            case GROUP -> {
                VirtualServerGroup g = groups.get(v.group().orElse(""));
                if (g == null) {
                    throw new IllegalArgumentException("virtual_server group " + v.group().orElse("?") + " at "
                            + v.origin() + " is not defined: define virtual_server_group " + v.group().orElse("?"));
                }
                for (VirtualServerGroup.Entry e : g.entries()) {
                    if (e.isFwmark()) {
                        boolean v6 = e.family().orElse(v.family()) == VirtualServer.IpFamily.INET6;
                        out.add(ServiceKey.fwmark(e.fwmark(), v6));
                        continue;
                    }
                    int port = e.port() != 0 ? e.port() : v.port();
                    InetAddress first = e.address().orElseThrow();
                    InetAddress last = e.rangeEnd().orElse(first);
                    for (InetAddress a : range(first, last)) {
                        out.add(ServiceKey.of(v.protocol(), a, port));
                    }
                }
            }
        }
        return out;
    }

    /** first..last inclusive (at most 65536 addresses). */
    static List<InetAddress> range(InetAddress first, InetAddress last) {
        List<InetAddress> out = new ArrayList<>();
        BigInteger a = new BigInteger(1, first.getAddress());
        BigInteger b = new BigInteger(1, last.getAddress());
        int len = first.getAddress().length;
        for (int i = 0; a.compareTo(b) <= 0 && i < 65536; i++, a = a.add(BigInteger.ONE)) {
            byte[] raw = a.toByteArray();
            byte[] fixed = new byte[len];
            int n = Math.min(raw.length, len);
            System.arraycopy(raw, raw.length - n, fixed, len - n, n);
            try {
                out.add(InetAddress.getByAddress(fixed));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        if (out.isEmpty()) {
            out.add(first);
        }
        return out;
    }
}
