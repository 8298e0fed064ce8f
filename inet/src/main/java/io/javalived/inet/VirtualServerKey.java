package io.javalived.inet;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * What identifies a virtual server across the director: keepalived's {@code virtual_server ADDR PORT} (protocol,
 * address, port), {@code virtual_server fwmark N} (mark and family) or {@code virtual_server group NAME} (name and
 * port). Records compare by value; {@link #toString()} is keepalived's FMT_VS text, for log lines only.
 */
public sealed interface VirtualServerKey {
    /** {@code [10.0.0.1]:tcp:80}. */
    record Address(Protocol protocol, InetAddress address, int port) implements VirtualServerKey {
        public Address {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(address, "address");
        }

        @Override
        public boolean ipv6() {
            return address instanceof Inet6Address;
        }

        @Override
        public String toString() {
            return InetText.trio(address, protocol.keyword(), port);
        }
    }

    /** {@code FWM 7}. */
    record Fwmark(long mark, boolean ipv6) implements VirtualServerKey {
        @Override
        public String toString() {
            return "FWM " + mark;
        }
    }

    /** {@code [GROUP]:80}. */
    record Group(String name, int port, boolean ipv6) implements VirtualServerKey {
        public Group {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String toString() {
            return "[" + name + "]:" + port;
        }
    }

    /** Whether the virtual server is of the IPv6 family. */
    boolean ipv6();

    static VirtualServerKey of(Protocol protocol, InetAddress address, int port) {
        return new Address(protocol, address, port);
    }

    static VirtualServerKey fwmark(long mark, boolean ipv6) {
        return new Fwmark(mark, ipv6);
    }

    static VirtualServerKey group(String name, int port, boolean ipv6) {
        return new Group(name, port, ipv6);
    }
}
