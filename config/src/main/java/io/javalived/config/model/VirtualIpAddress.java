package io.javalived.config.model;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * An entry of virtual_ipaddress / virtual_ipaddress_excluded:
 * {@code ADDR[/MASK] [brd ADDR] [dev IF] [scope SCOPE] [label LABEL] [peer ADDR] [no_track] ...}.
 * prefixLength defaults to 32 (IPv4) / 128 (IPv6). dev empty = the instance's interface.
 */
public record VirtualIpAddress(
        InetAddress address,
        int prefixLength,
        Optional<InetAddress> broadcast,
        Optional<String> dev,
        Optional<String> scope,
        Optional<String> label,
        Optional<InetAddress> peer,
        boolean noTrack,
        boolean noPrefixRoute,
        boolean useVmac) {

    public boolean isIpv6() {
        return address instanceof Inet6Address;
    }

    /** Alias kept for readers of the contract ({@code brd}). */
    public Optional<InetAddress> brd() {
        return broadcast;
    }

    /** {@code ADDR/LEN} in canonical text form. */
    public String cidr() {
        return address.getHostAddress() + "/" + prefixLength;
    }
}
