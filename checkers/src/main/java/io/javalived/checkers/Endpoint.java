package io.javalived.checkers;

import io.javalived.inet.InetText;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where a check connects (connect_ip/connect_port, defaulting to the real server) and where it binds (bindto /
 * bind_port; null address and port 0 = kernel's choice). {@code service} is the virtual server's protocol as
 * keepalived prints it in {@code [10.0.0.2]:tcp:80} ("tcp", "udp", "sctp"), whatever protocol the check itself uses.
 */
public record Endpoint(InetSocketAddress connect, InetAddress bindTo, int bindPort, String service) {
    public Endpoint {
        Objects.requireNonNull(connect, "connect");
        if (bindPort < 0 || bindPort > 65535) throw new IllegalArgumentException("bind_port " + bindPort);
        service = service == null ? "tcp" : service;
    }

    public Endpoint(InetSocketAddress connect, InetAddress bindTo, int bindPort) {
        this(connect, bindTo, bindPort, "tcp");
    }

    public static Endpoint of(String ip, int port) {
        return new Endpoint(new InetSocketAddress(ip, port), null, 0);
    }

    /** The local address to bind, or null when neither bindto nor bind_port is set. */
    public InetSocketAddress bindAddress() {
        if (bindTo == null && bindPort == 0) return null;
        return bindTo == null ? new InetSocketAddress(bindPort) : new InetSocketAddress(bindTo, bindPort);
    }

    /** keepalived's FMT_RS/FMT_CHK: {@code [10.0.0.2]:tcp:80}. */
    public String trio() {
        return InetText.trio(connect.getAddress(), service, connect.getPort());
    }
}
