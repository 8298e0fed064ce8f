package io.javalived.inet;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A real server as the director knows it: under which virtual server and at which address and port. Records compare
 * by value; {@link #toString()} is keepalived's text ({@code [10.0.0.2]:80 VS [10.0.0.1]:tcp:80}), for log lines only.
 */
public record RealServerKey(VirtualServerKey virtualServer, InetSocketAddress realServer) {
    public RealServerKey {
        Objects.requireNonNull(virtualServer, "virtualServer");
        Objects.requireNonNull(realServer, "realServer");
    }

    public static RealServerKey of(VirtualServerKey vs, InetAddress address, int port) {
        return new RealServerKey(vs, new InetSocketAddress(address, port));
    }

    public InetAddress address() {
        return realServer.getAddress();
    }

    public int port() {
        return realServer.getPort();
    }

    @Override
    public String toString() {
        return InetText.pair(realServer.getAddress(), realServer.getPort()) + " VS " + virtualServer;
    }
}
