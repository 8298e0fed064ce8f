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

    /**
     * Reads keepalived's text back, as an operator types it: {@code [10.0.0.1]:tcp:80} (also {@code 10.0.0.1:80} and
     * {@code [2001:db8::1]:80} for TCP), {@code FWM 7} / {@code fwmark 7}, {@code [NAME]:80} for a group.
     *
     * @throws IllegalArgumentException naming what was expected
     */
    static VirtualServerKey parse(String text) {
        String t = text.trim();
        String lower = t.toLowerCase(java.util.Locale.ROOT);
        try {
            if (lower.startsWith("fwm ") || lower.startsWith("fwmark ")) {
                return new Fwmark(Long.parseLong(t.substring(t.indexOf(' ') + 1).trim()), false);
            }
            int colon = t.lastIndexOf(':');
            int port = Integer.parseInt(t.substring(colon + 1));
            String head = t.substring(0, colon);
            Protocol protocol = Protocol.TCP;
            if (head.endsWith("]:tcp") || head.endsWith("]:udp") || head.endsWith("]:sctp")) {
                int c = head.lastIndexOf(':');
                protocol = Protocol.valueOf(head.substring(c + 1).toUpperCase(java.util.Locale.ROOT));
                head = head.substring(0, c);
            }
            String host = head.startsWith("[") && head.endsWith("]") ? head.substring(1, head.length() - 1) : head;
            if (host.indexOf(':') < 0 && !host.chars().allMatch(ch -> ch == '.' || Character.isDigit(ch))) {
                return new Group(host, port, false);
            }
            return new Address(protocol, InetText.parse(host), port);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a virtual server: '" + text + "' - give [ADDRESS]:PROTO:PORT "
                    + "(e.g. [10.0.0.1]:tcp:80), ADDRESS:PORT, 'FWM MARK' or [GROUP]:PORT");
        }
    }
}
