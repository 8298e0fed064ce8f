package io.javalived.config;

import java.net.InetAddress;

/** Canonical text of an address: io.javalived.inet.InetText's inet_ntop form. */
public final class InetText {
    private InetText() {}

    public static String of(InetAddress a) {
        return io.javalived.inet.InetText.ntop(a);
    }
}
