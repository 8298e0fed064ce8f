package io.javalived.ipvs;

/**
 * A destination as read from the kernel: configuration plus connection counts and counters.
 *
 * @param stats   64-bit counters when the kernel sends them (IPVS_DEST_ATTR_STATS64), else the 32-bit ones
 * @param stats32 the 32-bit counters as sent (IPVS_DEST_ATTR_STATS)
 */
public record DestEntry(Destination server, long activeConns, long inactConns, long persistConns, IpvsStats stats,
                        IpvsStats stats32) {
    public DestEntry(Destination server, long activeConns, long inactConns, long persistConns, IpvsStats stats) {
        this(server, activeConns, inactConns, persistConns, stats, stats);
    }
}
