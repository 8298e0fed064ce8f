package io.javalived.ipvs;

/** A destination as read from the kernel: configuration plus connection counts and counters. */
public record DestEntry(RealServer server, long activeConns, long inactConns, long persistConns, IpvsStats stats) {
}
