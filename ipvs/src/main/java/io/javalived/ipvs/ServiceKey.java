package io.javalived.ipvs;

import io.javalived.inet.InetText;
import io.javalived.inet.Protocol;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * What identifies a virtual service in the kernel: protocol + address + port, or a firewall mark (plus the address
 * family, which a fwmark service has too).
 *
 * @param af        {@link Ipvs#AF_INET} or {@link Ipvs#AF_INET6}
 * @param protocol  null for a fwmark service
 * @param address   null for a fwmark service
 * @param port      0 for a fwmark service (0 is also a valid "any port" for persistent services)
 * @param fwmark    0 unless a fwmark service
 */
public record ServiceKey(int af, Protocol protocol, InetAddress address, int port, long fwmark) {
    public ServiceKey {
        if (af != Ipvs.AF_INET && af != Ipvs.AF_INET6) {
            throw new IllegalArgumentException("address family must be AF_INET or AF_INET6, not " + af);
        }
        if (fwmark != 0) {
            if (fwmark < 0 || fwmark > 0xffffffffL) {
                throw new IllegalArgumentException("fwmark out of range: " + fwmark);
            }
            protocol = null;
            address = null;
            port = 0;
        } else {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(address, "address");
            if ((address instanceof Inet6Address) != (af == Ipvs.AF_INET6)) {
                throw new IllegalArgumentException("address " + InetText.ip(address) + " is not of family " + af);
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }
    }

    public static ServiceKey of(Protocol protocol, InetAddress address, int port) {
        return new ServiceKey(address instanceof Inet6Address ? Ipvs.AF_INET6 : Ipvs.AF_INET, protocol, address, port, 0);
    }

    public static ServiceKey fwmark(long mark, boolean ipv6) {
        if (mark <= 0) {
            throw new IllegalArgumentException("fwmark must be positive: " + mark);
        }
        return new ServiceKey(ipv6 ? Ipvs.AF_INET6 : Ipvs.AF_INET, null, null, 0, mark);
    }

    public boolean isFwmark() {
        return fwmark != 0;
    }

    public boolean isIpv6() {
        return af == Ipvs.AF_INET6;
    }

    /** "TCP 10.0.0.1:80", "UDP [2001:db8::1]:53", "FWM 7", "FWM 8 IPv6" (IpvsText.key). */
    @Override
    public String toString() {
        return IpvsText.key(this);
    }
}
