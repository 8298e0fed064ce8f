package io.javalived.ipvs;

/** Connection timeouts in seconds (0 in a set request = leave unchanged). */
public record IpvsTimeouts(long tcp, long tcpFin, long udp) {
}
