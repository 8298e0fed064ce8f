package io.javalived.config.model;

import java.net.InetAddress;

/** {@code sorry_server ADDR [PORT]}, its forwarding method and tunnel (default the virtual server's) and inhibit flag. */
public record SorryServer(InetAddress address, int port, LvsMethod lvsMethod, Tunnel tunnel, boolean inhibit) {}
