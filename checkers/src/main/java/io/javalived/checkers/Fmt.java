package io.javalived.checkers;

import io.javalived.config.InetText;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** keepalived's address formats. */
public final class Fmt {
    private Fmt() {}

    /** The bare address as inet_ntop prints it (no brackets, no scope for IPv6 unless set). */
    public static String ip(InetAddress a) {
        String s = a.getHostAddress();
        if (a instanceof java.net.Inet6Address) {
            try {
                // Compress the IPv6 form the way inet_ntop does.
                return InetText.of(a) + (s.contains("%") ? s.substring(s.indexOf('%')) : "");
            } catch (RuntimeException e) {
                return s;
            }
        }
        return s;
    }

    /** keepalived 2.2's inet_sockaddrtotrio: {@code [10.0.0.2]:tcp:80}. */
    public static String trio(InetSocketAddress a, String proto) {
        return "[" + ip(a.getAddress()) + "]:" + proto + ":" + a.getPort();
    }

    /** keepalived's inet_sockaddrtopair: {@code [10.0.0.2]:80}. */
    public static String pair(InetSocketAddress a) {
        return "[" + ip(a.getAddress()) + "]:" + a.getPort();
    }

    /** {@code 10.0.0.2:80}, {@code [fd00::2]:80}: an address and port as URLs and status output write them. */
    public static String hostPort(InetAddress a, int port) {
        String h = ip(a);
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + port;
    }
}
