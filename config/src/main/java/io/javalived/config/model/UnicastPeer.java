package io.javalived.config.model;

import java.net.InetAddress;
import java.util.Optional;

/** An entry of unicast_peer: {@code ADDR [min_ttl N] [max_ttl N]}. */
public record UnicastPeer(InetAddress address, Optional<Integer> minTtl, Optional<Integer> maxTtl) {}
