package io.javalived.checkers;

import io.javalived.inet.InetText;
import java.net.InetSocketAddress;

/**
 * A real server as the director knows it: under which virtual server (keepalived's text, e.g.
 * {@code [10.0.0.1]:tcp:80} or {@code FWM 7}) and at which address.
 */
public record RealServerId(String virtualServer, InetSocketAddress realServer) {
    @Override
    public String toString() {
        return InetText.pair(realServer.getAddress(), realServer.getPort()) + " VS " + virtualServer;
    }
}
